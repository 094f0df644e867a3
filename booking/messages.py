"""How booking's messages are composed at send time, and the periodic jobs that queue some.

Registered with the outbox (clinic.notifications.registry) when ``clinic`` autodiscovers each
app's ``messages`` module; nothing else imports this module. Every composer re-reads its
subject now, not when the row was queued. Subject lines and SMS bodies name only the place
and the time, never a condition or a service that would reveal one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.careplans import care_plan_progress
from booking.ics import appointment_ics_attachment, ics_available
from booking.models import (
    CANCELLED_STATUSES,
    UPCOMING_STATUSES,
    Appointment,
    AppointmentStatus,
    CarePlan,
    CarePlanStatus,
    WaitlistOfferStatus,
)
from booking.notifications import BookingMessage
from clinic.models import ClinicPolicy, Notification, User
from clinic.notifications.composing import subject_of
from clinic.notifications.registry import (
    Composition,
    Defer,
    Skip,
    message_kind,
    periodic_job,
    subject_queryset,
)
from clinic.notifications.services import notification_enqueue
from intake.gate import IntakeStatus, intake_status_for, intake_statuses_for

# Still coming: a check-in on the day does not make a due confirmation or intake nudge moot.
STILL_EXPECTED = (*UPCOMING_STATUSES, AppointmentStatus.CHECKED_IN)


def site_url(name: str, *args: Any) -> str:
    """An absolute link for a message: the site's address and a named route."""
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


# --- an appointment's life --------------------------------------------------------------------


@subject_queryset
def appointments_as_subjects() -> QuerySet[Appointment]:
    """What composing an appointment's message reads, for a batch of sends in one query."""
    return Appointment.objects.select_related("location", "therapist", "service", "client")


def appointment_context(appointment: Appointment) -> dict[str, Any]:
    location, policy = appointment.location, ClinicPolicy.load()
    return {
        "appointment": appointment,
        "client": appointment.client,
        "therapist_name": appointment.therapist.display_name,
        "service_name": appointment.service.name,
        "location": location,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "appointments_url": site_url("booking:appointments"),
        "appointment_url": site_url("booking:appointment", appointment.pk),
        "map_url": location.map_url,
        "arrive_at": appointment.starts_at - dt.timedelta(minutes=policy.arrival_minutes_before),
        # Stored English (the shipped default) is in the catalogues; a clinic's own text shows as
        # written. Composed inside the recipient's language.
        "preparation": _(policy.visit_preparation_text) if policy.visit_preparation_text else "",
        "change_rule": policy.change_rule_text(),
        "time_zone": location.time_zone,
    }


def appointment_composition(appointment: Appointment, **extra: Any) -> Composition:
    return Composition(
        context={**appointment_context(appointment), **extra}, zone=appointment.location.zone
    )


