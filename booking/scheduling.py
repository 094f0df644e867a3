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
from booking.exceptions import BookingRefused, SlotUnavailable, TooLateToChange
from booking.models import Appointment, AppointmentStatus, CarePlan
from booking.selectors import ensure_may_act_for
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, ClinicPolicy, Location, Role, Room
from intake.gate import BookingGate, booking_gate_for, emergency_advice
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


def _unavailable(
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


def _lock_therapist(therapist: TherapistProfile) -> None:
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


def _find_room(
    *,
    service: Service,
    location: Location,
    therapist: TherapistProfile,
    start: dt.datetime,
    is_staff: bool,
    exclude: int | None,
    for_client: int | None,
) -> Room | None:
    """Re-check the slot with everything committed; claim and return a room, or None if taken.

    The caller holds the therapist's row lock.
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
    )
    if not any(s.start == start for s in compute_slots(request)):
        return None
    span = service_timing(service).occupied(start)
    for room_id in _rooms_to_try(request.rooms, span, therapist.pk):
        room = _claim_room(room_id, span, exclude)
        if room is not None:
            return room
    return None


def _gate_status(client: Any) -> tuple[str, bool]:
    gate = booking_gate_for(client)
    if gate == BookingGate.EMERGENCY:
        raise BookingRefused(str(emergency_advice()), code="emergency")
    if gate == BookingGate.REFERRED:
        raise BookingRefused(
            "Online booking is not available for you. Please contact the clinic.", code="referred"
        )
    if gate == BookingGate.REQUEST:
        return AppointmentStatus.REQUESTED, False
    return AppointmentStatus.BOOKED, gate == BookingGate.INTAKE_DUE


def _check_bookable(service: Service, start: dt.datetime, *, is_staff: bool) -> None:
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


def _save(appointment: Appointment, **unavailable: Any) -> Appointment:
    appointment.full_clean()
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if _is_exclusion_violation(error):
            raise _unavailable(**unavailable) from error
        raise
    return appointment


@transaction.atomic
def appointment_book(
    *,
    client: Any,
    service: Service,
    therapist: TherapistProfile,
    start: dt.datetime,
    actor: Any,
    care_plan: CarePlan | None = None,
    plan_session_number: int | None = None,
) -> Appointment:
    """Book (or request) ``service`` with ``therapist`` at ``start``; SlotUnavailable if taken."""
    is_staff = bool(actor and actor.is_clinic_staff)
    ensure_may_act_for(actor, client)
    _check_bookable(service, start, is_staff=is_staff)
    status, intake_due = _gate_status(client)
    start = start.astimezone(dt.UTC)
    locations = _candidate_locations(service, therapist)
    if locations:
        _lock_therapist(therapist)
    for location in locations:
        room = _find_room(
            service=service,
            location=location,
            therapist=therapist,
            start=start,
            is_staff=is_staff,
            exclude=None,
            for_client=client.pk,
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
        )
        _save(appointment, service=service, location=location, therapist=therapist, start=start)
        notifications.appointment_notifications_schedule(appointment)
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
    raise _unavailable(service=service, location=locations[0], therapist=therapist, start=start)


def _client_may_still_change(appointment: Appointment, actor: Any, now: dt.datetime) -> bool:
    if actor.is_clinic_staff:
        return True
    cutoff = dt.timedelta(hours=ClinicPolicy.load().cancellation_cutoff_hours)
    return appointment.starts_at - now >= cutoff


def _require_upcoming(appointment: Appointment) -> None:
    if appointment.status not in (AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED):
        raise ValidationFailed(
            f"This appointment is {appointment.get_status_display().lower()} and cannot be changed."
        )


@transaction.atomic
def appointment_reschedule(
    *, appointment: Appointment, start: dt.datetime, actor: Any
) -> Appointment:
    """Move an upcoming appointment to ``start`` (same therapist and service)."""
    now = timezone.now()
    _require_upcoming(appointment)
    if not _client_may_still_change(appointment, actor, now):
        raise TooLateToChange(
            "It is too late to reschedule online. Please call the clinic.",
        )
    _check_bookable(appointment.service, start, is_staff=actor.is_clinic_staff)
    start = start.astimezone(dt.UTC)
    service, therapist, location = appointment.service, appointment.therapist, appointment.location
    _lock_therapist(therapist)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _require_upcoming(appointment)
    room = _find_room(
        service=service,
        location=location,
        therapist=therapist,
        start=start,
        is_staff=actor.is_clinic_staff,
        exclude=appointment.pk,
        for_client=appointment.client_id,
    )
    if room is None:
        raise _unavailable(service=service, location=location, therapist=therapist, start=start)
    occupied = service_timing(service).occupied(start)
    freed = (appointment.starts_at, appointment.ends_at)
    appointment.starts_at, appointment.ends_at = start, start + service_timing(service).duration
    appointment.occupied_from, appointment.occupied_until = occupied.start, occupied.end
    appointment.room = room
    _save(appointment, service=service, location=location, therapist=therapist, start=start)
    notifications.appointment_notifications_reschedule(appointment)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=appointment,
        subject=appointment.client,
        detail="rescheduled",
    )
    _offer_freed(appointment, *freed)
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, actor: Any, reason: str = "", late: bool | None = None
) -> Appointment:
    """Cancel; a client inside the cutoff is recorded as a late cancellation."""
    now = timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _require_upcoming(appointment)
    if actor.is_clinic_staff:
        is_late = bool(late)
    else:
        is_late = not _client_may_still_change(appointment, actor, now)
    appointment.status = (
        AppointmentStatus.LATE_CANCELLED if is_late else AppointmentStatus.CANCELLED
    )
    appointment.cancellation_reason = reason.strip()[:300]
    appointment.cancelled_at, appointment.cancelled_by = now, actor
    appointment.save()
    notifications.appointment_notifications_cancel(appointment)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=appointment,
        subject=appointment.client,
        detail=appointment.status,
    )
    _offer_freed(appointment, appointment.starts_at, appointment.ends_at)
    return appointment


def _offer_freed(appointment: Appointment, start: dt.datetime, end: dt.datetime) -> None:
    from booking.waitlist import waitlist_offer_freed_slot

    if start > timezone.now():
        waitlist_offer_freed_slot(
            therapist=appointment.therapist,
            service=appointment.service,
            location=appointment.location,
            start=start,
            end=end,
        )


def _set_status(
    appointment: Appointment, actor: Any, status: str, *, allowed_from: tuple[str, ...]
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
def appointment_mark_no_show(*, appointment: Appointment, actor: Any) -> Appointment:
    """Staff record that the client did not come (only once the start has passed)."""
    if appointment.starts_at > timezone.now():
        raise ValidationFailed("An appointment can be marked as a no-show only after it starts.")
    return _set_status(
        appointment, actor, AppointmentStatus.NO_SHOW, allowed_from=(AppointmentStatus.BOOKED,)
    )


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor: Any) -> Appointment:
    return _set_status(
        appointment, actor, AppointmentStatus.CHECKED_IN, allowed_from=(AppointmentStatus.BOOKED,)
    )


@transaction.atomic
def appointment_complete(*, appointment: Appointment, actor: Any) -> Appointment:
    """Mark the session done and queue the day 1, 3 and 7 self-care follow-ups (same transaction)."""
    appointment = _set_status(
        appointment,
        actor,
        AppointmentStatus.COMPLETED,
        allowed_from=(AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN),
    )
    notifications.appointment_notifications_completed(appointment)
    return appointment


def _approver(actor: Any, approved_by: Any) -> Any:
    """The clinician an approval rests on: ``approved_by`` when front desk records it."""
    approver = approved_by if approved_by is not None else actor
    if approver is None or approver.role not in CLINICIAN_ROLES or not approver.is_active:
        message = "Choose the clinician (therapist or clinic admin) who approved."
        raise ValidationFailed(message, extra={"fields": {"approved_by": [message]}})
    return approver


def _decision_detail(actor: Any, approver: Any | None) -> str:
    if approver is None:
        return "request: declined"
    if actor is not None and approver.pk == actor.pk:
        return "request: approved"
    # The actor has its own columns; the approver is named here, by id and e-mail like the
    # actor, so the record survives the account being removed. Never health data.
    return f"override: request approved, approved by clinician #{approver.pk} {approver.email}"


@transaction.atomic
def appointment_request_decide(
    *,
    appointment: Appointment,
    actor: Any,
    approve: bool,
    reason: str = "",
    approved_by: Any = None,
) -> Appointment:
    """Approve a requested appointment (it becomes booked) or decline it (its time is freed).

    ``actor`` recorded the decision; an approval also needs a clinician: the actor, or
    ``approved_by`` when front desk records a clinician's say-so (an override). Both are kept
    on the appointment (decided_by, approved_by) and in the audit trail.
    """
    if approve:
        approver = _approver(actor, approved_by)
    elif approved_by is not None:
        raise ValidationFailed(
            "Only an approval names an approving clinician.",
            extra={"fields": {"approved_by": ["Only an approval names an approving clinician."]}},
        )
    else:
        approver = None
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.REQUESTED:
        raise ValidationFailed("Only requested appointments can be approved or declined.")
    appointment.decided_by, appointment.decided_at = actor, timezone.now()
    appointment.approved_by = approver
    if approve:
        appointment.status = AppointmentStatus.BOOKED
    else:
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancellation_reason = (reason.strip() or "Request declined by the clinic")[:300]
        appointment.cancelled_at, appointment.cancelled_by = appointment.decided_at, actor
    appointment.save()
    notifications.appointment_notifications_request_decided(appointment, approved=approve)
    audit_record(
        actor=actor,
        action=AuditAction.DECIDE,
        target=appointment,
        subject=appointment.client,
        detail=_decision_detail(actor, approver),
    )
    if not approve:
        _offer_freed(appointment, appointment.starts_at, appointment.ends_at)
    return appointment
