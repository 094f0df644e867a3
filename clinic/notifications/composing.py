"""Turning an outbox row into a message: its kind's composer, then the rendering step.

A composer (registered by the app that owns the kind, see :mod:`clinic.notifications.registry`)
looks at the row's subject *now* (not when it was queued) and returns what to say, or raises
Skip (nothing to send any more) or Defer (send later, e.g. the appointment moved).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from clinic.models import ClientProfile, Notification, NotificationChannel, User
from clinic.notifications.links import unsubscribe_url
from clinic.notifications.preferences import is_essential
from clinic.notifications.registry import Composition, Skip, message_kind_get
from clinic.notifications.templating import message_template


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str
    # The link the text and HTML carry, reused for the List-Unsubscribe header ("" if none).
    unsubscribe_url: str = ""


def subject_of(notification: Notification) -> Any:
    """The row's subject (compose() has already skipped rows whose subject is gone)."""
    return notification.subject


def language_for(user: User) -> str:
    try:
        language = user.client_profile.preferred_language
    except (ClientProfile.DoesNotExist, AttributeError):
        language = settings.LANGUAGE_CODE
    return language or settings.LANGUAGE_CODE


def compose(notification: Notification, now: dt.datetime) -> Composition:
    kind = message_kind_get(notification.kind)
    if kind is None:
        raise Skip(f"no composer for {notification.kind}")
    if notification.subject is None:
        raise Skip("subject no longer exists")
    # Composers may build translated strings (digest flags), so they run in the reader's language.
    with translation.override(language_for(notification.recipient)):
        return kind.compose(notification, now)


def render(notification: Notification, composition: Composition) -> Rendered:
    """Render subject, text, HTML and SMS in the recipient's language and the subject's zone."""
    kind = message_kind_get(notification.kind)
    folder = kind.templates if kind else "notifications"
    base = f"{folder}/{composition.template or notification.kind}"
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
            sms = " ".join(message_template(f"{base}.sms.txt").render(context).split())
            return Rendered(subject="", text="", html="", sms=sms)
        subject = " ".join(message_template(f"{base}.subject.txt").render(context).split())
        text = message_template(f"{base}.txt").render(context).strip() + "\n"
        html = message_template(f"{base}.html").render(context)
    return Rendered(
        subject=subject,
        text=text,
        html=html,
        sms="",
        unsubscribe_url=context.get("unsubscribe_url", ""),
    )
