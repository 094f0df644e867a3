"""Load everything availability needs for a window in a fixed number of queries.

The query count does not depend on the number of days or therapists: busy time (appointments,
time off, open waitlist holds, closures) is one query for the whole window; the roster
(bookable therapists, their shifts and licences, rooms, opening hours) changes rarely and is
cached under a version that every save or delete of its parts bumps (booking.apps). Both are
handed to :mod:`booking.availability` as plain data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, IntegerField, Max, Q, QuerySet, Value
from django.utils import timezone

from booking.availability import (
    AvailabilityRequest,
    Interval,
    ServiceTiming,
    Slot,
    TherapistSchedule,
    WeeklyHours,
    compute_slots,
    window_bounds,
)
from booking.models import ACTIVE_STATUSES, Appointment, WaitlistOffer, WaitlistOfferStatus
from clinic.models import ClinicPolicy, Location, OpeningHours, Room
from clinic.schedule_cache import schedule_memo
from therapists.models import Closure, Service, Shift, TherapistProfile, TimeOff


@dataclass(frozen=True)
class Window:
    first_day: dt.date
    last_day: dt.date


def service_timing(service: Service) -> ServiceTiming:
    return ServiceTiming(
        service.duration_minutes, service.buffer_before_minutes, service.buffer_after_minutes
    )


def therapists_for_service(
    service: Service, location: Location, *, on: dt.date
) -> QuerySet[TherapistProfile]:
    """Bookable therapists at the location who may give the service."""
    qs = TherapistProfile.objects.bookable(on=on).filter(locations=location)
    if service.required_modality_id:
        qs = qs.filter(modalities=service.required_modality_id)
    if service.required_competency_id:
        qs = qs.filter(competencies=service.required_competency_id)
    return qs


# --- the roster: who works when, rooms, opening hours (rarely changes, cached) -------------------

# Cached under clinic.schedule_cache's version, which every save or delete of a shift, a
# therapist, a licence, a training, a room, opening hours, a service or a location bumps
# (booking.apps); for a minute at most either way (clinic.schedule_cache.MEMO_SECONDS).


@dataclass(frozen=True)
class RosterTherapist:
    therapist_id: int
    max_sessions_per_day: int | None
    licensed_until: dt.date | None
    # (weekday, starts, ends, effective from, effective to) of every shift at the location.
    shifts: tuple[tuple[int, dt.time, dt.time, dt.date, dt.date | None], ...]


@dataclass(frozen=True)
class Roster:
    """Bookable therapists for a service at a location on a day, with rooms and opening hours."""

    therapists: tuple[RosterTherapist, ...]
    rooms: tuple[int, ...]
    opening: tuple[WeeklyHours, ...]


def _roster_load(service: Service, location: Location, on: dt.date) -> Roster:
    rows = list(
        therapists_for_service(service, location, on=on)
        .annotate(licensed_until=Max("credentials__expires_on"))
        .order_by("pk")
        .values_list("pk", "max_sessions_per_day", "licensed_until")
    )
    shifts: dict[int, list[tuple[int, dt.time, dt.time, dt.date, dt.date | None]]] = defaultdict(
        list
    )
    for therapist_id, *shift in (
        Shift.objects.filter(location=location, therapist_id__in=[row[0] for row in rows])
        .order_by("pk")
        .values_list(
            "therapist_id", "weekday", "starts_at", "ends_at", "effective_from", "effective_to"
        )
    ):
        shifts[therapist_id].append(tuple(shift))  # type: ignore[arg-type]
    rooms = Room.objects.filter(location=location, is_active=True).order_by("pk")
    opening = OpeningHours.objects.filter(location=location).order_by("pk")
    return Roster(
        therapists=tuple(
            RosterTherapist(pk, cap, licensed_until, tuple(shifts.get(pk, ())))
            for pk, cap, licensed_until in rows
        ),
        rooms=tuple(rooms.values_list("pk", flat=True)),
        opening=tuple(
            WeeklyHours(w, o, c) for w, o, c in opening.values_list("weekday", "opens", "closes")
        ),
    )


def roster(service: Service, location: Location, *, on: dt.date, fresh: bool = False) -> Roster:
    """The roster on ``on``: from the cache unless ``fresh`` (the booking's own check is)."""
    if fresh:
        return _roster_load(service, location, on)
    return schedule_memo(
        f"roster:{location.pk}:{service.pk}:{on.isoformat()}",
        lambda: _roster_load(service, location, on),
    )


@dataclass(frozen=True)
class Catalog:
    """What the availability API checks its parameters against, cached with the roster."""

    services: dict[int, Service]  # active ones
    locations: dict[int, Location]  # active ones
    offered: frozenset[tuple[int, int]]  # (service, location)
    therapists: dict[int, TherapistProfile]


def _catalog_load() -> Catalog:
    services = {s.pk: s for s in Service.objects.filter(is_active=True)}
    return Catalog(
        services=services,
        locations={loc.pk: loc for loc in Location.objects.filter(is_active=True)},
        offered=frozenset(
            Service.locations.through.objects.filter(service_id__in=services).values_list(
                "service_id", "location_id"
            )
        ),
        therapists={t.pk: t for t in TherapistProfile.objects.all()},
    )


def catalog() -> Catalog:
    """Active services and locations, where each is offered, and therapists (cached)."""
    return schedule_memo("catalog", _catalog_load)


def _weekly_hours(
    shift: tuple[int, dt.time, dt.time, dt.date, dt.date | None], licensed_until: dt.date | None
) -> WeeklyHours:
    # A therapist is not offered past the day their last licence expires.
    weekday, starts, ends, effective_from, until = shift
    if licensed_until is not None and (until is None or licensed_until < until):
        until = licensed_until
    return WeeklyHours(weekday, starts, ends, effective_from, until)


def _in_window(
    shift: tuple[int, dt.time, dt.time, dt.date, dt.date | None], window: Window
) -> bool:
    _w, _s, _e, effective_from, effective_to = shift
    return effective_from <= window.last_day and (
        effective_to is None or effective_to >= window.first_day
    )


# --- busy time: read per request, in one query -------------------------------------------------

APPOINTMENT, BLOCK, CLOSURE = 0, 1, 2


@dataclass(frozen=True)
class BusyQuestion:
    therapist_ids: tuple[int, ...]
    location_ids: tuple[int, ...]
    start: dt.datetime
    end: dt.datetime
    now: dt.datetime
    exclude_appointment: int | None
    for_client: int | None


BusyRow = tuple[int, int | None, int | None, int, dt.datetime, dt.datetime, dt.datetime]
BUSY_COLUMNS = (
    "busy_kind", "busy_who", "busy_room", "busy_where", "busy_from", "busy_until", "busy_start",
)  # fmt: skip


def busy_queryset(question: BusyQuestion) -> QuerySet[Any]:
    """The busy-time question as one ORM query: a UNION ALL of the four sources."""
    ids, start, end = list(question.therapist_ids), question.start, question.end
    places = list(question.location_ids)
    number = IntegerField()
    appointments = (
        Appointment.objects.filter(status__in=ACTIVE_STATUSES)
        .filter(Q(therapist_id__in=ids) | Q(location_id__in=places))
        .filter(occupied_from__lt=end, occupied_until__gt=start)
    )
    if question.exclude_appointment is not None:
        appointments = appointments.exclude(pk=question.exclude_appointment)
    time_off = TimeOff.objects.filter(therapist_id__in=ids, starts_at__lt=end, ends_at__gt=start)
    # Slots held for waitlisted clients (not held against the client they are offered to).
    held = WaitlistOffer.objects.filter(
        status=WaitlistOfferStatus.OPEN,
        expires_at__gt=question.now,
        therapist_id__in=ids,
        starts_at__lt=end,
        ends_at__gt=start,
    ).exclude(entry__client_id=question.for_client)
    closed = Closure.objects.filter(location_id__in=places, starts_at__lt=end, ends_at__gt=start)
    others: list[QuerySet[Any]] = [
        rows.order_by()
        .annotate(
            busy_kind=Value(kind, number),
            busy_who=who,
            busy_room=Value(None, number),
            busy_where=where,
            busy_from=F("starts_at"),
            busy_until=F("ends_at"),
            busy_start=F("starts_at"),
        )
        .values_list(*BUSY_COLUMNS)
        for kind, rows, who, where in (
            (BLOCK, time_off, F("therapist_id"), Value(0, number)),
            (BLOCK, held, F("therapist_id"), F("location_id")),
            (CLOSURE, closed, Value(None, number), F("location_id")),
        )
    ]
    return (
        appointments.order_by()
        .annotate(
            busy_kind=Value(APPOINTMENT, number),
            busy_who=F("therapist_id"),
            busy_room=F("room_id"),
            busy_where=F("location_id"),
            busy_from=F("occupied_from"),
            busy_until=F("occupied_until"),
            busy_start=F("starts_at"),
        )
        .values_list(*BUSY_COLUMNS)
        .union(*others, all=True)
    )


# Building that query with the ORM costs more than PostgreSQL takes to answer it, and its SQL
# changes only with the question's shape (how many therapists; whether an appointment is left
# out; whether a client's own holds are). So the SQL is compiled once per shape from a question
# made of recognisable stand-in values, and each parameter remembers which value it stands for.
Shape = tuple[str, int, int, bool, bool]
Slot_ = tuple[str, Any]  # (name of the question's value, index) or ("", constant)
_templates: dict[Shape, tuple[str, tuple[Slot_, ...]] | None] = {}
_STAND_IN = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)


