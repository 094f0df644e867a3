"""The client portal: appointments, intake status, self-care plan, outcome trend, care plans."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from booking.careplans import care_plan_progress
from booking.models.appointments import UPCOMING_STATUSES
from booking.selectors import appointments_visible_to, care_plans_visible_to
from clinic.models import ClinicPolicy, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from intake.findings import selfcare_paused
from intake.gate import REFUSING_GATES, booking_gate_for, intake_status_for
from intake.outcomes import outcome_trend_for
from workspace.selfcare import general_precautions, selfcare_plan_current_for

PAST_SHOWN = 10


def _trend_rows(series: list[Any]) -> list[dict[str, Any]]:
    """First and latest score of each measure, for a one-line summary per measure."""
    rows = []
    for s in series:
        if not s.points:
            continue
        label = f"{s.name} ({s.condition_name})" if s.condition_name else s.name
        rows.append(
            {"name": label, "first": s.points[0], "latest": s.points[-1], "count": len(s.points)}
        )
    return rows


@role_required(Role.CLIENT)
def portal(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    now = timezone.now()
    appointments = appointments_visible_to(user)
    upcoming = appointments.filter(status__in=UPCOMING_STATUSES, starts_at__gte=now)
    past = appointments.filter(starts_at__lt=now).order_by("-starts_at")[:PAST_SHOWN]
    plans = [
        {"plan": plan, "progress": care_plan_progress(plan)}
        for plan in care_plans_visible_to(user).filter(status="active")
    ]
    # While an EMERGENCY, URGENT or STOP finding is open: no exercises, no online reschedule.
    paused = selfcare_paused(user.pk)
    return render(
        request,
        "workspace/portal.html",
        {
            "selfcare_paused": paused,
            "may_reschedule": booking_gate_for(user) not in REFUSING_GATES,
            "upcoming": list(upcoming),
            "past": list(past),
            "policy": ClinicPolicy.load(),
            "intake_status": intake_status_for(user),
            "selfcare": None
            if paused
            else selfcare_plan_current_for(user, user.pk, request=request),
            "precautions": general_precautions(),
            "trend": _trend_rows(outcome_trend_for(user, user.pk, request=request)),
            "care_plans": plans,
        },
    )
