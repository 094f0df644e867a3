"""Writes to the outbox: enqueue, cancel, move, resend, unsubscribe. Celery is never called here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.exceptions import Conflict, ValidationFailed
from clinic.models import (
    ClientProfile,
    Notification,
    NotificationChannel,
    NotificationStatus,
    User,
)
from clinic.notifications.preferences import channels_for, is_essential
from clinic.notifications.registry import message_kind_get

LIVE = (NotificationStatus.PENDING, NotificationStatus.CLAIMED)


def subject_filter(subject: models.Model) -> dict[str, Any]:
    return {
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
    }


def notification_enqueue(
    *,
    kind: str,
    subject: models.Model,
    recipient: User,
    due_at: dt.datetime,
    event_at: dt.datetime | None = None,
    params: dict[str, Any] | None = None,
    channels: Iterable[str] | None = None,
) -> int:
    """Write one outbox row per channel for ``recipient``; a row that already exists is kept.

    Runs inside the caller's transaction, so a rollback leaves no row behind.
    """
    if message_kind_get(kind) is None:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime.")
    chosen = list(channels) if channels is not None else channels_for(recipient, kind)
    now = timezone.now()
    rows = [
        Notification(
            kind=kind,
            recipient=recipient,
            channel=NotificationChannel(channel),
            due_at=due_at,
            event_at=event_at,
            params=params or {},
            created_at=now,
            updated_at=now,
            **subject_filter(subject),
        )
        for channel in chosen
    ]
    # ON CONFLICT DO NOTHING: the unique live row per (subject, kind, due, channel, recipient)
    # makes enqueueing idempotent without breaking the caller's transaction.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notifications_cancel(
    *, subject: models.Model, kinds: Iterable[str] | None = None, reason: str = ""
) -> int:
    """Cancel the subject's pending (and in-flight) rows; a worker holding one stops at its CAS."""
    rows = Notification.objects.filter(status__in=LIVE, **subject_filter(subject))
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(
        status=NotificationStatus.CANCELLED,
        last_error=reason[:300],
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


@transaction.atomic
def notification_resend(*, notification_id: int) -> Notification:
    """Put a failed message back in the queue, due now, with a fresh attempt budget."""
    try:
        notification = Notification.objects.select_for_update().get(pk=notification_id)
    except Notification.DoesNotExist:
        raise ValidationFailed(_("No such message."), code="not_found") from None
    if notification.status != NotificationStatus.FAILED:
        raise Conflict(_("Only failed messages can be resent."), code="not_failed")
    now = timezone.now()
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.due_at = now
    notification.lease_until = None
    notification.claimed_by = ""
    notification.version += 1
    notification.updated_at = now
    notification.save()
    return notification


@transaction.atomic
def notifications_unsubscribe(*, user_id: int, channel: str) -> User:
    """Opt the user out of non-essential messages on ``channel`` and cancel those still queued."""
    user = User.objects.select_for_update().get(pk=user_id)
    profile, _created = ClientProfile.objects.get_or_create(user=user)
    if channel == NotificationChannel.SMS:
        profile.sms_opt_in = False
    else:
        profile.email_opt_in = False
    profile.full_clean()
    profile.save()
    optional = [
        kind
        for kind in Notification.objects.filter(
            recipient=user, channel=channel, status=NotificationStatus.PENDING
        )
        .values_list("kind", flat=True)
        .distinct()
        if not is_essential(kind)
    ]
    Notification.objects.filter(
        recipient=user, channel=channel, status=NotificationStatus.PENDING, kind__in=optional
    ).update(
        status=NotificationStatus.CANCELLED,
        last_error="recipient unsubscribed",
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    return user