def _stand_in(shape: Shape) -> BusyQuestion:
    _vendor, count, places, excluding, for_client = shape
    return BusyQuestion(
        therapist_ids=tuple(-1_000_001 - n for n in range(count)),
        location_ids=tuple(-2_000_001 - n for n in range(places)),
        start=_STAND_IN + dt.timedelta(seconds=1),
        end=_STAND_IN + dt.timedelta(seconds=2),
        now=_STAND_IN + dt.timedelta(seconds=3),
        exclude_appointment=-3_000_001 if excluding else None,
        for_client=-4_000_001 if for_client else None,
    )


def _values(question: BusyQuestion) -> dict[str, Any]:
    adapt = connection.ops.adapt_datetimefield_value
    return {
        "start": adapt(question.start),
        "end": adapt(question.end),
        "now": adapt(question.now),
        "exclude_appointment": question.exclude_appointment,
        "for_client": question.for_client,
    }


def _template(shape: Shape) -> tuple[str, tuple[Slot_, ...]] | None:
    stand_in = _stand_in(shape)
    sources: dict[Any, Slot_] = {
        value: (name, 0) for name, value in _values(stand_in).items() if value is not None
    }
    for n, pk in enumerate(stand_in.therapist_ids):
        sources[pk] = ("therapist_ids", n)
    for n, pk in enumerate(stand_in.location_ids):
        sources[pk] = ("location_ids", n)
    try:
        sql, params = busy_queryset(stand_in).query.sql_with_params()
    except EmptyResultSet:
        return None
    slots = tuple(
        sources.get(param, ("", param))
        if isinstance(param, int | str | dt.datetime)
        else ("", param)
        for param in params
    )
    # A stand-in written into the SQL itself, not passed as a parameter, would answer every
    # later question with the stand-in: then this shape keeps using the ORM.
    if any(mark in sql for mark in ("1000001", "2000001", "3000001", "4000001", "1901-01-01")):
        return None
    return sql, slots


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite answers with text
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def busy_query(question: BusyQuestion) -> list[BusyRow]:
    """The busy-time rows (kind, therapist, room, from, until, start) for the question."""
    shape = (
        connection.vendor,
        len(question.therapist_ids),
        len(question.location_ids),
        question.exclude_appointment is not None,
        question.for_client is not None,
    )
    if shape not in _templates:
        _templates[shape] = _template(shape)
    template = _templates[shape]
    if template is None:
        return list(busy_queryset(question))
    sql, slots = template
    values = _values(question)
    values["therapist_ids"] = question.therapist_ids
    values["location_ids"] = question.location_ids
    params = [
        detail if not name else values[name][detail] if name.endswith("_ids") else values[name]
        for name, detail in slots
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":  # aware datetimes in UTC already
        return rows
    return [
        (kind, who, room, where, _aware(start), _aware(end), _aware(begins))
        for kind, who, room, where, start, end, begins in rows
    ]


@dataclass
class _Busy:
    therapists: dict[int, list[Interval]]
    sessions: dict[int, list[dt.datetime]]
    rooms: dict[int, list[Interval]]
    closures: dict[int, list[Interval]]  # by location


def _busy_rows(
    ids: Iterable[int],
    location_ids: Iterable[int],
    span: Interval,
    exclude_appointment: int | None,
    now: dt.datetime,
    for_client: int | None,
) -> _Busy:
    """Appointments, time off, waitlist holds and closures in the span: one query."""
    busy = _Busy(defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list))
    question = BusyQuestion(
        tuple(dict.fromkeys(ids)),
        tuple(dict.fromkeys(location_ids)),
        span.start,
        span.end,
        now,
        exclude_appointment,
        for_client,
    )
    for kind, therapist_id, room_id, where, start, end, starts_at in busy_query(question):
        if kind == APPOINTMENT:
            span = Interval(start, end)  # immutable: the therapist's and the room's
            busy.therapists[therapist_id].append(span)  # type: ignore[index]
            busy.sessions[therapist_id].append(starts_at)  # type: ignore[index]
            busy.rooms[room_id].append(span)  # type: ignore[index]
        elif kind == BLOCK:
            busy.therapists[therapist_id].append(Interval(start, end))  # type: ignore[index]
        else:
            busy.closures[where].append(Interval(start, end))
    return busy


