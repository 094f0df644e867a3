"""Appointment hooks into the notification outbox (clinic.notifications).

Booking services call these INSIDE their transaction; they only write outbox rows and
never talk to Celery, so a rolled-back booking leaves nothing behind.
"""

from __future__ import annotations

from typing import Any


def appointment_notifications_schedule(appointment: Any) -> None:
    """Queue the confirmation now, reminders at the clinic's offsets and the intake-due alert."""
    # Filled in by helper E once booking.models.Appointment exists; safe no-op until then.


def appointment_notifications_reschedule(appointment: Any) -> None:
    """Move pending reminders to the new time and queue a "rescheduled" notice."""


def appointment_notifications_cancel(appointment: Any) -> None:
    """Cancel pending reminders and queue a "cancelled" notice."""
