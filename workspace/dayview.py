"""The therapist's day: today's and upcoming clients in order, each with what to prepare.

For each client: the intake summary and screening flags, precautions, consented competencies
(intraoral, pelvic), care-plan progress and due outcome measures. The intake is health data:
every client's summary read here is audited (one audit row per client shown).

Queries: a fixed number whatever the number of clients or appointments. Appointments,
intake summaries with precautions (intake.selectors.intake_summaries_for, which also writes
the audit rows in one INSERT), consents, due measures (intake.outcomes.outcomes_due_for_many)
and care-plan progress (booking.careplans.care_plans_progress) are each loaded once for the
whole window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from booking.careplans import care_plans_progress
from booking.models import ACTIVE_STATUSES, Appointment, ClinicianTask, ClinicianTaskKind
from clinic.models import Consent, User
from intake.gate import COMPETENCY_CONSENT_KINDS, IntakeStatus, intake_statuses_for
from intake.outcomes import outcomes_due_for_many
from intake.selectors import IntakeSummary, intake_summaries_for
from therapists.models import TherapistProfile
from workspace.models import SessionNote

ACTIVE = ("requested", "booked", "checked_in", "completed")


@dataclass
class ClientBrief:
    client: User
    intake: IntakeSummary
    precautions: list[str]
    competencies: list[str]
    outcomes_due: list[Any]


@dataclass
class DayRow:
    appointment: Appointment
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
    return list(
        Appointment.objects.filter(
            therapist=profile, status__in=ACTIVE, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("client", "service", "location", "room", "care_plan")
        .order_by("starts_at", "pk")
    )


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


def _briefs(user: User, clients: list[Any], request: HttpRequest | None) -> dict[int, ClientBrief]:
    ids = [c.pk for c in clients]
    summaries = intake_summaries_for(
        user, clients, request=request, detail="day view: intake summary"
    )
    consents = _competencies(ids)
    due = outcomes_due_for_many(ids)
    return {
        client.pk: ClientBrief(
            client=client,
            intake=summaries[client.pk],
            precautions=summaries[client.pk].precautions,
            competencies=consents.get(client.pk, []),
            outcomes_due=due.get(client.pk, []),
        )
        for client in clients
    }


def _progress(appointments: list[Any]) -> dict[int, Any]:
    return care_plans_progress([a.care_plan for a in appointments if a.care_plan is not None])


def therapist_day(
    user: User,
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
    progress = _progress(appointments)
    signed = dict(
        SessionNote.objects.filter(appointment__in=appointments).values_list(
            "appointment_id", "signed_at"
        )
    )
    rows = [
        DayRow(
            appointment=a,
            brief=briefs[a.client_id],
            progress=progress.get(a.care_plan_id) if a.care_plan_id else None,
            note_signed=(signed[a.pk] is not None) if a.pk in signed else None,
        )
        for a in appointments
    ]
    return _group(profile, day, rows, user)


def _group(profile: TherapistProfile, day: dt.date, rows: list[DayRow], user: User) -> DayView:
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
    # A session flagged for a safety finding stays listed while it is upcoming and the
    # client's intake is still flagged (a clinician's decision or a cancellation ends it).
    flagged = intake_statuses_for(t.appointment.client_id for t in tasks)
    tasks = [
        t
        for t in tasks
        if t.kind != ClinicianTaskKind.UPCOMING_SAFETY
        or (
            t.appointment.status in ACTIVE_STATUSES
            and flagged[t.appointment.client_id] == IntakeStatus.FLAGGED
        )
    ]
    return DayView(profile, day, today, sorted(later.items()), tasks)
