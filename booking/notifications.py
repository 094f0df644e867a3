"""Appointment hooks into the notification outbox (clinic.notifications).

Booking services call these INSIDE their transaction; they only write outbox rows and never
talk to Celery, so a rolled-back booking leaves nothing behind and a booking never waits on
(or fails because of) the broker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from clinic.models import ClinicPolicy, NotificationKind
from clinic.notifications.services import notification_enqueue, notifications_cancel
from clinic.notifications.timing import local_day_at

# Re-timed on every reschedule; the notices themselves are history and stay.
TIMED_KINDS = (NotificationKind.REMINDER, NotificationKind.INTAKE_DUE)
FOLLOWUP_DAYS = {
    NotificationKind.FOLLOWUP_DAY1: 1,
    NotificationKind.FOLLOWUP_DAY3: 3,
    NotificationKind.FOLLOWUP_DAY7: 7,
}
FOLLOWUP_LOCAL_TIME = dt.time(10, 0)


def _notify_now(appointment: Any, kind: str) -> None:
    notification_enqueue(
        kind=kind,
        subject=appointment,
        recipient=appointment.client,
        due_at=timezone.now(),
        event_at=appointment.starts_at,
    )


def _enqueue_reminders(appointment: Any, now: dt.datetime) -> None:
    for offset in ClinicPolicy.load().reminder_offsets:
        due = appointment.starts_at - dt.timedelta(hours=offset)
        if due <= now:
            continue  # booked at short notice: the confirmation is the reminder
        notification_enqueue(
            kind=NotificationKind.REMINDER,
            subject=appointment,
            recipient=appointment.client,
            due_at=due,
            event_at=appointment.starts_at,
            params={"offset_hours": offset},
        )


def _enqueue_intake_due(appointment: Any, now: dt.datetime) -> None:
    from intake.gate import IntakeStatus, intake_status_for

    if intake_status_for(appointment.client) not in (IntakeStatus.MISSING, IntakeStatus.DRAFT):
        return
    hours = ClinicPolicy.load().intake_missing_alert_hours
    # Nudge a day before the staff alert would fire; at once when that is already past.
    due = max(appointment.starts_at - dt.timedelta(hours=hours + 24), now)
    notification_enqueue(
        kind=NotificationKind.INTAKE_DUE,
        subject=appointment,
        recipient=appointment.client,
        due_at=due.replace(microsecond=0),
        event_at=appointment.starts_at,
    )


def _enqueue_timed(appointment: Any) -> None:
    if appointment.status != "booked":
        return  # a request gets its reminders once a clinician approves it
    now = timezone.now()
    _enqueue_reminders(appointment, now)
    _enqueue_intake_due(appointment, now)


def appointment_notifications_schedule(appointment: Any) -> None:
    """Queue the confirmation now, reminders at the clinic's offsets and the intake-due alert."""
    _notify_now(appointment, NotificationKind.CONFIRMATION)
    _enqueue_timed(appointment)


def appointment_notifications_reschedule(appointment: Any) -> None:
    """Move pending reminders to the new time and queue a "rescheduled" notice."""
    notifications_cancel(
        subject=appointment,
        kinds=[*TIMED_KINDS, NotificationKind.CONFIRMATION, NotificationKind.RESCHEDULED],
        reason="appointment rescheduled",
    )
    _notify_now(appointment, NotificationKind.RESCHEDULED)
    _enqueue_timed(appointment)


def appointment_notifications_cancel(appointment: Any) -> None:
    """Cancel pending reminders and queue a "cancelled" notice."""
    notifications_cancel(subject=appointment, reason="appointment cancelled")
    _notify_now(appointment, NotificationKind.CANCELLED)


def appointment_notifications_request_decided(appointment: Any, *, approved: bool) -> None:
    """A clinician approved (booked) or declined a requested appointment."""
    notifications_cancel(subject=appointment, reason="request decided")
    if approved:
        _notify_now(appointment, NotificationKind.REQUEST_APPROVED)
        _enqueue_timed(appointment)
    else:
        _notify_now(appointment, NotificationKind.REQUEST_DECLINED)


def appointment_notifications_completed(appointment: Any) -> None:
    """Queue the day 1, 3 and 7 self-care follow-ups at 10:00 in the location's zone."""
    notifications_cancel(subject=appointment, kinds=TIMED_KINDS, reason="session completed")
    for kind, days in FOLLOWUP_DAYS.items():
        notification_enqueue(
            kind=kind,
            subject=appointment,
            recipient=appointment.client,
            due_at=local_day_at(
                appointment.starts_at,
                appointment.location.zone,
                days_after=days,
                at=FOLLOWUP_LOCAL_TIME,
            ),
            event_at=appointment.starts_at,
        )


def waitlist_offer_notifications_schedule(offer: Any) -> None:
    """Tell the waitlisted client a slot is held for them until the offer expires."""
    notification_enqueue(
        kind=NotificationKind.WAITLIST_OFFER,
        subject=offer,
        recipient=offer.entry.client,
        due_at=timezone.now(),
        event_at=offer.starts_at,
    )


def selfcare_plan_notifications_schedule(plan: Any) -> None:
    """Called by therapists.selfcare after a plan is assigned (on commit)."""
    from clinic.notifications.selfcare import selfcare_plan_notifications_schedule as schedule

    schedule(plan)