def _therapist_schedule(
    therapist: RosterTherapist, window: Window, busy: _Busy
) -> TherapistSchedule:
    return TherapistSchedule(
        therapist_id=therapist.therapist_id,
        hours=tuple(
            _weekly_hours(shift, therapist.licensed_until)
            for shift in therapist.shifts
            if _in_window(shift, window)
        ),
        busy=tuple(busy.therapists.get(therapist.therapist_id, ())),
        session_starts=tuple(busy.sessions.get(therapist.therapist_id, ())),
        max_sessions_per_day=therapist.max_sessions_per_day,
    )


def availability_request(
    *,
    service: Service,
    location: Location,
    first_day: dt.date,
    last_day: dt.date,
    therapist_ids: Iterable[int] | None = None,
    policy: ClinicPolicy | None = None,
    now: dt.datetime | None = None,
    ignore_notice: bool = False,
    exclude_appointment: int | None = None,
    for_client: int | None = None,
    fresh: bool = False,
) -> AvailabilityRequest:
    """Gather the window's data into a pure AvailabilityRequest.

    One query for busy time (appointments, time off, waitlist holds, closures) plus the
    roster (bookable therapists with their shifts and licences, rooms, opening hours), which
    comes from the cache unless ``fresh``: the booking's own check under its lock asks fresh.
    """
    (request,) = availability_requests(
        service=service,
        windows=[(location, first_day, last_day)],
        therapist_ids=therapist_ids,
        policy=policy,
        now=now,
        ignore_notice=ignore_notice,
        exclude_appointment=exclude_appointment,
        for_client=for_client,
        fresh=fresh,
    )
    return request


