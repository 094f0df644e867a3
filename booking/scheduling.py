"""Every write to the schedule: book, reschedule, cancel, approve or decline, check in, no-show.

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

from booking import notifications
from booking.availability import BusyIndex, Interval, Slot, compute_slots
from booking.availability_selectors import availability_request, nearest_slots, service_timing
from booking.exceptions import BookingRefused, SlotUnavailable
from booking.lifecycle import appointment_completed_announce
from booking.models import Appointment, AppointmentStatus, CarePlan
from booking.selectors import ensure_may_act_for, ensure_may_book_with
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, Location, Role, Room, User
from intake.gate import BookingGate, booking_gate_for, refusal_text
from therapists.care import care_relationship_start
from therapists.models import Service, TherapistProfile

CLINICIAN_ROLES = (Role.THERAPIST, Role.CLINIC_ADMIN)

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
    **kwargs: Any,
) -> SlotUnavailable:
    alternatives = nearest_slots(
        service=service, location=location, therapist_id=therapist.pk, around=start, **kwargs
    )
    return SlotUnavailable(
        "That time is no longer available. Please choose another time.",
        extra={"alternatives": [slot_payload(s, location.zone) for s in alternatives]},
    )


def _is_exclusion_violation(error: IntegrityError) -> bool:
    return getattr(error.__cause__, "pgcode", None) == EXCLUSION_VIOLATION


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
    day = start.astimezone(location.zone).date()
    request = availability_request(
        service=service,
        location=location,
        first_day=day,
        last_day=day,
        therapist_ids=[therapist.pk],
        ignore_notice=is_staff,
        exclude_appointment=exclude,
        for_client=for_client,
        now=as_of,
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
        raise ValidationFailed(
            "Give the start with a time-zone offset.",
            extra={"fields": {"start": ["Give the start with a time-zone offset."]}},
        )
    if not service.is_active or (not service.bookable_online and not is_staff):
        raise ValidationFailed(
            "This service cannot be booked online.",
            extra={"fields": {"service": ["This service cannot be booked online."]}},
        )


def save_appointment(appointment: Appointment, **where: Any) -> Appointment:
    """Save; the exclusion constraint's refusal becomes "slot taken" with alternatives ``where``."""
    appointment.full_clean()
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if _is_exclusion_violation(error):
            raise unavailable(**where) from error
        raise
    return appointment


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
    as_of: dt.datetime | None = None,
) -> Appointment:
    """Book (or request) ``service`` with ``therapist`` at ``start``; SlotUnavailable if taken.

    ``as_of`` records history: the booking is judged and stamped as if made then (default now).
    """
    is_staff = bool(actor and actor.is_clinic_staff)
    ensure_may_act_for(actor, client)
    ensure_may_book_with(actor, client, therapist.user)
    check_bookable(service, start, is_staff=is_staff)
    locations = _candidate_locations(service, therapist)
    status, intake_due = gate_booking_status(client, [loc.pk for loc in locations])
    start = start.astimezone(dt.UTC)
    if locations:
        lock_therapist(therapist)
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
        raise ValidationFailed(
            "This therapist does not offer this service.",
            extra={"fields": {"therapist": ["This therapist does not offer this service."]}},
        )
    raise unavailable(service=service, location=locations[0], therapist=therapist, start=start)


def _set_status(
    appointment: Appointment, actor: User, status: str, *, allowed_from: tuple[str, ...]
) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status not in allowed_from:
        raise ValidationFailed(
            f"A {appointment.get_status_display().lower()} appointment cannot become {AppointmentStatus(status).label.lower()}."
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
        raise ValidationFailed("An appointment can be marked as a no-show only after it starts.")
    return _set_status(
        appointment, actor, AppointmentStatus.NO_SHOW, allowed_from=(AppointmentStatus.BOOKED,)
    )


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor: User) -> Appointment:
    return _set_status(
        appointment, actor, AppointmentStatus.CHECKED_IN, allowed_from=(AppointmentStatus.BOOKED,)
    )


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
