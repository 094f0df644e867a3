"""Signed links in messages: one-click unsubscribe. Tokens carry ids only, never health data."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from clinic.models import User
from clinic.notifications.preferences import unsubscribe_token


def unsubscribe_url(user: User, channel: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, channel)])
    return f"{settings.SITE_URL}{path}"
