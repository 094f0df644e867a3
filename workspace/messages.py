"""How the workspace's messages are composed at send time, and the outcome-due job.

Registered with the outbox (clinic.notifications.registry) when ``clinic`` autodiscovers each
app's ``messages`` module. No message names a condition, an instrument or an answer: a client
reads "a check-in is due" and follows a link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from booking.careplans import care_plan_progress
from booking.messages import appointment_composition, site_url
from booking.models import Appointment, AppointmentStatus, CarePlanStatus
from clinic.audit import audit_record
from clinic.models import AuditAction, Notification
from clinic.notifications.composing import subject_of
from clinic.notifications.registry import Composition, Skip, message_kind, periodic_job
from clinic.notifications.services import notification_enqueue
from clinic.notifications.timing import local_day_at
from intake.findings import selfcare_paused
from intake.outcomes import outcomes_due_for, outcomes_due_for_many
from workspace.checkin import SORENESS_CHOICES, checkin_url
from workspace.models import SelfCarePlan
from workspace.notifications import WorkspaceMessage
from workspace.selfcare import selfcare_plan_data

NUDGE_LOCAL_TIME = dt.time(10, 0)
# Outcome reminders look at clients seen this recently; older episodes were already nudged.
OUTCOME_LOOKBACK = dt.timedelta(days=30)
# Two days after the session: day 1 carries the self-care plan, so the two do not collide.
OUTCOME_DAYS_AFTER = 2


# --- the self-care follow-ups --------------------------------------------------------------------


def selfcare_plan_for(
    notification: Notification, appointment: Appointment
) -> dict[str, Any] | None:
    """The client's current plan as plain data for the day-1 message, or None when there is none
    (or it is paused for an open safety finding).

    The message goes to the client themselves; the read is still audited as a disclosure.
    """
    if selfcare_paused(appointment.client_id):
        return None  # paused while an EMERGENCY, URGENT or STOP finding is open
    plans = SelfCarePlan.objects.filter(client_id=appointment.client_id, replaced_at__isnull=True)
    plan_id = notification.params.get("plan_id")
    if plan_id is not None:
        plans = plans.filter(pk=plan_id)
    plan = plans.order_by("-assigned_at", "-id").first()
    if plan is None:
        return None
    audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        target=plan,
        subject=appointment.client,
        detail=f"self-care plan: message {notification.pk}",
    )
    return selfcare_plan_data(plan.pk)


def _care_plan_sessions_left(appointment: Appointment) -> int | None:
    """Sessions of the appointment's care plan not yet done or booked (None: no active plan)."""
    plan = appointment.care_plan
    if plan is None or plan.status != CarePlanStatus.ACTIVE:
        return None
    return care_plan_progress(plan).left


@message_kind(WorkspaceMessage.FOLLOWUP_DAY7, WorkspaceMessage.FOLLOWUP_DAY7.label)
@message_kind(WorkspaceMessage.FOLLOWUP_DAY3, WorkspaceMessage.FOLLOWUP_DAY3.label)
@message_kind(WorkspaceMessage.FOLLOWUP_DAY1, WorkspaceMessage.FOLLOWUP_DAY1.label)
def followup(notification: Notification, now: dt.datetime) -> Composition:
    appointment = subject_of(notification)
    if appointment.status != AppointmentStatus.COMPLETED:
        raise Skip(f"appointment is {appointment.status}")
    extra: dict[str, Any] = {"rebook_url": site_url("booking:start")}
    if notification.kind == WorkspaceMessage.FOLLOWUP_DAY1:
        extra["plan"] = selfcare_plan_for(notification, appointment)
        extra["portal_url"] = site_url("workspace:portal")
    if notification.kind == WorkspaceMessage.FOLLOWUP_DAY3:
        extra["checkin_url"] = checkin_url(notification)
        extra["scores"] = range(11)
        extra["soreness_choices"] = SORENESS_CHOICES
    if notification.kind == WorkspaceMessage.FOLLOWUP_DAY7:
        extra["sessions_left"] = _care_plan_sessions_left(appointment)
    return appointment_composition(appointment, **extra)


# --- outcome measures due ------------------------------------------------------------------------


def _latest_sessions(now: dt.datetime) -> list[Appointment]:
    """Each recently seen client's latest completed session, with its location."""
    recent = (
        Appointment.objects.filter(
            status=AppointmentStatus.COMPLETED,
            starts_at__gte=now - OUTCOME_LOOKBACK,
            starts_at__lte=now,
        )
        .select_related("client", "location")
        .order_by("client_id", "-starts_at", "-id")
    )
    latest: dict[int, Appointment] = {}
    for appointment in recent:
        latest.setdefault(appointment.client_id, appointment)
    return list(latest.values())


@periodic_job
def outcomes_due_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue "a check-in is due" two days after a session that left an outcome measure due.

    The due time is derived from the session, so every hourly run computes the same key and
    the outbox keeps it to one message per episode.
    """
    now = now or timezone.now()
    sessions = _latest_sessions(now)
    due = outcomes_due_for_many(s.client_id for s in sessions)
    count = 0
    for session in sessions:
        if not session.client.is_active or not due.get(session.client_id):
            continue
        count += notification_enqueue(
            kind=WorkspaceMessage.OUTCOME_DUE,
            subject=session,
            recipient=session.client,
            due_at=local_day_at(
                session.starts_at,
                session.location.zone,
                days_after=OUTCOME_DAYS_AFTER,
                at=NUDGE_LOCAL_TIME,
            ),
            event_at=session.starts_at,
        )
    return count


@message_kind(WorkspaceMessage.OUTCOME_DUE, WorkspaceMessage.OUTCOME_DUE.label)
def outcome_due(notification: Notification, now: dt.datetime) -> Composition:
    session = subject_of(notification)
    if session.status != AppointmentStatus.COMPLETED:
        raise Skip("session is no longer completed")
    latest = (
        Appointment.objects.filter(client_id=session.client_id, status=AppointmentStatus.COMPLETED)
        .order_by("-starts_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != session.pk:
        raise Skip("a later session took over this reminder")
    due = outcomes_due_for(session.client)
    if not due:
        raise Skip("nothing due any more")
    # Only the count reaches the message; instrument names can reveal a condition.
    return Composition(
        context={"count": len(due), "outcomes_url": site_url("intake:my-outcomes")},
        zone=session.location.zone,
    )