def availability_requests(
    *,
    service: Service,
    windows: Sequence[tuple[Location, dt.date, dt.date]],
    therapist_ids: Iterable[int] | None = None,
    policy: ClinicPolicy | None = None,
    now: dt.datetime | None = None,
    ignore_notice: bool = False,
    exclude_appointment: int | None = None,
    for_client: int | None = None,
    fresh: bool = False,
) -> list[AvailabilityRequest]:
    """One AvailabilityRequest per (location, first day, last day), with ONE busy-time query
    for all of them (so a chain-wide question costs as many queries as one location's)."""
    policy = policy or ClinicPolicy.load()
    now = now or timezone.now()
    wanted = None if therapist_ids is None else set(therapist_ids)
    # Busy spans reaching into a window from outside it still matter (buffers, long blocks).
    margin = dt.timedelta(hours=12)
    spans, staffs = [], []
    for location, first_day, last_day in windows:
        span = window_bounds(first_day, last_day, location.zone)
        spans.append(Interval(span.start - margin, span.end + margin))
        staff = roster(service, location, on=first_day, fresh=fresh)
        therapists = tuple(
            t for t in staff.therapists if wanted is None or t.therapist_id in wanted
        )
        staffs.append((staff, therapists))
    if not spans:
        return []
    busy = _busy_rows(
        (t.therapist_id for _staff, therapists in staffs for t in therapists),
        (location.pk for location, _first, _last in windows),
        Interval(min(s.start for s in spans), max(s.end for s in spans)),
        exclude_appointment,
        now,
        for_client,
    )
    notice = dt.timedelta(hours=0 if ignore_notice else policy.minimum_notice_hours)
    timing = service_timing(service)
    return [
        AvailabilityRequest(
            zone=location.zone,
            first_day=first_day,
            last_day=last_day,
            service=timing,
            step_minutes=policy.slot_step_minutes,
            earliest=now + notice,
            latest=now + dt.timedelta(weeks=policy.booking_horizon_weeks),
            opening_hours=staff.opening,
            therapists=tuple(
                _therapist_schedule(t, Window(first_day, last_day), busy) for t in therapists
            ),
            closures=tuple(busy.closures.get(location.pk, ())),
            rooms={pk: tuple(busy.rooms.get(pk, ())) for pk in staff.rooms},
        )
        for (location, first_day, last_day), (staff, therapists) in zip(
            windows, staffs, strict=True
        )
    ]


