"""Turning an outbox row into a message: the registry of composers and the rendering step.

A composer looks at the row's subject *now* (not when it was queued) and returns what to say,
or raises Skip (nothing to send any more) or Defer (send later, e.g. the appointment moved).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clinic.models import ClientProfile, Notification, NotificationChannel
from clinic.notifications.links import unsubscribe_url
from clinic.notifications.preferences import is_essential


class Skip(Exception):
    """The message no longer applies; the row is cancelled with this (non-clinical) reason."""


class Defer(Exception):
    """Send later: the row goes back to pending at ``until``."""

    def __init__(self, until: dt.datetime, *, event_at: dt.datetime | None = None) -> None:
        super().__init__(f"deferred to {until.isoformat()}")
        self.until = until
        self.event_at = event_at


@dataclass
class Composition:
    context: dict[str, Any]
    zone: zoneinfo.ZoneInfo
    # After this instant the message is pointless (a reminder after the appointment started).
    expires_at: dt.datetime | None = None
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    template: str = ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


Composer = Callable[[Notification, dt.datetime], Composition]
COMPOSERS: dict[str, Composer] = {}


def composer(*kinds: str) -> Callable[[Composer], Composer]:
    def register(function: Composer) -> Composer:
        for kind in kinds:
            COMPOSERS[kind] = function
        return function

    return register


def subject_of(notification: Notification) -> Any:
    """The row's subject (compose() has already skipped rows whose subject is gone)."""
    return notification.subject


def language_for(user: Any) -> str:
    try:
        language = user.client_profile.preferred_language
    except (ClientProfile.DoesNotExist, AttributeError):
        language = settings.LANGUAGE_CODE
    return language or settings.LANGUAGE_CODE


def compose(notification: Notification, now: dt.datetime) -> Composition:
    # The composers register themselves on import.
    from clinic.notifications import messages, messages_care  # noqa: F401

    try:
        function = COMPOSERS[notification.kind]
    except KeyError:
        raise Skip(f"no composer for {notification.kind}") from None
    if notification.subject is None:
        raise Skip("subject no longer exists")
    # Composers may build translated strings (digest flags), so they run in the reader's language.
    with translation.override(language_for(notification.recipient)):
        return function(notification, now)


def render(notification: Notification, composition: Composition) -> Rendered:
    """Render subject, text, HTML and SMS in the recipient's language and the subject's zone."""
    base = f"notifications/{composition.template or notification.kind}"
    language = language_for(notification.recipient)
    context = {
        **composition.context,
        "LANGUAGE_CODE": language,
        "recipient": notification.recipient,
        "clinic_name": settings.CLINIC_NAME,
        "site_url": settings.SITE_URL,
        "notification": notification,
    }
    if notification.channel == NotificationChannel.EMAIL and not is_essential(notification.kind):
        context["unsubscribe_url"] = unsubscribe_url(notification.recipient, notification.channel)
    with (
        translation.override(language),
        timezone.override(composition.zone),
    ):
        if notification.channel == NotificationChannel.SMS:
            sms = " ".join(render_to_string(f"{base}.sms.txt", context).split())
            return Rendered(subject="", text="", html="", sms=sms)
        subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context).strip() + "\n"
        html = render_to_string(f"{base}.html", context)
    return Rendered(subject=subject, text=text, html=html, sms="")
