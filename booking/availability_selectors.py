"""Load everything availability needs for a window in a fixed number of queries.

The query count does not depend on the number of days or therapists: shifts, time off,
closures, appointments, rooms, opening hours and open waitlist holds are each fetched once
for the whole window and handed to :mod:`booking.availability` as plain data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q, QuerySet
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


def _therapists(
    service: Service, location: Location, window: Window, therapist_ids: Iterable[int] | None
) -> list[TherapistProfile]:
    qs = therapists_for_service(service, location, on=window.first_day)
    if therapist_ids is not None:
        qs = qs.filter(pk__in=list(therapist_ids))
    shifts = Shift.objects.filter(location=location, effective_from__lte=window.last_day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=window.first_day)
    )
    return list(
        qs.annotate(licensed_until=Max("credentials__expires_on"))
        .prefetch_related(Prefetch("shifts", queryset=shifts, to_attr="window_shifts"))
        .order_by("pk")
    )


def _weekly_hours(shift: Shift, licensed_until: dt.date | None) -> WeeklyHours:
    # A therapist is not offered past the day their last licence expires.
    until = shift.effective_to
    if licensed_until is not None and (until is None or licensed_until < until):
        until = licensed_until
    return WeeklyHours(shift.weekday, shift.starts_at, shift.ends_at, shift.effective_from, until)


def _busy_rows(
    ids: list[int], location: Location, span: Interval, exclude_appointment: int | None
) -> tuple[dict[int, list[Interval]], dict[int, list[dt.datetime]], dict[int, list[Interval]]]:
    therapist_busy: dict[int, list[Interval]] = defaultdict(list)
    sessions: dict[int, list[dt.datetime]] = defaultdict(list)
    room_busy: dict[int, list[Interval]] = defaultdict(list)
    appointments = (
        Appointment.objects.filter(status__in=ACTIVE_STATUSES)
        .filter(Q(therapist_id__in=ids) | Q(location=location))
        .filter(occupied_from__lt=span.end, occupied_until__gt=span.start)
    )
    if exclude_appointment is not None:
        appointments = appointments.exclude(pk=exclude_appointment)
    rows = appointments.order_by().values_list(
        "therapist_id", "room_id", "starts_at", "occupied_from", "occupied_until"
    )
    for therapist_id, room_id, starts_at, start, end in rows:
        therapist_busy[therapist_id].append(Interval(start, end))
        sessions[therapist_id].append(starts_at)
        room_busy[room_id].append(Interval(start, end))
    for therapist_id, start, end in TimeOff.objects.filter(
        therapist_id__in=ids, starts_at__lt=span.end, ends_at__gt=span.start
    ).values_list("therapist_id", "starts_at", "ends_at"):
        therapist_busy[therapist_id].append(Interval(start, end))
    return therapist_busy, sessions, room_busy


def _held_by_offers(
    ids: list[int], span: Interval, now: dt.datetime, for_client: int | None
) -> dict[int, list[Interval]]:
    """Slots held for waitlisted clients (not held against the client they are offered to)."""
    held: dict[int, list[Interval]] = defaultdict(list)
    offers = WaitlistOffer.objects.filter(
        status=WaitlistOfferStatus.OPEN,
        expires_at__gt=now,
        therapist_id__in=ids,
        starts_at__lt=span.end,
        ends_at__gt=span.start,
    ).exclude(entry__client_id=for_client)
    for therapist_id, start, end in offers.values_list("therapist_id", "starts_at", "ends_at"):
        held[therapist_id].append(Interval(start, end))
    return held


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
) -> AvailabilityRequest:
    """Gather the window's data (a fixed number of queries) into a pure AvailabilityRequest."""
    policy = policy or ClinicPolicy.load()
    now = now or timezone.now()
    zone = location.zone
    window = Window(first_day, last_day)
    span = window_bounds(first_day, last_day, zone)
    # Busy spans reaching into the window from outside it still matter (buffers, long blocks).
    margin = dt.timedelta(hours=12)
    load_span = Interval(span.start - margin, span.end + margin)
    therapists = _therapists(service, location, window, therapist_ids)
    ids = [t.pk for t in therapists]
    busy, sessions, room_busy = _busy_rows(ids, location, load_span, exclude_appointment)
    for therapist_id, held in _held_by_offers(ids, load_span, now, for_client).items():
        busy[therapist_id].extend(held)
    closures = Closure.objects.filter(
        location=location, starts_at__lt=load_span.end, ends_at__gt=load_span.start
    ).values_list("starts_at", "ends_at")
    rooms = Room.objects.filter(location=location, is_active=True).values_list("pk", flat=True)
    opening = OpeningHours.objects.filter(location=location).values_list(
        "weekday", "opens", "closes"
    )
    notice = dt.timedelta(hours=0 if ignore_notice else policy.minimum_notice_hours)
    return AvailabilityRequest(
        zone=zone,
        first_day=first_day,
        last_day=last_day,
        service=service_timing(service),
        step_minutes=policy.slot_step_minutes,
        earliest=now + notice,
        latest=now + dt.timedelta(weeks=policy.booking_horizon_weeks),
        opening_hours=tuple(WeeklyHours(w, o, c) for w, o, c in opening),
        therapists=tuple(
            TherapistSchedule(
                therapist_id=t.pk,
                # Annotated and prefetched by _therapists().
                hours=tuple(
                    _weekly_hours(s, t.licensed_until)  # type: ignore[attr-defined]
                    for s in t.window_shifts  # type: ignore[attr-defined]
                ),
                busy=tuple(busy.get(t.pk, ())),
                session_starts=tuple(sessions.get(t.pk, ())),
                max_sessions_per_day=t.max_sessions_per_day,
            )
            for t in therapists
        ),
        closures=tuple(Interval(s, e) for s, e in closures),
        rooms={pk: tuple(room_busy.get(pk, ())) for pk in rooms},
    )


def open_slots(**kwargs: object) -> list[Slot]:
    """Free slots for a service at a location between two local days (see availability_request)."""
    return compute_slots(availability_request(**kwargs))  # type: ignore[arg-type]


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
