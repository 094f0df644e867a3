"""Changes to a booked or requested appointment: reschedule, cancel, decide a request.

Each may free a time, which is offered to the waitlist, so this module sits above both
:mod:`booking.scheduling` (booking a slot) and :mod:`booking.waitlist` (which books through
scheduling when a client accepts an offer): changes -> waitlist -> scheduling, never back.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from booking import notifications
from booking.availability_selectors import service_timing
from booking.exceptions import ClinicianOnly, TooLateToChange
from booking.models import CANCELLED_STATUSES, Appointment, AppointmentStatus, ClinicianTask
from booking.scheduling import (
    check_bookable,
    ensure_client_free,
    find_room,
    gate_booking_status,
    lock_therapist,
    save_appointment,
    unavailable,
)
from booking.waitlist import waitlist_offer_freed_slot
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, ClinicPolicy, Role, User
from intake.models import ReviewDecision
from therapists.care import care_relationship_end


def client_may_still_change(appointment: Appointment, actor: User, now: dt.datetime) -> bool:
    if actor.is_clinic_staff:
        return True
    return ClinicPolicy.load().allows_online_change(appointment.starts_at, now=now)


def require_upcoming(appointment: Appointment) -> None:
    if appointment.status not in (AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED):
        raise ValidationFailed(
            _("This appointment is %(status)s and cannot be changed.")
            % {"status": appointment.get_status_display().lower()}
        )


@transaction.atomic
def appointment_reschedule(
    *, appointment: Appointment, start: dt.datetime, actor: User
) -> Appointment:
    """Move an upcoming appointment to ``start`` (same therapist and service)."""
    now = timezone.now()
    require_upcoming(appointment)
    if not client_may_still_change(appointment, actor, now):
        raise TooLateToChange(
            _("It is too late to reschedule online. Please call the clinic."),
        )
    check_bookable(appointment.service, start, is_staff=actor.is_clinic_staff)
    start = start.astimezone(dt.UTC)
    service, therapist, location = appointment.service, appointment.therapist, appointment.location
    # A new time is a new booking: the intake gate applies as it would to booking it afresh.
    status, _intake_due = gate_booking_status(appointment.client, [location.pk])
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
    _supersede_calendar_file(appointment)
    appointment.starts_at, appointment.ends_at = start, start + service_timing(service).duration
    appointment.occupied_from, appointment.occupied_until = occupied.start, occupied.end
    appointment.room = room
    if status == AppointmentStatus.REQUESTED:
        appointment.status = status
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
    *, appointment: Appointment, actor: User, reason: str = "", late: bool | None = None
) -> Appointment:
    """Cancel; a client inside the cutoff is recorded as a late cancellation."""
    now = timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    require_upcoming(appointment)
    if actor.is_clinic_staff:
        is_late = bool(late)
    else:
        is_late = not client_may_still_change(appointment, actor, now)
    _supersede_calendar_file(appointment)
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


def _supersede_calendar_file(appointment: Appointment) -> None:
    """Raise the iCalendar SEQUENCE when the client holds a calendar file (a confirmed visit).

    A request has had no file, so its SEQUENCE stays 0 and its cancellation sends none.
    """
    if appointment.status == AppointmentStatus.BOOKED:
        appointment.calendar_sequence += 1


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


# Stored in English as the reason; pages show it through the catalogue (|translated).
DECLINED_BY_THE_CLINIC = gettext_noop("Request declined by the clinic")

ASK_A_CLINICIAN = gettext_lazy(
    "Only a therapist, signed in as themselves, can approve a request. "
    "Ask one: route the request to them and it appears in their queue."
)


def _approver(actor: User, approved_by: User | None) -> User:
    """The clinician an approval rests on: always the actor, who must be an active therapist.

    Front desk (or a clinic admin who is not a clinician) naming someone else is refused; they
    route the request to that clinician instead (booking.board.actions.request_route).
    """
    if approved_by is not None and (actor is None or approved_by.pk != actor.pk):
        raise ClinicianOnly(str(ASK_A_CLINICIAN))
    if actor is None or actor.role != Role.THERAPIST or not actor.is_active:
        raise ClinicianOnly(str(ASK_A_CLINICIAN))
    return actor


def _decision_detail(actor: User, approver: User | None) -> str:
    return "request: declined" if approver is None else "request: approved"


@transaction.atomic
def appointment_request_decide(
    *,
    appointment: Appointment,
    actor: User,
    approve: bool,
    reason: str = "",
    approved_by: User | None = None,
) -> Appointment:
    """Approve a requested appointment (it becomes booked) or decline it (its time is freed).

    Declining may be anyone's act (e.g. the client withdrew); approving is a therapist's own,
    signed in as themselves (ClinicianOnly, 403, otherwise), and only while the time is ahead.
    """
    if approve:
        approver = _approver(actor, approved_by)
    elif approved_by is not None:
        message = _("Only an approval names an approving clinician.")
        raise ValidationFailed(message, extra={"fields": {"approved_by": [message]}})
    else:
        approver = None
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.REQUESTED:
        raise ValidationFailed(_("Only requested appointments can be approved or declined."))
    if approve and appointment.starts_at <= timezone.now():
        raise ValidationFailed(
            _(
                "This request's time has passed, so it cannot be approved. Decline it and book "
                "a new time."
            ),
            code="request_time_passed",
        )
    appointment.decided_by, appointment.decided_at = actor, timezone.now()
    appointment.approved_by = approver
    if approve:
        appointment.status = AppointmentStatus.BOOKED
    else:
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancellation_reason = (reason.strip() or DECLINED_BY_THE_CLINIC)[:300]
        appointment.cancelled_at, appointment.cancelled_by = appointment.decided_at, actor
    appointment.save()
    # Whoever was asked to decide it has nothing left to do.
    ClinicianTask.objects.filter(appointment=appointment, resolved_at__isnull=True).update(
        resolved_at=appointment.decided_at
    )
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
