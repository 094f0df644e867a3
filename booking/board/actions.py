"""Front-desk actions that booking.scheduling does not offer itself.

Booking on a client's behalf goes through :func:`booking.scheduling.appointment_book` (the
same availability, conflict and intake rules as online booking). A clinical request may be
turned into a booking only with a named clinician's approval; the override is recorded with
the front-desk user as actor and the clinician as approver. Check-in, no-show, cancel, reschedule and request decisions
are booking.scheduling's own functions; the views call them directly.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from booking.changes import appointment_request_decide
from booking.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    ClinicianTask,
    WaitlistOffer,
)
from booking.scheduling import appointment_book
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
    *, first_name: str, last_name: str, email: str, phone: str = "", actor: User
) -> User:
    """Front desk registers a client (no password yet: they set one via password reset)."""
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise _invalid(
            "email", _("A person with this e-mail address already exists; search for them.")
        )
    user = User(
        email=email, first_name=first_name.strip(), last_name=last_name.strip(), role=Role.CLIENT
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    ClientProfile.objects.create(user=user, phone=phone.strip())
    return user


@transaction.atomic
def appointment_book_on_behalf(
    *,
    client: User,
    service: Service,
    therapist: TherapistProfile,
    start: dt.datetime,
    actor: User,
    approved_by: User | None = None,
) -> Appointment:
    """Book for a client with online rules. Naming ``approved_by`` for a request is an approval,
    which only that therapist can give themselves: front desk gets ClinicianOnly (403) and
    nothing is booked; they route the request instead."""
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
    *, appointment: Appointment, actor: User, approved_by: User
) -> Appointment:
    """Approve a request as ``approved_by``: allowed only when that clinician is the actor."""
    return appointment_request_decide(
        appointment=appointment, actor=actor, approve=True, approved_by=approved_by
    )


@transaction.atomic
def request_decline(*, appointment: Appointment, actor: User, reason: str) -> Appointment:
    """Decline a pending request (e.g. the client withdrew it); the slot is freed."""
    if not reason.strip():
        raise _invalid("reason", _("Give the reason for declining."))
    return appointment_request_decide(
        appointment=appointment, actor=actor, approve=False, reason=reason
    )


@transaction.atomic
def request_route(*, appointment: Appointment, clinician: User, actor: User) -> ClinicianTask:
    """Ask a named therapist to decide a pending request: it appears in their queue (day view)
    and they may open it, approve or decline it, signed in as themselves."""
    if appointment.status != AppointmentStatus.REQUESTED:
        raise ValidationFailed(_("Only requested appointments can be routed to a clinician."))
    if clinician is None or clinician.role != Role.THERAPIST or not clinician.is_active:
        raise _invalid(
            "clinician", _("Choose a therapist: only a therapist can approve a request.")
        )
    if appointment.starts_at <= timezone.now():
        raise ValidationFailed(_("This request's time has passed; decline it instead."))
    task, _created = ClinicianTask.objects.get_or_create(
        appointment=appointment,
        assigned_to=clinician,
        resolved_at=None,
        defaults={"created_by": actor},
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
    *, therapist: TherapistProfile, start: dt.datetime, end: dt.datetime, reason: str, actor: User
) -> TimeOff:
    """Block a therapist's time (admin, course); refused over their booked appointments."""
    if end <= start:
        raise _invalid("ends_at", _("The end must be after the start."))
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
            _("%(therapist)s has an appointment at %(time)s on %(day)s; move it first.")
            % {"therapist": therapist, "time": f"{when:%H:%M}", "day": date_format(when, "d M")},
            code="time_taken",
            extra={"fields": {"starts_at": [_("Overlaps an appointment.")]}},
        )
    return time_off_create(
        therapist=therapist,
        starts_at=start,
        ends_at=end,
        kind=TimeOffKind.ADMIN,
        reason=(reason.strip() or "Blocked by front desk")[:200],
    )


def freed_slot_offer(*, appointment: Appointment, actor: User) -> WaitlistOffer | None:
    """Offer a cancelled appointment's time to the first matching waitlisted client."""
    if appointment.status in ACTIVE_STATUSES:
        raise ValidationFailed(_("Only a cancelled or missed appointment frees its time."))
    if appointment.starts_at <= timezone.now():
        raise ValidationFailed(_("This time has already passed."))
    taken = (
        Appointment.objects.filter(therapist=appointment.therapist, status__in=ACTIVE_STATUSES)
        .overlapping(appointment.occupied_from, appointment.occupied_until)
        .exists()
    )
    if taken:
        raise Conflict(_("The time has been booked again."), code="slot_taken")
    return waitlist_offer_freed_slot(
        therapist=appointment.therapist,
        service=appointment.service,
        location=appointment.location,
        start=appointment.starts_at,
        end=appointment.ends_at,
    )
