"""Every write to the schedule: book, reschedule, cancel, approve or decline, no-show.

Check-in and its undo are in :mod:`booking.arrivals`.

Booking cannot double-book: inside one transaction it locks the therapist row, re-checks the
slot against everything committed so far, then claims one free room at a time (lock that room
row, re-check it, move on if someone took it), saves, and writes its notification rows. Only
bookings that want the same therapist or the same room wait for each other; the rest of the
location books in parallel. On PostgreSQL exclusion constraints on (therapist, time) and
(room, time) are the last guard; their violation becomes :class:`SlotUnavailable`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from booking import notifications
from booking.availability import AvailabilityRequest, BusyIndex, Interval, Slot, compute_slots
from booking.availability_selectors import availability_request, nearest_slots, service_timing
from booking.exceptions import BookingRefused, ClientOverlap, SlotUnavailable
from booking.lifecycle import appointment_completed_announce
from booking.models import Appointment, AppointmentStatus, CarePlan
from booking.refusals import RANK, refusal_code, refusal_message
from booking.selectors import ensure_may_act_for, ensure_may_book_with
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, ClinicPolicy, Location, Role, Room, User
from intake.gate import BookingGate, booking_gate_for, refusal_text
from therapists.care import care_relationship_start
from therapists.models import Service, TherapistProfile

CLINICIAN_ROLES = (Role.THERAPIST, Role.CLINIC_ADMIN)

CLIENT_OVERLAP_CONSTRAINT = "booking_appointment_no_client_overlap"  # migration 0007
EXCLUSION_VIOLATION = "23P01"
DEADLOCK_DETECTED = "40P01"


def slot_payload(slot: Slot, zone: Any) -> dict[str, Any]:
    return {
        "therapist": slot.therapist_id,
        "start": slot.start.astimezone(zone).isoformat(),
        "end": slot.end.astimezone(zone).isoformat(),
    }


def unavailable(
    service: Service,
    location: Location,
    therapist: TherapistProfile,
    start: dt.datetime,
    *,
    is_staff: bool = False,
    exclude: int | None = None,
    for_client: int | None = None,
) -> SlotUnavailable:
    """The refusal for ``start``: its code names why, alternatives are at ``location``."""
    code = refusal_reason(
        service=service,
        location=location,
        therapist=therapist,
        start=start,
        is_staff=is_staff,
        exclude=exclude,
        for_client=for_client,
    )
    policy = ClinicPolicy.load()
    message = refusal_message(
        code,
        therapist=str(therapist),
        location=location.name,
        notice=policy.minimum_notice_hours,
        weeks=policy.booking_horizon_weeks,
    )
    return SlotUnavailable(
        message,
        code=code,
        extra={
            "alternatives": alternatives(
                service=service,
                location=location,
                therapist=therapist,
                start=start,
                is_staff=is_staff,
                exclude=exclude,
                for_client=for_client,
            )
        },
    )


def _day_request(
    service: Service,
    location: Location,
    therapist: TherapistProfile,
    start: dt.datetime,
    is_staff: bool,
    exclude: int | None,
    for_client: int | None,
    *,
    now: dt.datetime | None = None,
) -> AvailabilityRequest:
    """The availability question for one therapist on the local day of ``start``."""
    day = start.astimezone(location.zone).date()
    return availability_request(
        service=service,
        location=location,
        first_day=day,
        last_day=day,
        therapist_ids=[therapist.pk],
        ignore_notice=is_staff,
        exclude_appointment=exclude,
        for_client=for_client,
        now=now,
        # Under the booking's lock: the roster as it is now, never a cached one.
        fresh=True,
    )


def refusal_reason(
    *,
    service: Service,
    location: Location,
    therapist: TherapistProfile,
    start: dt.datetime,
    is_staff: bool,
    exclude: int | None,
    for_client: int | None,
) -> str:
    request = _day_request(service, location, therapist, start, is_staff, exclude, for_client)
    return refusal_code(request, start=start, therapist_id=therapist.pk, now=timezone.now())


def alternatives(
    *,
    service: Service,
    location: Location,
    therapist: TherapistProfile,
    start: dt.datetime,
    is_staff: bool = False,
    exclude: int | None = None,
    for_client: int | None = None,
    avoid: tuple[dt.datetime, dt.datetime] | None = None,
) -> list[dict[str, Any]]:
    """Free times of the therapist nearest ``start`` at ``location``, each naming its location."""
    slots = nearest_slots(
        service=service,
        location=location,
        therapist_id=therapist.pk,
        around=start,
        count=6,
        ignore_notice=is_staff,
        exclude_appointment=exclude,
        for_client=for_client,
    )
    if avoid is not None:
        slots = [s for s in slots if s.end <= avoid[0] or s.start >= avoid[1]]
    return [
        {**slot_payload(s, location.zone), "location": location.pk, "location_name": location.name}
        for s in slots[:3]
    ]


def _is_exclusion_violation(error: IntegrityError) -> bool:
    return getattr(error.__cause__, "pgcode", None) == EXCLUSION_VIOLATION


def _violated_constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def _candidate_locations(service: Service, therapist: TherapistProfile) -> list[Location]:
    return list(
        Location.objects.filter(is_active=True, services=service, therapists=therapist).order_by(
            "pk"
        )
    )


def lock_therapist(therapist: TherapistProfile) -> None:
    # NO KEY UPDATE: serialises bookings of this therapist without blocking the foreign-key
    # checks (KEY SHARE) of other transactions that merely reference the row.
    TherapistProfile.objects.select_for_update(no_key=True).filter(pk=therapist.pk).get()


class _RoomTaken(Exception):
    """Internal: the candidate room was booked by someone else since the availability read."""


def _claim_room(room_id: int, span: Interval, exclude: int | None) -> Room | None:
    """Lock one room row and re-check it; a room found taken is released at once.

    The savepoint matters: rolling it back drops this room's row lock, so a booking never
    holds a lock while waiting for another one and two single bookings cannot deadlock. Two
    multi-session bookings (care-plan series) still can, in theory; PostgreSQL then aborts
    one wait and that room simply counts as taken.
    """
    try:
        with transaction.atomic():
            room = Room.objects.select_for_update(no_key=True).get(pk=room_id)
            taken = (
                Appointment.objects.active()
                .filter(room_id=room_id)
                .overlapping(span.start, span.end)
            )
            if exclude is not None:
                taken = taken.exclude(pk=exclude)
            if taken.exists():
                raise _RoomTaken
            return room
    except _RoomTaken:
        return None
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == DEADLOCK_DETECTED:
            return None
        raise


def _rooms_to_try(
    rooms: dict[int, tuple[Interval, ...]], span: Interval, therapist_id: int
) -> list[int]:
    """Rooms free for the span, starting from a per-therapist offset.

    Starting each therapist at a different room means simultaneous bookings of different
    therapists rarely queue on the same room lock (and a therapist tends to keep one room).
    """
    free = [pk for pk, busy in sorted(rooms.items()) if BusyIndex(busy).is_free(span)]
    if not free:
        return []
    offset = therapist_id % len(free)
    return free[offset:] + free[:offset]


def find_room(
    *,
    service: Service,
    location: Location,
    therapist: TherapistProfile,
    start: dt.datetime,
    is_staff: bool,
    exclude: int | None,
    for_client: int | None,
    as_of: dt.datetime | None = None,
) -> Room | None:
    """Re-check the slot with everything committed; claim and return a room, or None if taken.

    The caller holds the therapist's row lock. Notice and horizon count from ``as_of`` (now).
    """
    request = _day_request(
        service, location, therapist, start, is_staff, exclude, for_client, now=as_of
    )
    if not any(s.start == start for s in compute_slots(request)):
        return None
    span = service_timing(service).occupied(start)
    for room_id in _rooms_to_try(request.rooms, span, therapist.pk):
        room = _claim_room(room_id, span, exclude)
        if room is not None:
            return room
    return None


def gate_booking_status(client: User, location_ids: list[int]) -> tuple[str, bool]:
    """The status a booking gets from the client's intake gate; BookingRefused when none may.

    Only a gate known to allow booking books: a gate value this function does not know
    refuses, so adding a level in intake can never open booking by accident.
    """
    gate = booking_gate_for(client)
    if gate == BookingGate.CLEAR:
        return AppointmentStatus.BOOKED, False
    if gate == BookingGate.INTAKE_DUE:
        return AppointmentStatus.BOOKED, True
    if gate == BookingGate.REQUEST:
        return AppointmentStatus.REQUESTED, False
    code = {BookingGate.EMERGENCY: "emergency", BookingGate.REFERRED: "referred"}.get(
        gate, "blocked"
    )
    raise BookingRefused(refusal_text(client, gate, location_ids=location_ids), code=code)


def check_bookable(service: Service, start: dt.datetime, *, is_staff: bool) -> None:
    if timezone.is_naive(start):
        message = _("Give the start with a time-zone offset.")
        raise ValidationFailed(message, extra={"fields": {"start": [message]}})
    if not service.is_active or (not service.bookable_online and not is_staff):
        message = _("This service cannot be booked online.")
        raise ValidationFailed(message, extra={"fields": {"service": [message]}})


def save_appointment(appointment: Appointment, **where: Any) -> Appointment:
    """Save; the exclusion constraint's refusal becomes "slot taken" with alternatives ``where``."""
    appointment.full_clean()
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if _is_exclusion_violation(error):
            if _violated_constraint(error) == CLIENT_OVERLAP_CONSTRAINT:
                raise ClientOverlap(
                    _("The client already has an appointment at that time."),
                    extra={"alternatives": []},
                ) from error
            raise unavailable(**where) from error
        raise
    return appointment


