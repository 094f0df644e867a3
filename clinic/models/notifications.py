"""The notification outbox: one row per message to send, written with the change that causes it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    """One message in the outbox; dispatchers claim it with a lease and mark it sent by CAS.

    Nothing here holds health data: the message is rendered from its subject at send time.
    """

    # A message kind registered by the app that owns it (clinic.notifications.registry).
    kind = models.CharField(max_length=30)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)
    due_at = models.DateTimeField()
    # The subject's time (e.g. the appointment start) the row was computed from; a worker that
    # finds it changed re-checks instead of sending a stale time.
    event_at = models.DateTimeField(null=True, blank=True)
    # Small, non-clinical parameters (a reminder's offset in hours, a digest's date).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # Bumped on every state change; claims and mark-sent are compare-and-set on it.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-due_at", "-id"]
        constraints: ClassVar = [
            # Cancelled rows do not count, so a rebooked slot can queue its messages again.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "due_at", "channel", "recipient"],
                condition=~Q(status="cancelled"),
                name="clinic_notification_unique_live",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "due_at"], name="clinic_notif_status_due"),
            models.Index(fields=["subject_type", "subject_id"], name="clinic_notif_subject"),
            # The claim query's two arms, small however much sent history the outbox keeps.
            models.Index(
                fields=["due_at", "id"],
                condition=Q(status="pending"),
                name="clinic_notif_pending_due",
            ),
            models.Index(
                fields=["lease_until"],
                condition=Q(status="claimed"),
                name="clinic_notif_claimed_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} by {self.channel} ({self.status})"
