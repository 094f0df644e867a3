"""Reads for notifications: the staff outbox and the therapist's digest rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext as _

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
    starts_at: dt.datetime  # already in the location's zone, so templates show its wall clock
    time_zone: str
    client_name: str
    service_name: str
    location_name: str
    flags: list[str]


# Wide enough to hold one local calendar day in any zone (UTC-12 to UTC+14).
ZONE_MARGIN = dt.timedelta(hours=14)


def appointments_on_local_day(appointment_model: Any, day: dt.date) -> QuerySet[Any]:
    """Active appointments within a UTC window covering ``day`` in every zone; filter locally."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC) - ZONE_MARGIN
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC) + ZONE_MARGIN
    return appointment_model.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status__in=["cancelled", "late_cancelled"]
    )


def is_on_local_day(appointment: Any, day: dt.date) -> bool:
    return bool(appointment.starts_at.astimezone(appointment.location.zone).date() == day)


def digest_rows(*, therapist_user: Any, day: dt.date) -> list[DigestRow]:
    """One therapist's clients on ``day`` (each location's own calendar day), with staff flags."""
    try:
        appointment = apps.get_model("booking", "Appointment")
    except LookupError:
        return []
    appointments = [
        item
        for item in appointments_on_local_day(appointment, day)
        .filter(therapist__user=therapist_user)
        .select_related("client", "service", "location")
        .order_by("starts_at")
        if is_on_local_day(item, day)
    ]
    from intake.gate import IntakeStatus, intake_statuses_for

    statuses = intake_statuses_for({a.client_id for a in appointments})
    rows = []
    for item in appointments:
        flags = []
        status = statuses.get(item.client_id)
        if status is not None and status != IntakeStatus.CLEARED:
            flags.append(_("intake %(status)s") % {"status": IntakeStatus(status).label.lower()})
        if item.status == "requested":
            flags.append(_("awaiting your approval"))
        rows.append(
            DigestRow(
                starts_at=item.starts_at.astimezone(item.location.zone),
                time_zone=item.location.time_zone,
                client_name=str(item.client),
                service_name=item.service.name,
                location_name=item.location.name,
                flags=flags,
            )
        )
    return rows
