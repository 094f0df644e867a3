"""Load a location's board (a day or a week) in a fixed number of queries, and find clients.

Shifts, appointments, time off, closures, rooms and intake status badges are each fetched once
for the whole window, however many therapists or appointments there are; the placing is done
by :mod:`booking.board.layout`. Front desk sees statuses and contact details, never answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from booking.availability import Interval, WeeklyHours, working_windows
from booking.board.layout import Frame, days_between, free_gaps, hour_marks, shift_span
from booking.models import ACTIVE_STATUSES, Appointment
from clinic.models import Location, OpeningHours, Role, Room, User
from intake.gate import intake_statuses_for
from therapists.models import Closure, Shift, TherapistProfile, TimeOff

FIRST_HOUR, LAST_HOUR = 7, 21


@dataclass
class Block:
    kind: str  # appointment, time_off, closure, gap
    top: float
    height: float
    start: dt.datetime
    end: dt.datetime
    label: str = ""
    appointment: Appointment | None = None
    badge: Any = None
    therapist_id: int | None = None


@dataclass
class Column:
    key: str
    title: str
    therapist: TherapistProfile | None = None
    room: Room | None = None
    blocks: list[Block] = field(default_factory=list)


@dataclass
class DayBoard:
    day: dt.date
    hours: list[tuple[str, float]]
    columns: list[Column]
    rooms: list[Column]
    closed: list[Block]

    @property
    def appointment_count(self) -> int:
        return sum(1 for c in self.columns for b in c.blocks if b.kind == "appointment")


@dataclass
class Board:
    location: Location
    first_day: dt.date
    last_day: dt.date
    days: list[DayBoard]


@dataclass
class _Window:
    location: Location
    days: list[dt.date]
    span: Interval
    shifts: list[Shift]
    appointments: list[Appointment]
    time_off: dict[int, list[TimeOff]]
    closures: list[Closure]
    rooms: list[Room]
    badges: dict[int, Any]
    opening: tuple[WeeklyHours, ...]


def _load(location: Location, first: dt.date, last: dt.date) -> _Window:
    zone = location.zone
    days = days_between(first, last)
    span = Interval(
        Frame.for_day(first, zone, 0, 0).start,
        Frame.for_day(last + dt.timedelta(days=1), zone, 0, 0).start,
    )
    shifts = list(
        Shift.objects.filter(
            location=location,
            weekday__in={d.weekday() for d in days},
            effective_from__lte=last,
            therapist__is_active=True,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=first))
        .select_related("therapist")
        .order_by("therapist__display_name", "therapist_id", "starts_at")
    )
    appointments = list(
        Appointment.objects.filter(
            location=location,
            starts_at__lt=span.end,
            ends_at__gt=span.start,
            # Implied by ends_at (occupied covers the session); lets the index bound history.
            occupied_until__gt=span.start,
        )
        .select_related("client", "client__client_profile", "service", "room", "therapist")
        .order_by("starts_at", "pk")
    )
    time_off: dict[int, list[TimeOff]] = defaultdict(list)
    for block in TimeOff.objects.filter(
        therapist_id__in={s.therapist_id for s in shifts},
        starts_at__lt=span.end,
        ends_at__gt=span.start,
    ):
        time_off[block.therapist_id].append(block)
    closures = list(
        Closure.objects.filter(location=location, starts_at__lt=span.end, ends_at__gt=span.start)
    )
    rooms = list(Room.objects.filter(location=location, is_active=True).order_by("name"))
    badges = intake_statuses_for(a.client_id for a in appointments)
    opening = tuple(
        WeeklyHours(weekday, opens, closes)
        for weekday, opens, closes in OpeningHours.objects.filter(location=location).values_list(
            "weekday", "opens", "closes"
        )
    )
    return _Window(
        location, days, span, shifts, appointments, time_off, closures, rooms, badges, opening
    )


def _applies(shift: Shift, day: dt.date) -> bool:
    return (
        shift.weekday == day.weekday()
        and shift.effective_from <= day
        and (shift.effective_to is None or day <= shift.effective_to)
    )


def _appointment_block(frame: Frame, appointment: Appointment, badge: Any) -> Block | None:
    placed = frame.place(Interval(appointment.starts_at, appointment.ends_at))
    if placed is None:
        return None
    return Block(
        "appointment",
        *placed,
        start=appointment.starts_at,
        end=appointment.ends_at,
        label=str(appointment.client),
        appointment=appointment,
        badge=badge,
        therapist_id=appointment.therapist_id,
    )


def _span_block(frame: Frame, kind: str, span: Interval, label: str, **kw: Any) -> Block | None:
    placed = frame.place(span)
    if placed is None:
        return None
    return Block(kind, *placed, start=span.start, end=span.end, label=label, **kw)


def _therapist_column(
    window: _Window, frame: Frame, day: dt.date, therapist: TherapistProfile, shifts: list[Shift]
) -> Column:
    zone = window.location.zone
    # Free time is where the therapist works while the doors are open: the availability rule.
    weekly = [
        WeeklyHours(s.weekday, s.starts_at, s.ends_at, s.effective_from, s.effective_to)
        for s in shifts
    ]
    spans = [
        shift_span(day, start, end, zone)
        for start, end in working_windows(day, weekly, window.opening)
    ]
    column = Column(f"t{therapist.pk}", therapist.display_name, therapist=therapist)
    busy: list[Interval] = []
    for appointment in window.appointments:
        if appointment.therapist_id != therapist.pk:
            continue
        block = _appointment_block(frame, appointment, window.badges.get(appointment.client_id))
        if block is not None:
            column.blocks.append(block)
            if appointment.status in ACTIVE_STATUSES:
                busy.append(Interval(appointment.occupied_from, appointment.occupied_until))
    for off in window.time_off.get(therapist.pk, []):
        span = Interval(off.starts_at, off.ends_at)
        busy.append(span)
        block = _span_block(
            frame, "time_off", span, off.get_kind_display(), therapist_id=therapist.pk
        )
        if block is not None:
            column.blocks.append(block)
    busy += [Interval(c.starts_at, c.ends_at) for c in window.closures]
    for gap in free_gaps(spans, busy):
        block = _span_block(frame, "gap", gap, "Free", therapist_id=therapist.pk)
        if block is not None:
            column.blocks.append(block)
    column.blocks.sort(key=lambda b: (b.start, b.kind))
    return column


def _room_columns(window: _Window, frame: Frame) -> list[Column]:
    columns = {room.pk: Column(f"r{room.pk}", room.name, room=room) for room in window.rooms}
    for appointment in window.appointments:
        column = columns.get(appointment.room_id)
        if column is None or appointment.status not in ACTIVE_STATUSES:
            continue
        block = _appointment_block(frame, appointment, window.badges.get(appointment.client_id))
        if block is not None:
            column.blocks.append(block)
    return list(columns.values())


def _day(window: _Window, day: dt.date) -> DayBoard:
    zone = window.location.zone
    frame = Frame.for_day(day, zone, FIRST_HOUR, LAST_HOUR)
    on_shift: dict[int, list[Shift]] = {}
    for shift in window.shifts:
        if _applies(shift, day):
            on_shift.setdefault(shift.therapist_id, []).append(shift)
    columns = [
        _therapist_column(window, frame, day, shifts[0].therapist, shifts)
        for shifts in on_shift.values()
    ]
    closed = [
        b
        for c in window.closures
        if (b := _span_block(frame, "closure", Interval(c.starts_at, c.ends_at), c.reason))
    ]
    return DayBoard(
        day, hour_marks(day, zone, frame), columns, _room_columns(window, frame), closed
    )


def board_load(location: Location, first_day: dt.date, last_day: dt.date) -> Board:
    """The board for ``location`` from ``first_day`` to ``last_day`` (local dates, inclusive)."""
    window = _load(location, first_day, last_day)
    return Board(location, first_day, last_day, [_day(window, d) for d in window.days])


def clients_find(query: str, *, limit: int = 20) -> QuerySet[User]:
    """Clients whose name, e-mail or phone matches ``query`` (contact details only)."""
    query = query.strip()
    qs = User.objects.filter(role=Role.CLIENT, is_active=True).select_related("client_profile")
    if len(query) < 2:
        return qs.none()
    digits = "".join(ch for ch in query if ch.isdigit())
    match = (
        Q(email__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
    )
    parts = query.split()
    if len(parts) >= 2:
        match |= Q(first_name__icontains=parts[0], last_name__icontains=parts[-1])
    if len(digits) >= 4:
        match |= Q(client_profile__phone__contains=digits)
    return qs.filter(match).order_by("last_name", "first_name", "pk")[:limit]


def day_sheet_rows(location: Location, day: dt.date) -> list[Appointment]:
    """The day's appointments at a location for the printed or CSV day sheet."""
    span = Interval(
        Frame.for_day(day, location.zone, 0, 0).start,
        Frame.for_day(day + dt.timedelta(days=1), location.zone, 0, 0).start,
    )
    return list(
        Appointment.objects.filter(
            location=location, starts_at__gte=span.start, starts_at__lt=span.end
        )
        .select_related("client", "client__client_profile", "service", "room", "therapist")
        .order_by("starts_at", "therapist__display_name", "pk")
    )


def therapists_at(location: Location) -> QuerySet[TherapistProfile]:
    return TherapistProfile.objects.active().filter(locations=location).order_by("display_name")
