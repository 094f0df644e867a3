"""Signed links in messages: one-click unsubscribe and the day-3 check-in.

Tokens carry ids only; never an answer or a score (those travel in POST bodies).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from clinic.models import Notification
from clinic.notifications.preferences import unsubscribe_token

CHECKIN_SALT = "clinic.notifications.checkin"
# A check-in link works for two weeks; later answers would not describe the session.
CHECKIN_MAX_AGE = 14 * 24 * 3600


def unsubscribe_url(user: Any, channel: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, channel)])
    return f"{settings.SITE_URL}{path}"


def checkin_token(notification: Notification) -> str:
    return signing.dumps(
        {"n": notification.pk, "a": notification.subject_id, "u": notification.recipient_id},
        salt=CHECKIN_SALT,
        compress=True,
    )


def checkin_token_read(token: str) -> dict[str, int]:
    """Return {"n", "a", "u"} ids; raise signing.BadSignature (or SignatureExpired)."""
    data = signing.loads(token, salt=CHECKIN_SALT, max_age=CHECKIN_MAX_AGE)
    if not isinstance(data, dict) or not {"n", "a", "u"} <= data.keys():
        raise signing.BadSignature("Malformed check-in token.")
    return {key: int(data[key]) for key in ("n", "a", "u")}


def checkin_url(notification: Notification) -> str:
    path = reverse("notifications:checkin", args=[checkin_token(notification)])
    return f"{settings.SITE_URL}{path}"
