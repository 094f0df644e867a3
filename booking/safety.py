"""What intake's safety findings need from booking: where a client is seen, and what becomes
of their upcoming appointments when their level rises.

Registered with intake.finding_hooks from ``BookingConfig.ready()``; intake never imports
booking. Locations, not appointments, leave this module.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from booking.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    ClinicianTask,
    ClinicianTaskKind,
)
from clinic.audit import audit_record
from clinic.models import AuditAction

# Where the client was really seen or is expected: not cancelled or declined times.
SEEN_OR_EXPECTED = (*ACTIVE_STATUSES, AppointmentStatus.COMPLETED)


def client_locations_read(client_ids: list[int]) -> dict[int, list[int]]:
    """Each client's locations: their upcoming appointments' (soonest first), then the ones
    they were seen at (latest first). One query."""
    now = timezone.now()
    rows = Appointment.objects.filter(
        client_id__in=client_ids, status__in=SEEN_OR_EXPECTED
    ).values_list("client_id", "location_id", "starts_at")
    upcoming: dict[int, list[tuple[dt.datetime, int]]] = {}
    earlier: dict[int, list[tuple[dt.datetime, int]]] = {}
    for client_id, location_id, starts_at in rows:
        bucket = upcoming if starts_at >= now else earlier
        bucket.setdefault(client_id, []).append((starts_at, location_id))
    found: dict[int, list[int]] = {}
    for client_id in client_ids:
        ordered = sorted(upcoming.get(client_id, [])) + sorted(
            earlier.get(client_id, []), reverse=True
        )
        found[client_id] = list(dict.fromkeys(location for _start, location in ordered))
    return found


def upcoming_appointments_flag(client_id: int, level: str) -> int:
    """The client's level rose: put each upcoming appointment in its therapist's queue.

    Nothing is cancelled or changed: the therapist decides (the client's banner says so) and
    the board's intake badge shows the appointment as flagged. Returns how many were flagged.
    """
    upcoming = Appointment.objects.filter(
        client_id=client_id,
        status__in=(AppointmentStatus.BOOKED, AppointmentStatus.REQUESTED),
        starts_at__gt=timezone.now(),
    ).select_related("therapist__user", "client")
    flagged = 0
    for appointment in upcoming:
        _task, created = ClinicianTask.objects.get_or_create(
            kind=ClinicianTaskKind.UPCOMING_SAFETY,
            appointment=appointment,
            assigned_to=appointment.therapist.user,
            resolved_at=None,
        )
        if created:
            flagged += 1
            audit_record(
                actor=None,
                action=AuditAction.CHANGE,
                target=appointment,
                subject=appointment.client,
                detail="flagged for the therapist: safety finding before the session",
            )
    return flagged
