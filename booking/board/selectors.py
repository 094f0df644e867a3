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

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from booking.availability import Interval, WeeklyHours, working_windows
from booking.board.layout import Frame, days_between, free_gaps, hour_marks, shift_span
from booking.careplans import Progress, care_plans_progress
from booking.models import (
    ACTIVE_STATUSES,
    Appointment,
    CarePlan,
    CarePlanStatus,
    WaitlistOffer,
    WaitlistOfferStatus,
)
from clinic.models import ClinicPolicy, Location, OpeningHours, Role, Room, User
from intake.gate import intake_statuses_for
from therapists.models import Closure, Credential, Shift, TherapistProfile, TimeOff

FIRST_HOUR, LAST_HOUR = 7, 21
DEFAULT_STEP_MINUTES = 15  # ClinicPolicy's default, before the policy row exists


@dataclass
class Block:
    kind: str  # appointment, time_off, hold, closure, gap
    top: float
    height: float
    start: dt.datetime
    end: dt.datetime
    label: str = ""
    appointment: Appointment | None = None
    badge: Any = None
    therapist_id: int | None = None
    # "left" or "right" when a cancelled or missed visit shares its time with a live one.
    lane: str = ""


@dataclass
class Column:
    key: str
    title: str
    therapist: TherapistProfile | None = None
    room: Room | None = None
    blocks: list[Block] = field(default_factory=list)
    bookable: bool = True


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
    holds: list[WaitlistOffer]
    licensed_until: dict[int, dt.date | None]  # trained, active therapists only
    now: dt.datetime
    step: dt.timedelta


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
        .annotate(**_bookability())
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
    now = timezone.now()
    therapist_ids = {s.therapist_id for s in shifts}
    holds = list(
        WaitlistOffer.objects.filter(
            therapist_id__in=therapist_ids,
            status=WaitlistOfferStatus.OPEN,
            expires_at__gt=now,
            starts_at__lt=span.end,
            ends_at__gt=span.start,
        ).select_related("entry__client")
    )
    # Who can be booked on which day: the same rule as availability (trained, licensed).
    licensed_until = {
        shift.therapist_id: shift.licensed_until  # type: ignore[attr-defined]
        for shift in shifts
        if shift.is_trained and shift.therapist_user_active  # type: ignore[attr-defined]
    }
    step_minutes = shifts[0].slot_step if shifts else None  # type: ignore[attr-defined]
    step = dt.timedelta(minutes=step_minutes or DEFAULT_STEP_MINUTES)
    return _Window(
        location, days, span, shifts, appointments, time_off, closures, rooms, badges, opening,
        holds, licensed_until, now, step,
    )  # fmt: skip


def _bookability() -> dict[str, Any]:
    """Annotations on a shift: is its therapist bookable (and till when), and the slot step.

    Read with the shifts rather than in queries of their own, so the board's query count
    stays where it was.
    """
    therapist = OuterRef("therapist_id")
    return {
        "is_trained": Exists(TherapistProfile.objects.trained_in_mfr().filter(pk=therapist)),
        "therapist_user_active": F("therapist__user__is_active"),
        "licensed_until": Subquery(
            Credential.objects.filter(therapist=therapist)
            .order_by("-expires_on")
            .values("expires_on")[:1]
        ),
        "slot_step": Subquery(ClinicPolicy.objects.filter(pk=1).values("slot_step_minutes")[:1]),
    }


def _bookable_on(window: _Window, therapist_id: int, day: dt.date) -> bool:
    if therapist_id not in window.licensed_until:
        return False
    until = window.licensed_until[therapist_id]
    return until is not None and until >= day


