"""Care plans: create a plan, book its whole series in one step, and measure progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from booking.availability import boundary_to_utc
from booking.exceptions import SlotUnavailable
from booking.models import Appointment, AppointmentStatus, CarePlan, CarePlanStatus
from clinic.exceptions import ValidationFailed

DONE_STATUSES = (AppointmentStatus.COMPLETED, AppointmentStatus.CHECKED_IN)
BOOKED_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED)


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    booked: int
    left: int
    expected_by_now: int
    behind: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan_progress(
    *, total: int, per_week: int, starts_on: dt.date, today: dt.date, done: int, booked: int
) -> Progress:
    """Done, booked and left; behind when fewer sessions are done than full weeks elapsed call for."""
    weeks_elapsed = max(0, (today - starts_on).days // 7)
    expected = min(total, weeks_elapsed * per_week)
    return Progress(
        total=total,
        done=done,
        booked=booked,
        left=max(0, total - done - booked),
        expected_by_now=expected,
        behind=done < expected,
    )


def care_plan_progress(plan: CarePlan, *, today: dt.date | None = None) -> Progress:
    # Uses the prefetched appointments when present (list pages): no query per plan.
    statuses = [a.status for a in plan.appointments.all()]
    return plan_progress(
        total=plan.total_sessions,
        per_week=plan.sessions_per_week,
        starts_on=plan.starts_on,
        today=today or timezone.localdate(),
        done=sum(s in DONE_STATUSES for s in statuses),
        booked=sum(s in BOOKED_STATUSES for s in statuses),
    )


def series_starts(
    first_start: dt.datetime, *, per_week: int, weeks: int, zone: ZoneInfo
) -> list[dt.datetime]:
    """Session starts at the first session's local wall-clock time, spread evenly over each week.

    Kept in local time so a series crossing a DST change stays at 10:00, not 09:00 or 11:00.
    """
    local = first_start.astimezone(zone)
    gap = 7 // per_week
    starts = []
    for number in range(per_week * weeks):
        day = local.date() + dt.timedelta(days=7 * (number // per_week) + gap * (number % per_week))
        starts.append(boundary_to_utc(day, local.time().replace(tzinfo=None), zone))
    return starts


@transaction.atomic
def care_plan_create(*, actor: Any, **fields: Any) -> CarePlan:
    """A therapist (their own client) or clinic admin sets up a plan."""
    plan = CarePlan(created_by=actor, **fields)
    plan.full_clean()
    plan.save()
    return plan


@dataclass
class SeriesResult:
    booked: list[Appointment] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@transaction.atomic
def care_plan_book_series(*, plan: CarePlan, first_start: dt.datetime, actor: Any) -> SeriesResult:
    """Book every not-yet-booked session with the plan's therapist; conflicts get alternatives."""
    from booking.scheduling import appointment_book

    if plan.status != CarePlanStatus.ACTIVE:
        raise ValidationFailed("This care plan is not active.")
    if timezone.is_naive(first_start):
        raise ValidationFailed(
            "Give the start with a time-zone offset.",
            extra={"fields": {"start": ["Give the start with a time-zone offset."]}},
        )
    location = plan.therapist.locations.filter(services=plan.service).order_by("pk").first()
    if location is None:
        raise ValidationFailed("The plan's therapist does not offer its service anywhere.")
    taken = set(
        plan.appointments.filter(status__in=(*BOOKED_STATUSES, *DONE_STATUSES)).values_list(
            "plan_session_number", flat=True
        )
    )
    result = SeriesResult()
    starts = series_starts(
        first_start, per_week=plan.sessions_per_week, weeks=plan.weeks, zone=location.zone
    )
    for number, start in enumerate(starts, start=1):
        if number in taken:
            continue
        try:
            result.booked.append(
                appointment_book(
                    client=plan.client,
                    service=plan.service,
                    therapist=plan.therapist,
                    start=start,
                    actor=actor,
                    care_plan=plan,
                    plan_session_number=number,
                )
            )
        except SlotUnavailable as conflict:
            result.conflicts.append(
                {
                    "session": number,
                    "reassessment": number == plan.reassessment_at_session,
                    "requested": slot_payload_for(start, plan, location.zone),
                    "alternatives": conflict.extra.get("alternatives", []),
                }
            )
    return result


def slot_payload_for(start: dt.datetime, plan: CarePlan, zone: ZoneInfo) -> dict[str, Any]:
    end = start + dt.timedelta(minutes=plan.service.duration_minutes)
    return {
        "therapist": plan.therapist_id,
        "start": start.astimezone(zone).isoformat(),
        "end": end.astimezone(zone).isoformat(),
    }
