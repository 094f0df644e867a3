"""The self-care plan in the day-1 follow-up, and re-sending it when a plan is assigned late."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clinic.audit import audit_record
from clinic.models import AuditAction, Notification, NotificationKind, NotificationStatus
from clinic.notifications.services import notification_enqueue, subject_filter


def _current_plan(client_id: int, plan_id: int | None) -> Any | None:
    from workspace.models import SelfCarePlan

    plans = SelfCarePlan.objects.filter(client_id=client_id, replaced_at__isnull=True)
    if plan_id is not None:
        plans = plans.filter(pk=plan_id)
    return plans.order_by("-assigned_at", "-id").first()


def selfcare_plan_for(notification: Notification, appointment: Any) -> dict[str, Any] | None:
    """The client's current plan as plain data for the day-1 message, or None when there is none.

    The message goes to the client themselves; the read is still audited as a disclosure.
    """
    plan = _current_plan(appointment.client_id, notification.params.get("plan_id"))
    if plan is None:
        return None
    from workspace.selfcare import selfcare_plan_data

    audit_record(
        actor=None,
        action=AuditAction.EXPORT,
        target=plan,
        subject=appointment.client,
        detail=f"self-care plan: message {notification.pk}",
    )
    return selfcare_plan_data(plan.pk)


def selfcare_plan_notifications_schedule(plan: Any) -> int:
    """After a therapist assigns a plan: send it now if the session's day-1 message already went.

    A day-1 message still pending renders the new plan when it is sent, so nothing is added.
    """
    appointment = plan.appointment
    if appointment is None or appointment.status != "completed":
        return 0  # completing the session queues the day-1 message, which shows this plan
    day1 = Notification.objects.filter(
        kind=NotificationKind.FOLLOWUP_DAY1,
        recipient_id=plan.client_id,
        **subject_filter(appointment),
    )
    if day1.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.CLAIMED]).exists():
        return 0
    if not day1.filter(status=NotificationStatus.SENT).exists():
        return 0  # never queued (or cancelled): nothing to follow up
    return notification_enqueue(
        kind=NotificationKind.FOLLOWUP_DAY1,
        subject=appointment,
        recipient=plan.client,
        due_at=timezone.now().replace(microsecond=0),
        event_at=appointment.starts_at,
        params={"plan_id": plan.pk},
    )
