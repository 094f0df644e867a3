"""Care plans: create a plan, book its whole series in one step, and measure progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.availability import Slot, boundary_to_utc
from booking.availability_selectors import open_slots
from booking.exceptions import SlotUnavailable
from booking.models import Appointment, AppointmentStatus, CarePlan, CarePlanStatus
from booking.scheduling import appointment_book
from booking.selectors import ensure_may_act_for, ensure_may_book_with
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, Location, User

FIRST_SESSION_DAYS = 14

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


def _plan_statuses(plans: Sequence[CarePlan]) -> dict[int, list[str]]:
    # List pages prefetch the plans' appointments: use them rather than query again.
    if all("appointments" in getattr(p, "_prefetched_objects_cache", {}) for p in plans):
        return {p.pk: [a.status for a in p.appointments.all()] for p in plans}
    statuses: dict[int, list[str]] = {p.pk: [] for p in plans}
    rows = Appointment.objects.filter(care_plan__in=[p.pk for p in plans]).values_list(
        "care_plan_id", "status"
    )
    for plan_id, status in rows.order_by():
        statuses[plan_id].append(status)
    return statuses


def care_plans_progress(
    plans: Iterable[CarePlan], *, today: dt.date | None = None
) -> dict[int, Progress]:
    """Progress of many plans by plan id, in at most one query (none when prefetched)."""
    unique = list({p.pk: p for p in plans}.values())
    if not unique:
        return {}
    statuses = _plan_statuses(unique)
    today = today or timezone.localdate()
    return {
        plan.pk: plan_progress(
            total=plan.total_sessions,
            per_week=plan.sessions_per_week,
            starts_on=plan.starts_on,
            today=today,
            done=sum(s in DONE_STATUSES for s in statuses[plan.pk]),
            booked=sum(s in BOOKED_STATUSES for s in statuses[plan.pk]),
        )
        for plan in unique
    }


def care_plan_progress(plan: CarePlan, *, today: dt.date | None = None) -> Progress:
    """Done, booked and left for one plan (see :func:`care_plans_progress`)."""
    return care_plans_progress([plan], today=today)[plan.pk]


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
def care_plan_create(*, actor: User, **fields: Any) -> CarePlan:
    """A therapist (their own client) or clinic admin sets up a plan."""
    ensure_may_act_for(actor, fields["client"])
    therapist = fields.get("therapist")
    ensure_may_book_with(actor, fields["client"], therapist.user if therapist else None)
    plan = CarePlan(created_by=actor, **fields)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=plan, subject=plan.client, detail="care plan"
    )
    return plan


def care_plan_location(plan: CarePlan) -> Location | None:
    """Where the plan's sessions take place: the therapist's first location offering the service."""
    return (
        plan.therapist.locations.filter(services=plan.service, is_active=True)
        .order_by("pk")
        .first()
    )


def care_plan_first_slots(plan: CarePlan, *, today: dt.date | None = None) -> list[Slot]:
    """Open times with the plan's therapist to start the series (two weeks from the plan start)."""
    location = care_plan_location(plan)
    if location is None:
        return []
    first = max(plan.starts_on, today or timezone.now().astimezone(location.zone).date())
    return open_slots(
        service=plan.service,
        location=location,
        first_day=first,
        last_day=first + dt.timedelta(days=FIRST_SESSION_DAYS - 1),
        therapist_ids=[plan.therapist_id],
    )


@dataclass(frozen=True)
class SessionRow:
    number: int
    reassessment: bool
    appointment: Appointment | None


def care_plan_sessions(plan: CarePlan) -> list[SessionRow]:
    """Session 1..total with the appointment holding each (a cancelled one frees its number)."""
    holding = {
        a.plan_session_number: a
        for a in plan.appointments.all()  # prefetched by the selectors
        if a.status in (*BOOKED_STATUSES, *DONE_STATUSES, AppointmentStatus.NO_SHOW)
    }
    return [
        SessionRow(n, n == plan.reassessment_at_session, holding.get(n))
        for n in range(1, plan.total_sessions + 1)
    ]


@dataclass
class SeriesResult:
    booked: list[Appointment] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def _check_bookable(plan: CarePlan, start: dt.datetime) -> Location:
    if plan.status != CarePlanStatus.ACTIVE:
        raise ValidationFailed(_("This care plan is not active."))
    if timezone.is_naive(start):
        message = _("Give the start with a time-zone offset.")
        raise ValidationFailed(message, extra={"fields": {"start": [message]}})
    location = care_plan_location(plan)
    if location is None:
        raise ValidationFailed(_("The plan's therapist does not offer its service anywhere."))
    return location


def _taken_numbers(plan: CarePlan) -> set[int | None]:
    return set(
        plan.appointments.filter(status__in=(*BOOKED_STATUSES, *DONE_STATUSES)).values_list(
            "plan_session_number", flat=True
        )
    )


def _book_session(
    plan: CarePlan, number: int, start: dt.datetime, actor: User, result: SeriesResult, zone: Any
) -> None:
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
                "requested": slot_payload_for(start, plan, zone),
                "alternatives": conflict.extra.get("alternatives", []),
            }
        )


@transaction.atomic
def care_plan_book_series(*, plan: CarePlan, first_start: dt.datetime, actor: User) -> SeriesResult:
    """Book every not-yet-booked session with the plan's therapist; conflicts get alternatives."""
    location = _check_bookable(plan, first_start)
    taken = _taken_numbers(plan)
    result = SeriesResult()
    starts = series_starts(
        first_start, per_week=plan.sessions_per_week, weeks=plan.weeks, zone=location.zone
    )
    for number, start in enumerate(starts, start=1):
        if number not in taken:
            _book_session(plan, number, start, actor, result, location.zone)
    return result


@transaction.atomic
def care_plan_book_sessions(
    *, plan: CarePlan, choices: dict[int, dt.datetime], actor: User
) -> SeriesResult:
    """Book chosen times for single sessions (e.g. the alternatives offered for conflicts)."""
    location = None
    for number, start in choices.items():
        location = _check_bookable(plan, start)
        if not 1 <= number <= plan.total_sessions:
            raise ValidationFailed(_("This plan has no session %(number)s.") % {"number": number})
    taken = _taken_numbers(plan)
    if already := sorted(n for n in choices if n in taken):
        raise ValidationFailed(_("Session %(number)s is already booked.") % {"number": already[0]})
    result = SeriesResult()
    for number, start in sorted(choices.items()):
        _book_session(plan, number, start, actor, result, location.zone)  # type: ignore[union-attr]
    return result


def slot_payload_for(start: dt.datetime, plan: CarePlan, zone: ZoneInfo) -> dict[str, Any]:
    end = start + dt.timedelta(minutes=plan.service.duration_minutes)
    return {
        "therapist": plan.therapist_id,
        "start": start.astimezone(zone).isoformat(),
        "end": end.astimezone(zone).isoformat(),
    }
