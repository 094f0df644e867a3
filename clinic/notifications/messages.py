"""Composers for each kind of message. Each re-reads its subject at send time.

Subject lines and SMS bodies name only the place and the time, never a condition or a service
that would reveal one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from clinic.models import Notification, NotificationKind
from clinic.notifications import calendar, links
from clinic.notifications.checkin import SORENESS_CHOICES
from clinic.notifications.composing import Composition, Defer, Skip, composer, subject_of
from clinic.notifications.selfcare import selfcare_plan_for

BOOKED = "booked"
REQUESTED = "requested"
COMPLETED = "completed"
CANCELLED_STATUSES = frozenset({"cancelled", "late_cancelled"})


def _url(name: str, fallback: str, *args: Any) -> str:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        path = fallback
    return f"{settings.SITE_URL}{path}"


def appointment_context(appointment: Any) -> dict[str, Any]:
    location = appointment.location
    return {
        "appointment": appointment,
        "client": appointment.client,
        "therapist_name": appointment.therapist.display_name,
        "service_name": appointment.service.name,
        "location": location,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "appointments_url": _url("booking:appointments", "/booking/appointments/"),
        "time_zone": location.time_zone,
    }


def _appointment_composition(appointment: Any, **extra: Any) -> Composition:
    return Composition(
        context={**appointment_context(appointment), **extra}, zone=appointment.location.zone
    )


@composer(NotificationKind.CONFIRMATION, NotificationKind.RESCHEDULED)
def confirmation(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status not in (BOOKED, REQUESTED):
        raise Skip(f"appointment is {appointment.status}")
    if appointment.starts_at <= now:
        raise Skip("appointment already started")
    composition = _appointment_composition(appointment)
    composition.attachments.append(calendar.appointment_ics(appointment))
    return composition


@composer(NotificationKind.REQUEST_APPROVED)
def request_approved(notification: Notification, now: dt.datetime) -> Composition:
    composition = confirmation(notification, now)
    if subject_of(notification).status != BOOKED:
        raise Skip("appointment is not booked")
    return composition


@composer(NotificationKind.REQUEST_DECLINED, NotificationKind.CANCELLED)
def cancelled(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status not in CANCELLED_STATUSES:
        raise Skip("appointment is active again")
    return _appointment_composition(appointment)


@composer(NotificationKind.REMINDER)
def reminder(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status != BOOKED:
        raise Skip(f"appointment is {appointment.status}")
    if appointment.starts_at <= now:
        raise Skip("appointment already started")
    if notification.event_at and appointment.starts_at != notification.event_at:
        # Moved without the reschedule hook (or after this row was claimed): re-time it.
        offset = dt.timedelta(hours=int(notification.params.get("offset_hours", 0)))
        due = appointment.starts_at - offset
        if due > now + dt.timedelta(minutes=1):
            raise Defer(due, event_at=appointment.starts_at)
    composition = _appointment_composition(appointment)
    composition.expires_at = appointment.starts_at
    return composition


@composer(NotificationKind.INTAKE_DUE)
def intake_due(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status not in (BOOKED, REQUESTED) or appointment.starts_at <= now:
        raise Skip("appointment is not upcoming")
    from intake.gate import IntakeStatus, intake_status_for

    status = intake_status_for(appointment.client)
    if status not in (IntakeStatus.MISSING, IntakeStatus.DRAFT):
        raise Skip("intake already submitted")
    return _appointment_composition(
        appointment,
        intake_started=status == IntakeStatus.DRAFT,
        intake_url=_url("intake:start", "/intake/"),
    )


@composer(
    NotificationKind.FOLLOWUP_DAY1, NotificationKind.FOLLOWUP_DAY3, NotificationKind.FOLLOWUP_DAY7
)
def followup(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status != COMPLETED:
        raise Skip(f"appointment is {appointment.status}")
    extra: dict[str, Any] = {"rebook_url": _url("booking:start", "/booking/")}
    if notification.kind == NotificationKind.FOLLOWUP_DAY1:
        extra["plan"] = selfcare_plan_for(notification, appointment)
        extra["portal_url"] = _url("workspace:portal", "/my-care/")
    if notification.kind == NotificationKind.FOLLOWUP_DAY3:
        extra["checkin_url"] = links.checkin_url(notification)
        extra["scores"] = range(11)
        extra["soreness_choices"] = SORENESS_CHOICES
    if notification.kind == NotificationKind.FOLLOWUP_DAY7:
        extra["sessions_left"] = _care_plan_sessions_left(appointment)
    return _appointment_composition(appointment, **extra)


def _care_plan_sessions_left(appointment: Any) -> int | None:
    """Sessions of the appointment's care plan not yet done or booked (None: no active plan)."""
    plan = appointment.care_plan
    if plan is None or plan.status != "active":
        return None
    from booking.careplans import care_plan_progress

    return care_plan_progress(plan).left


@composer(NotificationKind.THERAPIST_DIGEST)
def therapist_digest(notification: Notification, now: dt.datetime) -> Composition:
    from clinic.notifications.selectors import digest_rows

    day = dt.date.fromisoformat(notification.params["date"])
    rows = digest_rows(therapist_user=notification.recipient, day=day)
    # Each row carries its own location's zone; the clinic zone only frames the date heading.
    return Composition(context={"day": day, "rows": rows}, zone=timezone.get_default_timezone())


@composer(NotificationKind.CREDENTIAL_EXPIRY)
def credential_expiry(notification: Notification, now: dt.datetime) -> Composition:
    credential = subject_of(notification)
    if str(credential.expires_on) != notification.params.get("expires_on"):
        raise Skip("credential was renewed")
    return Composition(
        context={"credential": credential, "therapist_name": credential.therapist.display_name},
        zone=timezone.get_default_timezone(),
    )


@composer(NotificationKind.WAITLIST_OFFER)
def waitlist_offer(notification: Notification, now: dt.datetime) -> Composition:
    offer = subject_of(notification)
    if offer.status != "open" or offer.expires_at <= now:
        raise Skip("offer no longer open")
    return Composition(
        context={
            "offer": offer,
            "therapist_name": offer.therapist.display_name,
            "location": offer.location,
            "starts_at": offer.starts_at,
            "ends_at": offer.ends_at,
            "hold_until": offer.expires_at,
            "time_zone": offer.location.time_zone,
            "accept_url": _url("booking:waitlist", "/booking/"),
        },
        zone=offer.location.zone,
        expires_at=offer.expires_at,
    )
