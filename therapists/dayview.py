"""The therapist's day: today's and upcoming clients in order, each with what to prepare.

For each client: the intake summary and screening flags, precautions, consented competencies
(intraoral, pelvic), care-plan progress and due outcome measures. The intake is health data:
every client's summary read here is audited (one audit row per client shown).

Queries: appointments, intakes (with screenings and decisions), consents and care plans are
loaded once for the whole window; precautions and due measures cost a few queries per
*client* (not per appointment), through intake's own selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit import audit_record
from clinic.models import AuditAction, Consent
from intake.gate import COMPETENCY_CONSENT_KINDS, client_precautions, intake_statuses_for
from intake.models import IntakeResponse, ResponseStatus
from intake.painmap import region_label
from therapists.models import Condition, SessionNote, TherapistProfile

ACTIVE = ("requested", "booked", "checked_in", "completed")


@dataclass
class IntakeSummary:
    status: str
    status_label: str
    response_id: int | None = None
    conditions: list[str] = field(default_factory=list)
    pain_now: Any = None
    pain_worst: Any = None
    areas: list[str] = field(default_factory=list)
    level: str = ""
    level_label: str = ""
    flags: list[str] = field(default_factory=list)
    last_decision: str = ""


@dataclass
class ClientBrief:
    client: Any
    intake: IntakeSummary
    precautions: list[str]
    competencies: list[str]
    outcomes_due: list[Any]


@dataclass
class DayRow:
    appointment: Any
    brief: ClientBrief
    progress: Any
    note_signed: bool | None

    @property
    def local_start(self) -> dt.datetime:
        return self.appointment.starts_at.astimezone(self.appointment.location.zone)


@dataclass
class DayView:
    therapist: TherapistProfile
    day: dt.date
    today: list[DayRow]
    upcoming: list[tuple[dt.date, list[DayRow]]]
    open_tasks: list[Any]


def _appointments(profile: TherapistProfile, start: dt.datetime, end: dt.datetime) -> list[Any]:
    from booking.models import Appointment

    return list(
        Appointment.objects.filter(
            therapist=profile, status__in=ACTIVE, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("client", "service", "location", "room", "care_plan")
        .prefetch_related("care_plan__appointments")
        .order_by("starts_at", "pk")
    )


def _intakes(client_ids: list[int]) -> dict[int, IntakeResponse]:
    responses = IntakeResponse.objects.filter(
        client_id__in=client_ids, status=ResponseStatus.SUBMITTED
    ).prefetch_related("screenings", Prefetch("decisions"))
    return {r.client_id: r for r in responses}


def _summary(response: IntakeResponse | None, status: Any, names: dict[str, str]) -> IntakeSummary:
    summary = IntakeSummary(status=str(status), status_label=str(status.label))
    if response is None:
        return summary
    answers = response.answers or {}
    screenings = sorted(response.screenings.all(), key=lambda s: (s.evaluated_at, s.pk))
    decisions = sorted(response.decisions.all(), key=lambda d: (d.decided_at, d.pk))
    summary.response_id = response.pk
    summary.conditions = [names.get(str(s), str(s)) for s in answers.get("conditions") or []]
    summary.pain_now, summary.pain_worst = answers.get("pain_now"), answers.get("pain_worst")
    summary.areas = [
        region_label(str(m.get("region")), m.get("side"))
        for m in answers.get("pain_map") or []
        if isinstance(m, dict)
    ]
    if screenings:
        latest = screenings[-1]
        summary.level, summary.level_label = latest.level, latest.get_level_display()
        summary.flags = [str(t.get("label", "")) for t in latest.triggers if isinstance(t, dict)]
    if decisions:
        summary.last_decision = decisions[-1].get_action_display()
    return summary


def _competencies(client_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = Consent.objects.filter(
        user_id__in=client_ids, withdrawn_at__isnull=True, text__kind__in=COMPETENCY_CONSENT_KINDS
    ).select_related("text")
    for consent in rows:
        label = str(consent.text.get_kind_display())
        found.setdefault(consent.user_id, [])
        if label not in found[consent.user_id]:
            found[consent.user_id].append(label)
    return found


def _briefs(user: Any, clients: list[Any], request: HttpRequest | None) -> dict[int, ClientBrief]:
    from intake.outcomes import outcomes_due_for

    ids = [c.pk for c in clients]
    statuses = intake_statuses_for(ids)
    intakes = _intakes(ids)
    names = dict(Condition.objects.values_list("slug", "name"))
    consents = _competencies(ids)
    briefs = {}
    for client in clients:
        response = intakes.get(client.pk)
        briefs[client.pk] = ClientBrief(
            client=client,
            intake=_summary(response, statuses[client.pk], names),
            precautions=client_precautions(client),
            competencies=consents.get(client.pk, []),
            outcomes_due=outcomes_due_for(client),
        )
        audit_record(
            actor=user, action=AuditAction.VIEW, target=response or client, subject=client,
            request=request, detail="day view: intake summary",
        )  # fmt: skip
    return briefs


def _progress(appointment: Any) -> Any:
    from booking.careplans import care_plan_progress

    return care_plan_progress(appointment.care_plan) if appointment.care_plan else None


def therapist_day(
    user: Any,
    *,
    day: dt.date | None = None,
    days_ahead: int = 6,
    request: HttpRequest | None = None,
) -> DayView | None:
    """The day view for a therapist user, or None if they have no profile yet."""
    profile = TherapistProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    zone = timezone.get_current_timezone()
    day = day or timezone.localdate()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=days_ahead + 1), dt.time.min, tzinfo=zone)
    appointments = _appointments(profile, start, end)
    clients = list({a.client_id: a.client for a in appointments}.values())
    briefs = _briefs(user, clients, request)
    signed = dict(
        SessionNote.objects.filter(appointment__in=appointments).values_list(
            "appointment_id", "signed_at"
        )
    )
    rows = [
        DayRow(
            appointment=a,
            brief=briefs[a.client_id],
            progress=_progress(a),
            note_signed=(signed[a.pk] is not None) if a.pk in signed else None,
        )
        for a in appointments
    ]
    return _group(profile, day, rows, user)


def _group(profile: TherapistProfile, day: dt.date, rows: list[DayRow], user: Any) -> DayView:
    from therapists.models import ClinicianTask

    today = [r for r in rows if r.local_start.date() == day]
    later: dict[dt.date, list[DayRow]] = {}
    for row in rows:
        if row.local_start.date() != day:
            later.setdefault(row.local_start.date(), []).append(row)
    tasks = list(
        ClinicianTask.objects.filter(assigned_to=user, resolved_at__isnull=True).select_related(
            "appointment__client", "appointment__therapist", "appointment__service"
        )
    )
    return DayView(profile, day, today, sorted(later.items()), tasks)
