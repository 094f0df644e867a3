"""Intake's message: the e-mail that tells clinicians a screening flagged an intake.

Registered with the outbox (clinic.notifications.registry) when ``clinic`` autodiscovers each
app's ``messages`` module. The message carries no health data: no answers, no level, no
client name; only a link to the review page, whose URL holds the intake's id. The page itself
checks who may see it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Notification, NotificationChannel, Role, User
from clinic.notifications.composing import subject_of
from clinic.notifications.registry import Composition, Skip, message_kind
from clinic.notifications.services import notification_enqueue
from intake.models import StaffAlert
from therapists.care import treating_therapists


class IntakeMessage(models.TextChoices):
    INTAKE_FLAGGED = "intake_flagged", _("Intake flagged for review")


def intake_alert_recipients(client_id: int) -> list[User]:
    """Active therapists who treat the client, and clinic admins."""
    admins = User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True)
    return sorted({*treating_therapists(client_id), *admins}, key=lambda user: user.pk)


def intake_alert_notifications_schedule(alert: StaffAlert) -> int:
    """Queue one e-mail per recipient for a new StaffAlert, inside the caller's transaction."""
    count = 0
    for recipient in intake_alert_recipients(alert.client_id):
        count += notification_enqueue(
            kind=IntakeMessage.INTAKE_FLAGGED,
            subject=alert,
            recipient=recipient,
            due_at=alert.created_at,
            channels=[NotificationChannel.EMAIL],
        )
    return count


def _link(name: str, *args: object) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


# A safety alert to staff: essential, so no opt-out link.
@message_kind(IntakeMessage.INTAKE_FLAGGED, IntakeMessage.INTAKE_FLAGGED.label, essential=True)
def intake_flagged(notification: Notification, now: dt.datetime) -> Composition:
    alert = subject_of(notification)
    if alert.resolved_at is not None:
        raise Skip("alert already resolved")
    if notification.recipient.role not in (Role.THERAPIST, Role.CLINIC_ADMIN):
        raise Skip("recipient no longer reviews intakes")
    return Composition(
        context={
            "review_url": _link("intake:review-detail", alert.screening.response_id),
            "queue_url": _link("intake:review-queue"),
            "flagged_at": alert.created_at,
        },
        zone=timezone.get_default_timezone(),
    )
