"""Signed links in messages: one-click unsubscribe. Tokens carry ids only, never health data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from clinic.notifications.preferences import unsubscribe_token


def unsubscribe_url(user: Any, channel: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, channel)])
    return f"{settings.SITE_URL}{path}"
