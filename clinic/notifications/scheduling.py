"""Messages queued by the clock rather than by a change: digests and credential warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone

from clinic.models import NotificationKind, Role, User
from clinic.notifications.selectors import appointments_on_local_day, is_on_local_day
from clinic.notifications.services import notification_enqueue

DIGEST_LOCAL_TIME = dt.time(17, 0)
CREDENTIAL_WARNING_TIME = dt.time(9, 0)
# Warn 30 and 7 days ahead and on the day it lapses.
CREDENTIAL_WARNING_DAYS = (30, 7, 0)


def _appointment_model() -> Any | None:
    try:
        return apps.get_model("booking", "Appointment")
    except LookupError:
        return None


def therapist_digests_enqueue(*, now: dt.datetime | None = None) -> int:
    """After 17:00 clinic time, queue each therapist with clients tomorrow a digest (once a day).

    "Tomorrow" is each appointment's own local day at its location, so a therapist working
    at sites in two zones gets every client of that calendar day.
    """
    appointment = _appointment_model()
    zone = timezone.get_default_timezone()
    local_now = (now or timezone.now()).astimezone(zone)
    if appointment is None or local_now.time() < DIGEST_LOCAL_TIME:
        return 0
    tomorrow = local_now.date() + dt.timedelta(days=1)
    candidates = appointments_on_local_day(appointment, tomorrow).select_related("location")
    therapist_ids = {
        item.therapist.user_id
        for item in candidates.select_related("therapist")
        if is_on_local_day(item, tomorrow)
    }
    due = dt.datetime.combine(local_now.date(), DIGEST_LOCAL_TIME).replace(tzinfo=zone)
    count = 0
    for therapist in User.objects.filter(pk__in=therapist_ids, is_active=True):
        count += notification_enqueue(
            kind=NotificationKind.THERAPIST_DIGEST,
            subject=therapist,
            recipient=therapist,
            due_at=due,
            params={"date": tomorrow.isoformat()},
        )
    return count


def credential_warnings_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue each clinic admin one warning per credential at its latest threshold passed."""
    from therapists.selectors import credentials_expiring

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
                kind=NotificationKind.CREDENTIAL_EXPIRY,
                subject=credential,
                recipient=admin,
                due_at=due,
                params={"expires_on": credential.expires_on.isoformat()},
            )
    return count


def _latest_threshold(expires_on: dt.date, zone: Any, now: dt.datetime) -> dt.datetime | None:
    passed = [
        dt.datetime.combine(expires_on - dt.timedelta(days=days), CREDENTIAL_WARNING_TIME).replace(
            tzinfo=zone
        )
        for days in CREDENTIAL_WARNING_DAYS
    ]
    passed = [moment for moment in passed if moment <= now]
    return max(passed) if passed else None
