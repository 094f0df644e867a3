"""Reads for notifications: the staff outbox and the therapist's digest rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

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


@dataclass(frozen=True)
class DigestRow:
    starts_at: dt.datetime
    client_name: str
    service_name: str
    location_name: str
    flags: list[str]


def digest_rows(*, therapist_user: Any, day: dt.date) -> list[DigestRow]:
    """Tomorrow's clients of one therapist with staff flags (intake status, first visit)."""
    try:
        appointment = apps.get_model("booking", "Appointment")
    except LookupError:
        return []
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min).replace(tzinfo=zone)
    end = start + dt.timedelta(days=1)
    appointments = list(
        appointment.objects.filter(
            therapist__user=therapist_user, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status__in=["cancelled", "late_cancelled"])
        .select_related("client", "service", "location")
        .order_by("starts_at")
    )
    from intake.gate import IntakeStatus, intake_statuses_for

    statuses = intake_statuses_for({a.client_id for a in appointments})
    rows = []
    for item in appointments:
        flags = []
        status = statuses.get(item.client_id)
        if status is not None and status != IntakeStatus.CLEARED:
            flags.append(f"intake {IntakeStatus(status).label.lower()}")
        if item.status == "requested":
            flags.append("awaiting your approval")
        rows.append(
            DigestRow(
                starts_at=item.starts_at,
                client_name=str(item.client),
                service_name=item.service.name,
                location_name=item.location.name,
                flags=flags,
            )
        )
    return rows
