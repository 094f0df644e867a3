"""The workspace's message kinds, and the functions that queue them.

Completing a session (booking) queues the day 1, 3 and 7 follow-ups at 10:00 in the location's
zone: booking announces the completion through :mod:`booking.lifecycle`, which this module
listens to. How each kind is composed at send time is in :mod:`workspace.messages`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.lifecycle import appointment_completed_listen
from booking.models import Appointment, AppointmentStatus
from clinic.models import Notification, NotificationStatus
from clinic.notifications.services import notification_enqueue, subject_filter
from clinic.notifications.timing import is_stale_history, local_day_at
from workspace.models import SelfCarePlan


class WorkspaceMessage(models.TextChoices):
    FOLLOWUP_DAY1 = "followup_day1", _("Self-care plan (day 1)")
    FOLLOWUP_DAY3 = "followup_day3", _("Check-in (day 3)")
    FOLLOWUP_DAY7 = "followup_day7", _("Adherence check-in (day 7)")
    OUTCOME_DUE = "outcome_due", _("Outcome measure due")


FOLLOWUP_DAYS = {
    WorkspaceMessage.FOLLOWUP_DAY1: 1,
    WorkspaceMessage.FOLLOWUP_DAY3: 3,
    WorkspaceMessage.FOLLOWUP_DAY7: 7,
}
FOLLOWUP_LOCAL_TIME = dt.time(10, 0)


@appointment_completed_listen
def followups_enqueue(appointment: Appointment, *, as_of: dt.datetime | None = None) -> None:
    """Queue the day 1, 3 and 7 self-care follow-ups at 10:00 in the location's zone.

    A session completed ``as_of`` a past time (history) skips follow-ups that are long stale.
    """
    for kind, days in FOLLOWUP_DAYS.items():
        due = local_day_at(
            appointment.starts_at,
            appointment.location.zone,
            days_after=days,
            at=FOLLOWUP_LOCAL_TIME,
        )
        if is_stale_history(due, as_of=as_of, now=timezone.now()):
            continue
        notification_enqueue(
            kind=kind,
            subject=appointment,
            recipient=appointment.client,
            due_at=due,
            event_at=appointment.starts_at,
        )


def selfcare_plan_notifications_schedule(plan: SelfCarePlan) -> int:
    """After a therapist assigns a plan: send it now if the session's day-1 message already went.

    A day-1 message still pending renders the new plan when it is sent, so nothing is added.
    """
    appointment = plan.appointment
    if appointment is None or appointment.status != AppointmentStatus.COMPLETED:
        return 0  # completing the session queues the day-1 message, which shows this plan
    day1 = Notification.objects.filter(
        kind=WorkspaceMessage.FOLLOWUP_DAY1,
        recipient_id=plan.client_id,
        **subject_filter(appointment),
    )
    if day1.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.CLAIMED]).exists():
        return 0
    if not day1.filter(status=NotificationStatus.SENT).exists():
        return 0  # never queued (or cancelled): nothing to follow up
    return notification_enqueue(
        kind=WorkspaceMessage.FOLLOWUP_DAY1,
        subject=appointment,
        recipient=plan.client,
        due_at=timezone.now().replace(microsecond=0),
        event_at=appointment.starts_at,
        params={"plan_id": plan.pk},
    )
