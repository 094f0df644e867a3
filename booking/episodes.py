"""What intake's outcome-measure rules need to know of a client's care: completed sessions and
the latest care plan, read here (booking owns them) and handed over as intake's plain facts."""

from __future__ import annotations

from booking.models import Appointment, AppointmentStatus, CarePlan, CarePlanStatus
from intake.outcomes import Episodes, PlanFact, SessionFact


def care_episodes_read(client_ids: list[int]) -> Episodes:
    """Completed sessions (oldest first) and each client's latest care plan, in two queries."""
    episodes = Episodes()
    rows = (
        Appointment.objects.filter(client_id__in=client_ids, status=AppointmentStatus.COMPLETED)
        .order_by("starts_at", "pk")
        .only("id", "client_id", "starts_at", "care_plan_id", "plan_session_number")
    )
    for row in rows:
        episodes.sessions.setdefault(row.client_id, []).append(
            SessionFact(row.starts_at, row.care_plan_id, row.plan_session_number)
        )
    plans = CarePlan.objects.filter(client_id__in=client_ids).order_by("-created_at", "-id")
    for plan in plans.only("id", "client_id", "sessions_per_week", "weeks", "status", "created_at"):
        episodes.plans.setdefault(
            plan.client_id,
            PlanFact(
                pk=plan.pk,
                total_sessions=plan.total_sessions,
                closed=plan.status == CarePlanStatus.COMPLETED,
                created_at=plan.created_at,
            ),
        )
    return episodes