def _overlap_message(client: Any, actor: Any, clash: Appointment) -> str:
    local = clash.local_start
    names = {
        "start": f"{local:%H:%M}",
        "end": f"{clash.local_end:%H:%M}",
        # The date filter's names follow the active language ("Tue 01 Dec", "di 01 dec").
        "day": date_format(local, "D d M"),
        "location": clash.location.name,
        "client": str(client.get_full_name() or client.email),
    }
    if actor is not None and actor.pk == client.pk:
        return (
            _(
                "You already have an appointment from %(start)s to %(end)s on %(day)s at %(location)s."
            )
            % names
        )
    return (
        _(
            "%(client)s already has an appointment from %(start)s to %(end)s on %(day)s at %(location)s."
        )
        % names
    )


def ensure_client_free(
    *,
    client: Any,
    service: Service,
    therapist: TherapistProfile,
    location: Location,
    start: dt.datetime,
    actor: Any,
    exclude: int | None = None,
) -> None:
    """Refuse (ClientOverlap) when the client has another active appointment overlapping.

    Locks the client's row first, so two bookings of one client with two therapists queue
    here and the second sees the first; the exclusion constraint (0007) is the last guard.
    """
    end = start + service_timing(service).duration
    User.objects.select_for_update(no_key=True).filter(pk=client.pk).first()
    others = Appointment.objects.active().filter(
        client_id=client.pk, starts_at__lt=end, ends_at__gt=start
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = others.select_related("location").first()
    if clash is None:
        return
    message = _overlap_message(client, actor, clash)
    raise ClientOverlap(
        message,
        extra={
            "alternatives": alternatives(
                service=service,
                location=location,
                therapist=therapist,
                start=start,
                is_staff=bool(actor and actor.is_clinic_staff),
                exclude=exclude,
                for_client=client.pk,
                avoid=(clash.starts_at, clash.ends_at),
            )
        },
    )


@transaction.atomic
def appointment_book(
    *,
    client: User,
    service: Service,
    therapist: TherapistProfile,
    start: dt.datetime,
    actor: User,
    care_plan: CarePlan | None = None,
    plan_session_number: int | None = None,
    location: Location | None = None,
    as_of: dt.datetime | None = None,
) -> Appointment:
    """Book (or request) ``service`` with ``therapist`` at ``start`` (at ``location`` if given).

    Refusals are SlotUnavailable whose code names the reason (ClientOverlap when the client
    is already booked at that time). ``as_of`` records history: the booking is judged and
    stamped as if made then (default now).
    """
    is_staff = bool(actor and actor.is_clinic_staff)
    ensure_may_act_for(actor, client)
    ensure_may_book_with(actor, client, therapist.user)
    check_bookable(service, start, is_staff=is_staff)
    locations = _candidate_locations(service, therapist)
    status, intake_due = gate_booking_status(client, [loc.pk for loc in locations])
    start = start.astimezone(dt.UTC)
    if location is not None:
        locations = [loc for loc in locations if loc.pk == location.pk]
    if locations:
        lock_therapist(therapist)
        ensure_client_free(
            client=client,
            service=service,
            therapist=therapist,
            location=locations[0],
            start=start,
            actor=actor,
        )
    for location in locations:
        room = find_room(
            service=service,
            location=location,
            therapist=therapist,
            start=start,
            is_staff=is_staff,
            exclude=None,
            for_client=client.pk,
            as_of=as_of,
        )
        if room is None:
            continue
        occupied = service_timing(service).occupied(start)
        appointment = Appointment(
            client=client,
            therapist=therapist,
            service=service,
            location=location,
            room=room,
            starts_at=start,
            ends_at=start + service_timing(service).duration,
            occupied_from=occupied.start,
            occupied_until=occupied.end,
            status=status,
            booked_with_intake_due=intake_due,
            care_plan=care_plan,
            plan_session_number=plan_session_number,
            created_by=actor,
            created_at=as_of or timezone.now(),
        )
        save_appointment(
            appointment, service=service, location=location, therapist=therapist, start=start
        )
        care_relationship_start(therapist=therapist.user, client=client)
        notifications.appointment_notifications_schedule(appointment, as_of=as_of)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=appointment,
            subject=client,
            detail=f"booking: {status}",
        )
        return appointment
    if not locations:
        field = "therapist" if location is None else "location"
        message = (
            _("This therapist does not offer this service.")
            if location is None
            else _("This therapist does not offer this service there.")
        )
        raise ValidationFailed(message, extra={"fields": {field: [message]}})
    raise unavailable(
        service=service,
        location=_nearest_to_bookable(
            service, locations, therapist, start, is_staff=is_staff, client_id=client.pk
        ),
        therapist=therapist,
        start=start,
        is_staff=is_staff,
        for_client=client.pk,
    )


