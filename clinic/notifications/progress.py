"""Clock-driven progress nudges: a care plan falling behind, an outcome measure due.

Run hourly by the beat (clinic.notifications.tasks.enqueue_daily_notifications). Each row's
due time is derived from the episode it is about (the plan week, the session that made the
measure due), so every hourly run computes the same key and the outbox's unique constraint
keeps it to one message per episode. The composers re-check at send time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from clinic.models import NotificationKind
from clinic.notifications.services import notification_enqueue
from clinic.notifications.timing import local_day_at

NUDGE_LOCAL_TIME = dt.time(10, 0)
# Outcome reminders look at clients seen this recently; older episodes were already nudged.
OUTCOME_LOOKBACK = dt.timedelta(days=30)
# Two days after the session: day 1 carries the self-care plan, so the two do not collide.
OUTCOME_DAYS_AFTER = 2


def plan_zone(plan: Any) -> Any:
    """The zone of the plan's sessions (prefetched), else the clinic's."""
    for appointment in plan.appointments.all():
        return appointment.location.zone
    return timezone.get_default_timezone()


def plan_week_start(plan: Any, today: dt.date) -> dt.date:
    """First day of the plan week ``today`` falls in: the key of one off-track nudge."""
    weeks = max(0, (today - plan.starts_on).days // 7)
    return plan.starts_on + dt.timedelta(days=7 * weeks)


def care_plans_off_track_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue one nudge per plan week to the client and the plan's therapist while behind."""
    from booking.careplans import care_plan_progress
    from booking.models import Appointment, CarePlan, CarePlanStatus

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
                    kind=NotificationKind.CARE_PLAN_OFF_TRACK,
                    subject=plan,
                    recipient=recipient,
                    due_at=week.astimezone(dt.UTC),
                )
    return count


def _latest_sessions(now: dt.datetime) -> list[Any]:
    """Each recently seen client's latest completed session, with its location."""
    from booking.models import Appointment

    recent = (
        Appointment.objects.filter(
            status="completed", starts_at__gte=now - OUTCOME_LOOKBACK, starts_at__lte=now
        )
        .select_related("client", "location")
        .order_by("client_id", "-starts_at", "-id")
    )
    latest: dict[int, Any] = {}
    for appointment in recent:
        latest.setdefault(appointment.client_id, appointment)
    return list(latest.values())


def outcomes_due_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue "a check-in is due" two days after a session that left an outcome measure due."""
    from intake.outcomes import outcomes_due_for_many

    now = now or timezone.now()
    sessions = _latest_sessions(now)
    due = outcomes_due_for_many(s.client_id for s in sessions)
    count = 0
    for session in sessions:
        if not session.client.is_active or not due.get(session.client_id):
            continue
        count += notification_enqueue(
            kind=NotificationKind.OUTCOME_DUE,
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
