"""The therapists app's message: warnings to clinic admins that a credential is about to lapse.

Registered with the outbox (clinic.notifications.registry) when ``clinic`` autodiscovers each
app's ``messages`` module.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Notification, Role, User
from clinic.notifications.composing import subject_of
from clinic.notifications.registry import Composition, Skip, message_kind, periodic_job
from clinic.notifications.services import notification_enqueue
from therapists.selectors import credentials_expiring

CREDENTIAL_WARNING_TIME = dt.time(9, 0)
# Warn 30 and 7 days ahead and on the day it lapses.
CREDENTIAL_WARNING_DAYS = (30, 7, 0)


class TherapistMessage(models.TextChoices):
    CREDENTIAL_EXPIRY = "credential_expiry", _("Credential expiry warning")


def _latest_threshold(
    expires_on: dt.date, zone: zoneinfo.ZoneInfo, now: dt.datetime
) -> dt.datetime | None:
    passed = [
        dt.datetime.combine(expires_on - dt.timedelta(days=days), CREDENTIAL_WARNING_TIME).replace(
            tzinfo=zone
        )
        for days in CREDENTIAL_WARNING_DAYS
    ]
    passed = [moment for moment in passed if moment <= now]
    return max(passed) if passed else None


@periodic_job
def credential_warnings_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue each clinic admin one warning per credential at its latest threshold passed."""
    zone = timezone.get_default_timezone()
    now = now or timezone.now()
    admins = list(User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True))
    count = 0
    for credential in credentials_expiring(
        within_days=max(CREDENTIAL_WARNING_DAYS), today=now.astimezone(zone).date()
    ):
        due = _latest_threshold(credential.expires_on, zone, now)
        if due is None:
            continue
        for admin in admins:
            count += notification_enqueue(
                kind=TherapistMessage.CREDENTIAL_EXPIRY,
                subject=credential,
                recipient=admin,
                due_at=due,
                params={"expires_on": credential.expires_on.isoformat()},
            )
    return count


@message_kind(TherapistMessage.CREDENTIAL_EXPIRY, TherapistMessage.CREDENTIAL_EXPIRY.label)
def credential_expiry(notification: Notification, now: dt.datetime) -> Composition:
    credential = subject_of(notification)
    if str(credential.expires_on) != notification.params.get("expires_on"):
        raise Skip("credential was renewed")
    return Composition(
        context={"credential": credential, "therapist_name": credential.therapist.display_name},
        zone=timezone.get_default_timezone(),
    )