def _nearest_to_bookable(
    service: Service,
    locations: list[Location],
    therapist: TherapistProfile,
    start: dt.datetime,
    *,
    is_staff: bool,
    client_id: int,
) -> Location:
    """Of the therapist's locations, the one where ``start`` came closest to being bookable."""
    if len(locations) == 1:
        return locations[0]
    reasons = {
        loc.pk: refusal_reason(
            service=service,
            location=loc,
            therapist=therapist,
            start=start,
            is_staff=is_staff,
            exclude=None,
            for_client=client_id,
        )
        for loc in locations
    }
    return max(locations, key=lambda loc: RANK.index(reasons[loc.pk]))


def _set_status(
    appointment: Appointment, actor: User, status: str, *, allowed_from: tuple[str, ...]
) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status not in allowed_from:
        raise ValidationFailed(
            _("A %(status)s appointment cannot become %(new_status)s.")
            % {
                "status": appointment.get_status_display().lower(),
                "new_status": AppointmentStatus(status).label.lower(),
            }
        )
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=appointment,
        subject=appointment.client,
        detail=status,
    )
    return appointment


@transaction.atomic
def appointment_mark_no_show(
    *, appointment: Appointment, actor: User, as_of: dt.datetime | None = None
) -> Appointment:
    """Staff record that the client did not come (only once the start has passed, as of now)."""
    if appointment.starts_at > (as_of or timezone.now()):
        raise ValidationFailed(
            _("An appointment can be marked as a no-show only after it starts."), code="too_early"
        )
    appointment = _set_status(
        appointment, actor, AppointmentStatus.NO_SHOW, allowed_from=(AppointmentStatus.BOOKED,)
    )
    notifications.appointment_notifications_no_show(appointment)
    return appointment


@transaction.atomic
def appointment_complete(
    *, appointment: Appointment, actor: User, as_of: dt.datetime | None = None
) -> Appointment:
    """Mark the session done and tell the completion listeners (same transaction).

    ``as_of`` records history: listeners skip messages that would long be stale by now.
    """
    appointment = _set_status(
        appointment,
        actor,
        AppointmentStatus.COMPLETED,
        allowed_from=(AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN),
    )
    notifications.appointment_notifications_completed(appointment)
    # The floors above (the workspace's self-care follow-ups) queue their part here.
    appointment_completed_announce(appointment, as_of=as_of)
    return appointment
