"""Reads for notifications: the staff outbox."""

from __future__ import annotations

from django.db.models import QuerySet

from clinic.models import Notification, NotificationStatus

OUTBOX_FILTERS = ("pending", "sent", "failed", "cancelled", "all")


def outbox_list(*, status: str = "all") -> QuerySet[Notification]:
    """Outbox rows for staff, newest due first, with recipients loaded (no N+1)."""
    rows = Notification.objects.select_related("recipient", "subject_type")
    if status == "pending":
        rows = rows.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.CLAIMED])
    elif status != "all":
        rows = rows.filter(status=status)
    return rows.order_by("-due_at", "-id")