def open_slots(**kwargs: object) -> list[Slot]:
    """Free slots for a service at a location between two local days (see availability_request)."""
    return compute_slots(availability_request(**kwargs))  # type: ignore[arg-type]


def open_slots_by_location(**kwargs: object) -> dict[int, list[Slot]]:
    """Free slots at each location of ``windows`` (see availability_requests), by location id."""
    requests = availability_requests(**kwargs)  # type: ignore[arg-type]
    windows: Sequence[tuple[Location, dt.date, dt.date]] = kwargs["windows"]  # type: ignore[assignment]
    return {
        location.pk: compute_slots(request)
        for (location, _first, _last), request in zip(windows, requests, strict=True)
    }


def nearest_slots(
    *,
    service: Service,
    location: Location,
    therapist_id: int,
    around: dt.datetime,
    count: int = 3,
    days: int = 3,
    **kwargs: object,
) -> list[Slot]:
    """The therapist's free slots closest in time to ``around`` (within ``days`` either side)."""
    local_day = around.astimezone(location.zone).date()
    slots = open_slots(
        service=service,
        location=location,
        first_day=local_day - dt.timedelta(days=days),
        last_day=local_day + dt.timedelta(days=days),
        therapist_ids=[therapist_id],
        **kwargs,
    )
    slots.sort(key=lambda s: (abs((s.start - around).total_seconds()), s.start))
    return sorted(slots[:count])
