"""Booking's message kinds, and the functions booking services call to queue them.

Booking services call the ``*_notifications_*`` functions INSIDE their transaction; they only
write outbox rows and never talk to Celery, so a rolled-back booking leaves nothing behind and
a booking never waits on (or fails because of) the broker. How each kind is composed at send
time is in :mod:`booking.messages`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import Appointment, AppointmentStatus, WaitlistOffer
from clinic.models import ClinicPolicy
from clinic.notifications.services import notification_enqueue, notifications_cancel
from clinic.notifications.timing import is_stale_history
from intake.gate import IntakeStatus, intake_status_for


class BookingMessage(models.TextChoices):
    CONFIRMATION = "confirmation", _("Booking confirmation")
    REMINDER = "reminder", _("Appointment reminder")
    INTAKE_DUE = "intake_due", _("Intake form due")
    REQUEST_APPROVED = "request_approved", _("Request approved")
    REQUEST_DECLINED = "request_declined", _("Request declined")
    RESCHEDULED = "rescheduled", _("Appointment rescheduled")
    CANCELLED = "cancelled", _("Appointment cancelled")
    WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")
    CARE_PLAN_OFF_TRACK = "care_plan_off_track", _("Care plan off track")
    THERAPIST_DIGEST = "therapist_digest", _("Therapist's daily digest")


# Re-timed on every reschedule; the notices themselves are history and stay.
TIMED_KINDS = (BookingMessage.REMINDER, BookingMessage.INTAKE_DUE)


def _notify_now(appointment: Appointment, kind: str, as_of: dt.datetime | None = None) -> None:
    due = as_of or timezone.now()
    if is_stale_history(due, as_of=as_of, now=timezone.now()):
        return
    notification_enqueue(
        kind=kind,
        subject=appointment,
        recipient=appointment.client,
        due_at=due,
        event_at=appointment.starts_at,
    )


def _enqueue_reminders(
    appointment: Appointment, now: dt.datetime, as_of: dt.datetime | None
) -> None:
    for offset in ClinicPolicy.load().reminder_offsets:
        due = appointment.starts_at - dt.timedelta(hours=offset)
        if due <= now:
            continue  # booked at short notice: the confirmation is the reminder
        if is_stale_history(due, as_of=as_of, now=timezone.now()):
            continue
        notification_enqueue(
            kind=BookingMessage.REMINDER,
            subject=appointment,
            recipient=appointment.client,
            due_at=due,
            event_at=appointment.starts_at,
            params={"offset_hours": offset},
        )


def _enqueue_intake_due(
    appointment: Appointment, now: dt.datetime, as_of: dt.datetime | None
) -> None:
    if intake_status_for(appointment.client) not in (IntakeStatus.MISSING, IntakeStatus.DRAFT):
        return
    hours = ClinicPolicy.load().intake_missing_alert_hours
    # Nudge a day before the staff alert would fire; at once when that is already past.
    due = max(appointment.starts_at - dt.timedelta(hours=hours + 24), now)
    if is_stale_history(due, as_of=as_of, now=timezone.now()):
        return
    notification_enqueue(
        kind=BookingMessage.INTAKE_DUE,
        subject=appointment,
        recipient=appointment.client,
        due_at=due.replace(microsecond=0),
        event_at=appointment.starts_at,
    )


def _enqueue_timed(appointment: Appointment, as_of: dt.datetime | None = None) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        return  # a request gets its reminders once a clinician approves it
    now = as_of or timezone.now()
    _enqueue_reminders(appointment, now, as_of)
    _enqueue_intake_due(appointment, now, as_of)


def appointment_notifications_schedule(
    appointment: Appointment, *, as_of: dt.datetime | None = None
) -> None:
    """Queue the confirmation now, reminders at the clinic's offsets and the intake-due alert.

    Booked ``as_of`` a past time, messages that would be stale by now are not queued.
    """
    _notify_now(appointment, BookingMessage.CONFIRMATION, as_of)
    _enqueue_timed(appointment, as_of)


def appointment_notifications_reschedule(appointment: Appointment) -> None:
    """Move pending reminders to the new time and queue a "rescheduled" notice."""
    notifications_cancel(
        subject=appointment,
        kinds=[*TIMED_KINDS, BookingMessage.CONFIRMATION, BookingMessage.RESCHEDULED],
        reason="appointment rescheduled",
    )
    _notify_now(appointment, BookingMessage.RESCHEDULED)
    _enqueue_timed(appointment)


def appointment_notifications_cancel(appointment: Appointment) -> None:
    """Cancel pending reminders and queue a "cancelled" notice."""
    notifications_cancel(subject=appointment, reason="appointment cancelled")
    _notify_now(appointment, BookingMessage.CANCELLED)


def appointment_notifications_request_decided(appointment: Appointment, *, approved: bool) -> None:
    """A clinician approved (booked) or declined a requested appointment."""
    notifications_cancel(subject=appointment, reason="request decided")
    if approved:
        _notify_now(appointment, BookingMessage.REQUEST_APPROVED)
        _enqueue_timed(appointment)
    else:
        _notify_now(appointment, BookingMessage.REQUEST_DECLINED)


def appointment_notifications_no_show(appointment: Appointment) -> None:
    """The client did not come: reminders and the intake nudge for that visit are moot."""
    notifications_cancel(subject=appointment, kinds=TIMED_KINDS, reason="client did not come")


def appointment_notifications_completed(appointment: Appointment) -> None:
    """The session happened: reminders and the intake nudge for it are moot."""
    notifications_cancel(subject=appointment, kinds=TIMED_KINDS, reason="session completed")


def waitlist_offer_notifications_schedule(offer: WaitlistOffer) -> None:
    """Tell the waitlisted client a slot is held for them until the offer expires."""
    notification_enqueue(
        kind=BookingMessage.WAITLIST_OFFER,
        subject=offer,
        recipient=offer.entry.client,
        due_at=timezone.now(),
        event_at=offer.starts_at,
    )
