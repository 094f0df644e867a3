"""Composers for progress and safety messages: care plan off track, outcome due, intake flagged.

None of them names a condition, an instrument or an answer in a subject or body: a client
reads "a check-in is due", staff read "an intake needs review" and follow a link.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from clinic.models import Notification, NotificationKind, Role
from clinic.notifications.composing import Composition, Skip, composer, subject_of
from clinic.notifications.messages import COMPLETED, _url
from clinic.notifications.progress import plan_zone


@composer(NotificationKind.CARE_PLAN_OFF_TRACK)
def care_plan_off_track(notification: Notification, now: dt.datetime) -> Composition:
    from booking.careplans import care_plan_progress

    plan = subject_of(notification)
    if plan.status != "active":
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
            "book_url": _url("booking:start", "/booking/")
            if for_client
            else _url("booking:appointments", "/booking/appointments/"),
        },
        zone=zone,
        template="care_plan_off_track" if for_client else "care_plan_off_track_staff",
    )


@composer(NotificationKind.OUTCOME_DUE)
def outcome_due(notification: Notification, now: dt.datetime) -> Composition:
    from intake.outcomes import outcomes_due_for

    session = subject_of(notification)
    if session.status != COMPLETED:
        raise Skip("session is no longer completed")
    latest = (
        type(session)
        .objects.filter(client_id=session.client_id, status=COMPLETED)
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
        context={
            "count": len(due),
            "outcomes_url": _url("intake:my-outcomes", "/intake/outcomes/"),
        },
        zone=session.location.zone,
    )


@composer(NotificationKind.INTAKE_FLAGGED)
def intake_flagged(notification: Notification, now: dt.datetime) -> Composition:
    alert = subject_of(notification)
    if alert.resolved_at is not None:
        raise Skip("alert already resolved")
    if notification.recipient.role not in (Role.THERAPIST, Role.CLINIC_ADMIN):
        raise Skip("recipient no longer reviews intakes")
    response_id = alert.screening.response_id
    return Composition(
        context={
            "review_url": _url("intake:review-detail", "/intake/review/", response_id),
            "queue_url": _url("intake:review-queue", "/intake/review/"),
            "flagged_at": alert.created_at,
        },
        zone=timezone.get_default_timezone(),
    )