def _not_before(window: _Window, frame: Frame) -> Interval:
    """The part of the day already gone: now, rounded up to the slot grid of the frame."""
    if window.now <= frame.start:
        return Interval(frame.start, frame.start)
    steps = -(-(window.now - frame.start) // window.step)
    return Interval(frame.start - dt.timedelta(days=1), frame.start + steps * window.step)


def _split_lanes(blocks: list[Block]) -> None:
    """Put a cancelled or missed visit beside the live one booked over its time, not under it."""
    live = [b for b in blocks if b.appointment and b.appointment.status in ACTIVE_STATUSES]
    gone = [b for b in blocks if b.appointment and b.appointment.status not in ACTIVE_STATUSES]
    for old in gone:
        for new in live:
            if old.start < new.end and new.start < old.end:
                old.lane, new.lane = "right", "left"


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
        label = off.get_kind_display() + (f": {off.reason}" if off.reason else "")
        block = _span_block(frame, "time_off", span, label, therapist_id=therapist.pk)
        if block is not None:
            column.blocks.append(block)
    for offer in window.holds:
        if offer.therapist_id != therapist.pk:
            continue
        span = Interval(offer.starts_at, offer.ends_at)
        busy.append(span)
        until = offer.expires_at.astimezone(zone)
        label = f"Held for {offer.entry.client} (waitlist offer until {until:%H:%M})"
        block = _span_block(frame, "hold", span, label, therapist_id=therapist.pk)
        if block is not None:
            column.blocks.append(block)
    busy += [Interval(c.starts_at, c.ends_at) for c in window.closures]
    # Free time is offered only where booking would accept it: a bookable therapist, from now.
    column.bookable = _bookable_on(window, therapist.pk, day)
    busy.append(_not_before(window, frame))
    for gap in free_gaps(spans, busy) if column.bookable else []:
        block = _span_block(frame, "gap", gap, "Free", therapist_id=therapist.pk)
        if block is not None:
            column.blocks.append(block)
    _split_lanes(column.blocks)
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
    for column in columns.values():
        column.blocks.sort(key=lambda b: b.start)
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


@dataclass
class WeekRow:
    key: str
    title: str
    cells: list[list[Block]]


def week_rows(board: Board, mode: str) -> list[WeekRow]:
    """The week as a grid: one row per therapist (or room), one cell per day."""
    rows: dict[str, WeekRow] = {}
    for index, day in enumerate(board.days):
        for column in day.rooms if mode == "rooms" else day.columns:
            row = rows.setdefault(
                column.key, WeekRow(column.key, column.title, [[] for _ in board.days])
            )
            row.cells[index] = column.blocks
    return sorted(rows.values(), key=lambda r: (r.title, r.key))


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


@dataclass
class SheetRow:
    appointment: Appointment
    intake: Any
    plan: CarePlan | None
    progress: Progress | None

    @property
    def balance(self) -> str:
        """``3 of 8 done, 2 booked, 3 left``; empty without a care plan."""
        p = self.progress
        return "" if p is None else f"{p.done} of {p.total} done, {p.booked} booked, {p.left} left"


def _plans_by_client(appointments: list[Appointment]) -> dict[int, CarePlan]:
    plans = CarePlan.objects.filter(
        client_id__in={a.client_id for a in appointments}, status=CarePlanStatus.ACTIVE
    ).order_by("created_at", "pk")
    return {plan.client_id: plan for plan in plans}


def day_sheet(location: Location, day: dt.date) -> list[SheetRow]:
    """The day's appointments at a location with what the desk needs (four queries).

    Client, phone, service, room, intake *status* (never answers) and the balance of the
    client's care plan: the appointment's own plan, else the client's active one.
    """
    span = Interval(
        Frame.for_day(day, location.zone, 0, 0).start,
        Frame.for_day(day + dt.timedelta(days=1), location.zone, 0, 0).start,
    )
    appointments = list(
        Appointment.objects.filter(
            location=location, starts_at__gte=span.start, starts_at__lt=span.end
        )
        .select_related(
            "client", "client__client_profile", "service", "room", "therapist", "care_plan"
        )
        .order_by("starts_at", "therapist__display_name", "pk")
    )
    intake = intake_statuses_for({a.client_id for a in appointments})
    active = _plans_by_client(appointments)
    plans = {a.pk: a.care_plan or active.get(a.client_id) for a in appointments}
    progress = care_plans_progress([p for p in plans.values() if p is not None])
    rows = []
    for a in appointments:
        plan = plans[a.pk]
        progress_of = progress.get(plan.pk) if plan is not None else None
        rows.append(SheetRow(a, intake.get(a.client_id), plan, progress_of))
    return rows


def therapists_at(location: Location) -> QuerySet[TherapistProfile]:
    return TherapistProfile.objects.active().filter(locations=location).order_by("display_name")
