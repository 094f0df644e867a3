"""Handing a rendered message to the e-mail or SMS backend."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from clinic import sms
from clinic.models import ClientProfile, Notification, NotificationChannel
from clinic.notifications.composing import Composition, Rendered
from clinic.notifications.links import unsubscribe_url
from clinic.notifications.preferences import is_essential


def deliver(notification: Notification, rendered: Rendered, composition: Composition) -> None:
    """Send through the channel's backend; raise on failure (the caller retries)."""
    if notification.channel == NotificationChannel.SMS:
        sms.send_sms(to=_phone(notification), body=rendered.sms)
        return
    headers = {"X-Unwind-Notification": str(notification.pk)}
    if not is_essential(notification.kind):
        link = rendered.unsubscribe_url or unsubscribe_url(
            notification.recipient, NotificationChannel.EMAIL
        )
        # RFC 8058 one-click unsubscribe: mail clients POST to the link.
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    for filename, content, mimetype in composition.attachments:
        message.attach(filename, content, mimetype)
    message.send(fail_silently=False)


def _phone(notification: Notification) -> str:
    try:
        return notification.recipient.client_profile.phone
    except ClientProfile.DoesNotExist:
        return ""
