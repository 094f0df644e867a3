"""Front-desk actions that booking.scheduling does not offer itself.

Booking on a client's behalf goes through :func:`booking.scheduling.appointment_book` (the
same availability, conflict and intake rules as online booking). A clinical request may be
turned into a booking only with a named clinician's approval; the override is recorded with
the front-desk user as actor and the clinician as approver. Check-in, no-show, cancel, reschedule and request decisions
are booking.scheduling's own functions; the views call them directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from booking.changes import appointment_request_decide
from booking.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    ClinicianTask,
    WaitlistOffer,
)
from booking.scheduling import CLINICIAN_ROLES, appointment_book
from booking.waitlist import waitlist_offer_freed_slot
from clinic.audit import audit_record
from clinic.exceptions import Conflict, ValidationFailed
from clinic.models import AuditAction, ClientProfile, Role, User
from therapists.hours import time_off_create
from therapists.models import Service, TherapistProfile, TimeOff, TimeOffKind


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"fields": {field: [message]}})


@transaction.atomic
def client_create(
    *, first_name: str, last_name: str, email: str, phone: str = "", actor: Any
) -> User:
    """Front desk registers a client (no password yet: they set one via password reset)."""
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise _invalid(
            "email", "A person with this e-mail address already exists; search for them."
        )
    user = User(
        email=email, first_name=first_name.strip(), last_name=last_name.strip(), role=Role.CLIENT
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    ClientProfile.objects.create(user=user, phone=phone.strip())
    return user


def _check_clinician(clinician: Any) -> None:
    if clinician is None or clinician.role not in CLINICIAN_ROLES or not clinician.is_active:
        raise _invalid(
            "approved_by", "Choose the clinician (therapist or clinic admin) who approved."
        )


@transaction.atomic
def appointment_book_on_behalf(
    *,
    client: Any,
    service: Service,
    therapist: TherapistProfile,
    start: dt.datetime,
    actor: Any,
    approved_by: Any = None,
) -> Appointment:
    """Book for a client with online rules; ``approved_by`` turns a clinical request into a booking."""
    if approved_by is not None:
        _check_clinician(approved_by)
    appointment = appointment_book(
        client=client, service=service, therapist=therapist, start=start, actor=actor
    )
    if appointment.status == AppointmentStatus.REQUESTED and approved_by is not None:
        appointment = request_approve_for_clinician(
            appointment=appointment, actor=actor, approved_by=approved_by
        )
    return appointment


@transaction.atomic
def request_approve_for_clinician(
    *, appointment: Appointment, actor: Any, approved_by: Any
) -> Appointment:
    """Front desk records a clinician's approval of a request: an override, refused without one.

    The appointment and the audit trail keep both: front desk as the one who recorded the
    decision (decided_by, the audit actor) and the clinician as approved_by.
    """
    _check_clinician(approved_by)
    appointment = appointment_request_decide(
        appointment=appointment, actor=actor, approve=True, approved_by=approved_by
    )
    ClinicianTask.objects.filter(appointment=appointment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return appointment


@transaction.atomic
def request_decline(*, appointment: Appointment, actor: Any, reason: str) -> Appointment:
    """Decline a pending request (e.g. the client withdrew it); the slot is freed."""
    if not reason.strip():
        raise _invalid("reason", "Give the reason for declining.")
    appointment = appointment_request_decide(
        appointment=appointment, actor=actor, approve=False, reason=reason
    )
    ClinicianTask.objects.filter(appointment=appointment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return appointment


@transaction.atomic
def request_route(*, appointment: Appointment, clinician: Any, actor: Any) -> ClinicianTask:
    """Send a pending request to a clinician, who sees it on their day view and decides it."""
    if appointment.status != AppointmentStatus.REQUESTED:
        raise ValidationFailed("Only requested appointments can be routed to a clinician.")
    if clinician is None or clinician.role not in CLINICIAN_ROLES:
        raise _invalid("clinician", "Choose a therapist or clinic admin.")
    task = ClinicianTask.objects.create(
        appointment=appointment, assigned_to=clinician, created_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=appointment,
        subject=appointment.client,
        detail=f"request routed to clinician #{clinician.pk}",
    )
    return task


@transaction.atomic
def therapist_time_block(
    *, therapist: TherapistProfile, start: dt.datetime, end: dt.datetime, reason: str, actor: Any
) -> TimeOff:
    """Block a therapist's time (admin, course); refused over their booked appointments."""
    if end <= start:
        raise _invalid("ends_at", "The end must be after the start.")
    TherapistProfile.objects.select_for_update().filter(pk=therapist.pk).first()
    clash = (
        Appointment.objects.filter(therapist=therapist, status__in=ACTIVE_STATUSES)
        .overlapping(start, end)
        .select_related("location")
        .first()
    )
    if clash is not None:
        when = clash.local_start
        raise Conflict(
            f"{therapist} has an appointment at {when:%H:%M} on {when:%d %b}; move it first.",
            code="time_taken",
            extra={"fields": {"starts_at": ["Overlaps an appointment."]}},
        )
    return time_off_create(
        therapist=therapist,
        starts_at=start,
        ends_at=end,
        kind=TimeOffKind.ADMIN,
        reason=(reason.strip() or "Blocked by front desk")[:200],
    )


def freed_slot_offer(*, appointment: Appointment, actor: Any) -> WaitlistOffer | None:
    """Offer a cancelled appointment's time to the first matching waitlisted client."""
    if appointment.status in ACTIVE_STATUSES:
        raise ValidationFailed("Only a cancelled or missed appointment frees its time.")
    if appointment.starts_at <= timezone.now():
        raise ValidationFailed("This time has already passed.")
    taken = (
        Appointment.objects.filter(therapist=appointment.therapist, status__in=ACTIVE_STATUSES)
        .overlapping(appointment.occupied_from, appointment.occupied_until)
        .exists()
    )
    if taken:
        raise Conflict("The time has been booked again.", code="slot_taken")
    return waitlist_offer_freed_slot(
        therapist=appointment.therapist,
        service=appointment.service,
        location=appointment.location,
        start=appointment.starts_at,
        end=appointment.ends_at,
    )
