"""Changes to a booked or requested appointment: reschedule, cancel, decide a request.

Each may free a time, which is offered to the waitlist, so this module sits above both
:mod:`booking.scheduling` (booking a slot) and :mod:`booking.waitlist` (which books through
scheduling when a client accepts an offer): changes -> waitlist -> scheduling, never back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from booking import notifications
from booking.availability_selectors import service_timing
from booking.exceptions import TooLateToChange
from booking.models import CANCELLED_STATUSES, Appointment, AppointmentStatus
from booking.scheduling import (
    CLINICIAN_ROLES,
    check_bookable,
    ensure_client_free,
    find_room,
    lock_therapist,
    save_appointment,
    unavailable,
)
from booking.waitlist import waitlist_offer_freed_slot
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, ClinicPolicy
from intake.models import ReviewDecision
from therapists.care import care_relationship_end


def client_may_still_change(appointment: Appointment, actor: Any, now: dt.datetime) -> bool:
    if actor.is_clinic_staff:
        return True
    cutoff = dt.timedelta(hours=ClinicPolicy.load().cancellation_cutoff_hours)
    return appointment.starts_at - now >= cutoff


def require_upcoming(appointment: Appointment) -> None:
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
    require_upcoming(appointment)
    if not client_may_still_change(appointment, actor, now):
        raise TooLateToChange(
            "It is too late to reschedule online. Please call the clinic.",
        )
    check_bookable(appointment.service, start, is_staff=actor.is_clinic_staff)
    start = start.astimezone(dt.UTC)
    service, therapist, location = appointment.service, appointment.therapist, appointment.location
    lock_therapist(therapist)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    require_upcoming(appointment)
    ensure_client_free(
        client=appointment.client,
        service=service,
        therapist=therapist,
        location=location,
        start=start,
        actor=actor,
        exclude=appointment.pk,
    )
    room = find_room(
        service=service,
        location=location,
        therapist=therapist,
        start=start,
        is_staff=actor.is_clinic_staff,
        exclude=appointment.pk,
        for_client=appointment.client_id,
    )
    if room is None:
        raise unavailable(
            service=service,
            location=location,
            therapist=therapist,
            start=start,
            is_staff=actor.is_clinic_staff,
            exclude=appointment.pk,
            for_client=appointment.client_id,
        )
    occupied = service_timing(service).occupied(start)
    freed = (appointment.starts_at, appointment.ends_at)
    appointment.starts_at, appointment.ends_at = start, start + service_timing(service).duration
    appointment.occupied_from, appointment.occupied_until = occupied.start, occupied.end
    appointment.room = room
    save_appointment(
        appointment, service=service, location=location, therapist=therapist, start=start
    )
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
    require_upcoming(appointment)
    if actor.is_clinic_staff:
        is_late = bool(late)
    else:
        is_late = not client_may_still_change(appointment, actor, now)
    appointment.status = (
        AppointmentStatus.LATE_CANCELLED if is_late else AppointmentStatus.CANCELLED
    )
    appointment.cancellation_reason = reason.strip()[:300]
    appointment.cancelled_at, appointment.cancelled_by = now, actor
    appointment.save()
    _care_relationship_recheck(appointment)
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


def _care_relationship_recheck(appointment: Appointment) -> None:
    """After a cancellation or a declined request: the therapist still treats the client while
    another of their appointments, or a review of the client's intake by them, stands."""
    therapist = appointment.therapist
    other_visit = (
        Appointment.objects.filter(client_id=appointment.client_id, therapist=therapist)
        .exclude(status__in=CANCELLED_STATUSES)
        .exists()
    )
    reviewed = ReviewDecision.objects.filter(
        reviewer_id=therapist.user_id, client_id=appointment.client_id
    ).exists()
    if not (other_visit or reviewed):
        care_relationship_end(therapist=therapist.user, client=appointment.client)


def _offer_freed(appointment: Appointment, start: dt.datetime, end: dt.datetime) -> None:
    if start > timezone.now():
        waitlist_offer_freed_slot(
            therapist=appointment.therapist,
            service=appointment.service,
            location=appointment.location,
            start=start,
            end=end,
        )


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
    if not approve:
        _care_relationship_recheck(appointment)
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
