"""A client's erasure request: account, contact and marketing data go; the clinical record stays.

What is removed when a clinic admin completes a request: the ability to sign in (the account
is deactivated, its password made unusable, its e-mail address replaced), the phone number,
every reminder and marketing preference, marketing and text-message consents (withdrawn, the
record of them kept), waitlist entries, upcoming appointments (cancelled) and messages not yet
sent. What stays, and why: the clinical record (name and date of birth that identify it,
intakes and screening results, review decisions, session notes, outcome scores, past
appointments, care and self-care plans, consents given for treatment) must be kept for the
period the clinic sets (ClinicPolicy.clinical_record_retention_years) after the last care;
and the audit trail, which records who saw the record. The client is told this when they ask.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booking.changes import appointment_cancel
from booking.models import Appointment, WaitlistEntry
from booking.models.appointments import UPCOMING_STATUSES
from clinic.audit import audit_record
from clinic.exceptions import Conflict, NotFound
from clinic.models import (
    AuditAction,
    ClientProfile,
    ClinicPolicy,
    Consent,
    ConsentKind,
    Notification,
    NotificationStatus,
    Role,
    User,
)
from intake.models import IntakeResponse, OutcomeResponse
from workspace.models import ErasureRequest, SessionNote

REMOVED = gettext_lazy(
    "your sign-in (the account is closed and your e-mail address removed), your phone number, "
    "your reminder and marketing preferences, your marketing and text-message consents, your "
    "waitlist places, your upcoming appointments (cancelled) and messages not yet sent"
)
KEPT = gettext_lazy(
    "your clinical record: your name and date of birth, intake forms and screening results, "
    "clinicians' review decisions, session notes, outcome scores, past appointments, care and "
    "self-care plans and the consents you gave for treatment; and the log of who looked at it"
)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _last_care(client: User) -> dt.date:
    """The date of the client's last clinical activity (today if none is recorded yet)."""
    now = timezone.now()
    dates = [
        Appointment.objects.filter(client=client, starts_at__lte=now).aggregate(m=Max("starts_at"))[
            "m"
        ],
        SessionNote.objects.filter(client=client).aggregate(m=Max("updated_at"))["m"],
        IntakeResponse.objects.filter(client=client).aggregate(m=Max("updated_at"))["m"],
        OutcomeResponse.objects.filter(client=client).aggregate(m=Max("recorded_at"))["m"],
    ]
    return timezone.localdate(max((d for d in dates if d is not None), default=now))


def erasure_statement(client: User) -> tuple[str, dt.date]:
    """What an erasure removes and keeps for ``client``, and the date the record is kept until."""
    years = ClinicPolicy.load().clinical_record_retention_years
    until = _years_after(_last_care(client), years)
    text = _(
        "We remove %(removed)s. We keep %(kept)s, because the clinic must keep clinical records "
        "for %(years)d years after your last care: until %(until)s. After that the "
        "clinical record is deleted too."
    ) % {"removed": REMOVED, "kept": KEPT, "years": years, "until": date_format(until, "d F Y")}
    return text, until


@transaction.atomic
def erasure_request_create(*, client: Any, request: HttpRequest | None = None) -> ErasureRequest:
    """The client asks to be erased; asking again while a request is open returns that one."""
    if client.role != Role.CLIENT:
        raise NotFound(_("Only clients ask for their data to be erased here."))
    User.objects.select_for_update().filter(pk=client.pk).get()
    existing = ErasureRequest.objects.filter(client=client, completed_at__isnull=True).first()
    if existing is not None:
        return existing
    summary, until = erasure_statement(client)
    erasure = ErasureRequest.objects.create(client=client, kept_summary=summary, retain_until=until)
    audit_record(
        actor=client, action=AuditAction.CREATE, target=erasure, subject=client,
        request=request, detail="erasure: requested",
    )  # fmt: skip
    return erasure


def erasure_requests_for_staff() -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.select_related("client", "completed_by").order_by(
        "completed_at", "-requested_at"
    )


def _contact_and_marketing_remove(client: User, actor: Any, now: dt.datetime) -> None:
    for appointment in Appointment.objects.filter(
        client=client, status__in=UPCOMING_STATUSES, starts_at__gt=now
    ):
        appointment_cancel(
            appointment=appointment, actor=actor, reason="erasure request", late=False
        )
    WaitlistEntry.objects.filter(client=client).delete()
    Notification.objects.filter(
        recipient=client, status__in=(NotificationStatus.PENDING, NotificationStatus.FAILED)
    ).update(status=NotificationStatus.CANCELLED)
    ClientProfile.objects.filter(user=client).update(
        phone="", email_opt_in=False, sms_opt_in=False, marketing_opt_in=False
    )
    Consent.objects.filter(
        user=client,
        text__kind__in=(ConsentKind.MARKETING, ConsentKind.SMS),
        withdrawn_at__isnull=True,
    ).update(withdrawn_at=now)


@transaction.atomic
def erasure_complete(
    *, erasure_id: int, actor: Any, request: HttpRequest | None = None
) -> ErasureRequest:
    """A clinic admin carries out the request (see the module docstring for what goes)."""
    if actor.role != Role.CLINIC_ADMIN:
        raise NotFound(_("No such erasure request."))
    erasure = ErasureRequest.objects.select_for_update().filter(pk=erasure_id).first()
    if erasure is None:
        raise NotFound(_("No such erasure request."))
    if not erasure.is_open:
        raise Conflict(_("This request has already been completed."))
    client = User.objects.select_for_update().get(pk=erasure.client_id)
    now = timezone.now()
    _contact_and_marketing_remove(client, actor, now)
    client.email = f"erased-{client.pk}@erased.invalid"
    client.is_active = False
    client.email_verified_at = None
    client.set_unusable_password()
    client.save(update_fields=["email", "is_active", "email_verified_at", "password"])
    erasure.kept_summary, erasure.retain_until = erasure_statement(client)
    erasure.completed_at, erasure.completed_by = now, actor
    erasure.save(update_fields=["kept_summary", "retain_until", "completed_at", "completed_by"])
    audit_record(
        actor=actor, action=AuditAction.DELETE, target=erasure, subject=client,
        request=request, detail="erasure: account, contact and marketing data removed",
    )  # fmt: skip
    return erasure