@message_kind(
    BookingMessage.RESCHEDULED, BookingMessage.RESCHEDULED.label, essential=True, sms=True
)
@message_kind(
    BookingMessage.CONFIRMATION, BookingMessage.CONFIRMATION.label, essential=True, sms=True
)
def confirmation(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    # A client checked in early still gets the confirmation that was due (and its .ics).
    if appointment.status not in STILL_EXPECTED:
        raise Skip(f"appointment is {appointment.status}")
    if appointment.starts_at <= now:
        raise Skip("appointment already started")
    composition = appointment_composition(appointment)
    if ics_available(appointment):
        composition.attachments.append(appointment_ics_attachment(appointment))
    return composition


@message_kind(
    BookingMessage.REQUEST_APPROVED, BookingMessage.REQUEST_APPROVED.label, essential=True
)
def request_approved(notification: Notification, now: dt.datetime) -> Composition:
    composition = confirmation(notification, now)
    if subject_of(notification).status != AppointmentStatus.BOOKED:
        raise Skip("appointment is not booked")
    return composition


@message_kind(BookingMessage.CANCELLED, BookingMessage.CANCELLED.label, essential=True, sms=True)
@message_kind(
    BookingMessage.REQUEST_DECLINED, BookingMessage.REQUEST_DECLINED.label, essential=True
)
def cancelled(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status not in CANCELLED_STATUSES:
        raise Skip("appointment is active again")
    composition = appointment_composition(appointment)
    if notification.kind == BookingMessage.CANCELLED and ics_available(appointment):
        # Same UID, higher SEQUENCE, METHOD:CANCEL: the calendar drops the visit it was sent.
        composition.attachments.append(appointment_ics_attachment(appointment))
    return composition


@message_kind(BookingMessage.REMINDER, BookingMessage.REMINDER.label, sms=True)
def reminder(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status != AppointmentStatus.BOOKED:
        raise Skip(f"appointment is {appointment.status}")
    if appointment.starts_at <= now:
        raise Skip("appointment already started")
    if notification.event_at and appointment.starts_at != notification.event_at:
        # Moved without the reschedule hook (or after this row was claimed): re-time it.
        offset = dt.timedelta(hours=int(notification.params.get("offset_hours", 0)))
        due = appointment.starts_at - offset
        if due > now + dt.timedelta(minutes=1):
            raise Defer(due, event_at=appointment.starts_at)
    composition = appointment_composition(appointment)
    composition.expires_at = appointment.starts_at
    return composition


@message_kind(BookingMessage.INTAKE_DUE, BookingMessage.INTAKE_DUE.label)
def intake_due(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status not in STILL_EXPECTED or appointment.starts_at <= now:
        raise Skip("appointment is not upcoming")
    status = intake_status_for(appointment.client)
    if status not in (IntakeStatus.MISSING, IntakeStatus.DRAFT):
        raise Skip("intake already submitted")
    return appointment_composition(
        appointment,
        intake_started=status == IntakeStatus.DRAFT,
        intake_url=site_url("intake:start"),
    )


@message_kind(
    BookingMessage.WAITLIST_OFFER, BookingMessage.WAITLIST_OFFER.label, essential=True, sms=True
)
def waitlist_offer(notification: Notification, now: dt.datetime) -> Composition:
    offer = subject_of(notification)
    if offer.status != WaitlistOfferStatus.OPEN or offer.expires_at <= now:
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
            "accept_url": site_url("booking:waitlist"),
        },
        zone=offer.location.zone,
        expires_at=offer.expires_at,
    )


# --- care plans off track ---------------------------------------------------------------------


NUDGE_LOCAL_TIME = dt.time(10, 0)


def plan_zone(plan: CarePlan) -> zoneinfo.ZoneInfo:
    """The zone of the plan's sessions (prefetched), else the clinic's."""
    for appointment in plan.appointments.all():
        return appointment.location.zone
    return timezone.get_default_timezone()


def plan_week_start(plan: CarePlan, today: dt.date) -> dt.date:
    """First day of the plan week ``today`` falls in: the key of one off-track nudge."""
    weeks = max(0, (today - plan.starts_on).days // 7)
    return plan.starts_on + dt.timedelta(days=7 * weeks)


@periodic_job
def care_plans_off_track_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue one nudge per plan week to the client and the plan's therapist while behind."""
    now = now or timezone.now()
    plans = (
        CarePlan.objects.filter(status=CarePlanStatus.ACTIVE)
        .select_related("client", "therapist__user")
        .prefetch_related(
            Prefetch("appointments", queryset=Appointment.objects.select_related("location"))
        )
    )
    count = 0
    for plan in plans:
        zone = plan_zone(plan)
        today = now.astimezone(zone).date()
        if not care_plan_progress(plan, today=today).behind:
            continue
        week = dt.datetime.combine(plan_week_start(plan, today), NUDGE_LOCAL_TIME, tzinfo=zone)
        for recipient in (plan.client, plan.therapist.user):
            if recipient.is_active:
                count += notification_enqueue(
                    kind=BookingMessage.CARE_PLAN_OFF_TRACK,
                    subject=plan,
                    recipient=recipient,
                    due_at=week.astimezone(dt.UTC),
                )
    return count


@message_kind(BookingMessage.CARE_PLAN_OFF_TRACK, BookingMessage.CARE_PLAN_OFF_TRACK.label)
def care_plan_off_track(notification: Notification, now: dt.datetime) -> Composition:
    """No condition or measure in the text: the client reads that sessions are behind."""
    plan = subject_of(notification)
    if plan.status != CarePlanStatus.ACTIVE:
        raise Skip("care plan is no longer active")
    zone = plan_zone(plan)
    progress = care_plan_progress(plan, today=now.astimezone(zone).date())
    if not progress.behind:
        raise Skip("care plan is on track again")
    for_client = notification.recipient_id == plan.client_id
    return Composition(
        context={
            "progress": progress,
            "for_client": for_client,
            "client_name": str(plan.client),
            "therapist_name": plan.therapist.display_name,
            "book_url": site_url("booking:start" if for_client else "booking:appointments"),
        },
        zone=zone,
        template="care_plan_off_track" if for_client else "care_plan_off_track_staff",
    )


# --- the therapist's evening digest ------------------------------------------------------------


DIGEST_LOCAL_TIME = dt.time(17, 0)
# Wide enough to hold one local calendar day in any zone (UTC-12 to UTC+14).
ZONE_MARGIN = dt.timedelta(hours=14)


@dataclass(frozen=True)
class DigestRow:
    starts_at: dt.datetime  # already in the location's zone, so templates show its wall clock
    time_zone: str
    client_name: str
    service_name: str
    location_name: str
    flags: list[str]


def appointments_on_local_day(day: dt.date) -> QuerySet[Appointment]:
    """Active appointments within a UTC window covering ``day`` in every zone; filter locally."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC) - ZONE_MARGIN
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC) + ZONE_MARGIN
    return Appointment.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status__in=[AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED]
    )


def is_on_local_day(appointment: Appointment, day: dt.date) -> bool:
    return bool(appointment.starts_at.astimezone(appointment.location.zone).date() == day)


def digest_rows(*, therapist_user: User, day: dt.date) -> list[DigestRow]:
    """One therapist's clients on ``day`` (each location's own calendar day), with staff flags."""
    appointments = [
        item
        for item in appointments_on_local_day(day)
        .filter(therapist__user=therapist_user)
        .select_related("client", "service", "location")
        .order_by("starts_at")
        if is_on_local_day(item, day)
    ]
    statuses = intake_statuses_for({a.client_id for a in appointments})
    rows = []
    for item in appointments:
        flags = []
        status = statuses.get(item.client_id)
        if status is not None and status != IntakeStatus.CLEARED:
            flags.append(_("intake %(status)s") % {"status": IntakeStatus(status).label.lower()})
        if item.status == AppointmentStatus.REQUESTED:
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


@periodic_job
def therapist_digests_enqueue(*, now: dt.datetime | None = None) -> int:
    """After 17:00 clinic time, queue each therapist with clients tomorrow a digest (once a day).

    "Tomorrow" is each appointment's own local day at its location, so a therapist working
    at sites in two zones gets every client of that calendar day.
    """
    zone = timezone.get_default_timezone()
    local_now = (now or timezone.now()).astimezone(zone)
    if local_now.time() < DIGEST_LOCAL_TIME:
        return 0
    tomorrow = local_now.date() + dt.timedelta(days=1)
    candidates = appointments_on_local_day(tomorrow).select_related("location", "therapist")
    therapist_ids = {
        item.therapist.user_id for item in candidates if is_on_local_day(item, tomorrow)
    }
    due = dt.datetime.combine(local_now.date(), DIGEST_LOCAL_TIME).replace(tzinfo=zone)
    count = 0
    for therapist in User.objects.filter(pk__in=therapist_ids, is_active=True):
        count += notification_enqueue(
            kind=BookingMessage.THERAPIST_DIGEST,
            subject=therapist,
            recipient=therapist,
            due_at=due,
            params={"date": tomorrow.isoformat()},
        )
    return count


@message_kind(BookingMessage.THERAPIST_DIGEST, BookingMessage.THERAPIST_DIGEST.label)
def therapist_digest(notification: Notification, now: dt.datetime) -> Composition:
    day = dt.date.fromisoformat(notification.params["date"])
    rows = digest_rows(therapist_user=notification.recipient, day=day)
    # Each row carries its own location's zone; the clinic zone only frames the date heading.
    return Composition(context={"day": day, "rows": rows}, zone=timezone.get_default_timezone())
