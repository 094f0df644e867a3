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
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, Notification, NotificationChannel, Role, User
from clinic.notifications.composing import subject_of
from clinic.notifications.registry import Composition, Skip, message_kind
from clinic.notifications.services import notification_enqueue
from intake.finding_hooks import client_location_ids
from intake.models import ALERTING_LEVELS, StaffAlert
from therapists.care import treating_therapists
from therapists.models import Shift


class IntakeMessage(models.TextChoices):
    INTAKE_FLAGGED = "intake_flagged", _("Intake flagged for review")


def clinicians_on_shift_today(location_ids: list[int], now: dt.datetime) -> list[User]:
    """Active therapists with a shift today (in each location's own zone) at these locations."""
    found: set[User] = set()
    for location in Location.objects.filter(pk__in=location_ids, is_active=True):
        today = now.astimezone(location.zone).date()
        shifts = Shift.objects.filter(
            location=location,
            weekday=today.weekday(),
            effective_from__lte=today,
            therapist__user__is_active=True,
            therapist__user__role=Role.THERAPIST,
        ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        found |= {shift.therapist.user for shift in shifts.select_related("therapist__user")}
    return sorted(found, key=lambda user: user.pk)


def intake_alert_recipients(client_id: int, level: str = "") -> list[User]:
    """Active therapists who treat the client and clinic admins; for EMERGENCY and URGENT also
    the clinicians on shift today where the client is seen (every active location when booking
    knows none: a new client's alert must reach someone who is working today)."""
    admins = User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True)
    people = {*treating_therapists(client_id), *admins}
    if level in ALERTING_LEVELS:
        where = client_location_ids(client_id) or list(
            Location.objects.filter(is_active=True).values_list("pk", flat=True)
        )
        people |= set(clinicians_on_shift_today(where, timezone.now()))
    return sorted(people, key=lambda user: user.pk)


def intake_alert_notifications_schedule(alert: StaffAlert) -> int:
    """Record the alert's recipients (it is theirs in the app) and queue one e-mail each,
    inside the caller's transaction."""
    count = 0
    recipients = intake_alert_recipients(alert.client_id, alert.level)
    alert.recipients.set(recipients)
    for recipient in recipients:
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
