"""Outcome measures: recording scored responses, what is due, and access-checked trends.

Scoring itself is pure (intake.scoring); this module adds the database, access rules and the
audit trail. Who may record or read a client's outcomes is the same as for the intake
(intake.selectors.may_read_intake): the client, therapists who treat them, clinic admins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from clinic.audit import audit_record
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditAction, AuditOutcome, ClinicPolicy, Role, User
from intake.gate import condition_slugs_for
from intake.instrument_texts import instrument_text
from intake.instruments import definition_for_import
from intake.models import OutcomeInstrument, OutcomeResponse, OutcomeSource
from intake.scoring import Score, score, score_bounds
from intake.selectors import may_read_intake
from therapists.models import Condition


class DueReason:
    INTAKE = "intake"
    SESSION = "session"
    DISCHARGE = "discharge"


@dataclass(frozen=True)
class DueMeasure:
    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class TrendPoint:
    recorded_at: dt.datetime
    value: Decimal
    band: str
    source: str


@dataclass
class TrendSeries:
    code: str
    name: str
    unit: str
    direction: str
    low: Decimal
    high: Decimal
    condition_id: int | None
    condition_name: str
    points: list[TrendPoint] = field(default_factory=list)


def _client_or_404(client_id: int) -> User:
    client = User.objects.filter(pk=client_id, role=Role.CLIENT).first()
    if client is None:
        raise NotFound(_("No such client."))
    return client


def _check_access(
    user: User | AnonymousUser, client: User, target: Any, request: HttpRequest | None
) -> None:
    if not may_read_intake(user, client.pk):
        audit_record(
            actor=user, action=AuditAction.VIEW, target=target, subject=client,
            outcome=AuditOutcome.DENIED, request=request, detail="outcomes",
        )  # fmt: skip
        raise NotFound(_("No such client."))


def instrument_current(code: str) -> OutcomeInstrument:
    """The active version of an instrument, or ValidationFailed naming the field."""
    instrument = OutcomeInstrument.objects.filter(code=code, is_active=True).first()
    if instrument is None:
        raise ValidationFailed(
            "instrument: no such outcome measure.",
            extra={"fields": {"instrument": [_("No such outcome measure.")]}},
        )
    return instrument


def _subscores(result: Score) -> dict[str, str | None]:
    return {
        sub.id: (str(sub.score.value) if sub.score.value is not None else None)
        for sub in result.subscores
    }


def outcome_record(
    *,
    actor: User,
    client: User,
    instrument_code: str,
    answers: Any,
    source: str,
    condition: Condition | None = None,
    appointment_id: int | None = None,
    request: HttpRequest | None = None,
    as_of: dt.datetime | None = None,
) -> OutcomeResponse:
    """Score and store one response for ``client``; AnswersInvalid (400) names a bad item.

    The client records their own; a treating therapist or a clinic admin records for them.
    The day-3 follow-up calls this with the client as actor and source FOLLOW_UP.
    ``as_of`` records history: the response is dated then (default now).
    """
    if client.role != Role.CLIENT:
        raise NotFound(_("No such client."))
    instrument = instrument_current(instrument_code)
    _check_access(actor, client, client, request)
    if source not in OutcomeSource.values:
        raise ValidationFailed(
            "source: not a known source.", extra={"fields": {"source": [_("Not a known source.")]}}
        )
    result = score(instrument.parsed, answers)
    extra = {
        "source": source,
        "condition": condition,
        "appointment_id": appointment_id,
        "recorded_at": as_of or timezone.now(),
    }
    # The access check above stays outside the transaction so a denial's audit record is kept.
    with transaction.atomic():
        return _response_save(actor, client, instrument, answers, result, request, **extra)


def _response_save(
    actor: User,
    client: User,
    instrument: OutcomeInstrument,
    answers: Any,
    result: Score,
    request: HttpRequest | None,
    **extra: Any,
) -> OutcomeResponse:
    response = OutcomeResponse(
        client=client,
        instrument=instrument,
        instrument_version=instrument.version,
        licence_reference=instrument.licence_reference,
        answers={k: v for k, v in answers.items() if v not in (None, "", [])},
        score=result.value,
        percent=result.percent,
        band=result.band,
        valid=result.valid,
        invalid_reason=result.reason[:300],
        subscores=_subscores(result),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )
    response.full_clean()
    response.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=response, subject=client,
        request=request, detail=f"outcome: {instrument.code}",
    )  # fmt: skip
    return response


@transaction.atomic
def instrument_import(
    *, data: Any, licence_reference: str, actor: User | None = None
) -> OutcomeInstrument:
    """Store a clinic's JSON copy of an instrument as its active version; DefinitionError if bad.

    A licensed instrument needs the clinic's licence reference. Importing a new version
    retires the previous one; responses keep pointing at the version they answered.
    """
    stored, definition = definition_for_import(data)
    if definition.licence_required and not licence_reference.strip():
        raise ValidationFailed(
            "licence: a licensed instrument needs the clinic's licence reference.",
            extra={
                "fields": {"licence": [_("A licensed instrument needs the licence reference.")]}
            },
        )
    if OutcomeInstrument.objects.filter(code=definition.id, version=definition.version).exists():
        raise ValidationFailed(
            f"version: {definition.id} version {definition.version} is already imported.",
            extra={"fields": {"version": [_("This version is already imported.")]}},
        )
    OutcomeInstrument.objects.filter(code=definition.id, is_active=True).update(is_active=False)
    instrument = OutcomeInstrument(
        code=definition.id,
        version=definition.version,
        name=definition.name,
        definition=stored,
        licence_required=definition.licence_required,
        licence_reference=licence_reference.strip(),
        imported_by=actor,
    )
    instrument.full_clean()
    instrument.save()
    return instrument


# --- due --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFact:
    """A completed session, as the due rules need it (booking supplies these)."""

    starts_at: dt.datetime
    care_plan_id: int | None
    plan_session_number: int | None


@dataclass(frozen=True)
class PlanFact:
    """A client's latest care plan, as the due rules need it (booking supplies these)."""

    pk: int
    total_sessions: int
    closed: bool  # completed by the clinician, so the episode ended (a discharge)
    created_at: dt.datetime


@dataclass(frozen=True)
class Episodes:
    sessions: dict[int, list[SessionFact]] = field(default_factory=dict)  # oldest first
    plans: dict[int, PlanFact] = field(default_factory=dict)


EpisodeReader = Callable[[list[int]], Episodes]
_episode_readers: list[EpisodeReader] = []


def outcome_episodes_register(reader: EpisodeReader) -> EpisodeReader:
    """Sessions and care plans live in booking, a floor above: booking registers its reader
    from ``BookingConfig.ready()``. Without one, only intake-time measures are ever due."""
    _episode_readers[:] = [reader]
    return reader


def _episodes(client_ids: list[int]) -> Episodes:
    return _episode_readers[0](client_ids) if _episode_readers else Episodes()


def _discharged_at(plan: PlanFact | None, sessions: list[SessionFact]) -> dt.datetime | None:
    """When the latest care plan ended: its final session completed, or the plan closed."""
    if plan is None:
        return None
    in_plan = [s for s in sessions if s.care_plan_id == plan.pk]
    final_done = any(s.plan_session_number == plan.total_sessions for s in in_plan)
    if not final_done and not plan.closed:
        return None
    return in_plan[-1].starts_at if in_plan else plan.created_at


def _last_taken(client_ids: list[int]) -> dict[int, dict[str, dt.datetime]]:
    """When each client last answered each instrument (by code), in one query."""
    rows = (
        OutcomeResponse.objects.filter(client_id__in=client_ids)
        .order_by()
        .values_list("client_id", "instrument__code")
        .annotate(last=Max("recorded_at"))
    )
    found: dict[int, dict[str, dt.datetime]] = {}
    for client_id, code, last in rows:
        found.setdefault(client_id, {})[code] = last
    return found


def _relevant(instruments: list[OutcomeInstrument], slugs: set[str]) -> list[OutcomeInstrument]:
    """Instruments for everyone, and those tied to a condition the client named."""
    return [
        i
        for i in instruments
        if not i.conditions.all() or {c.slug for c in i.conditions.all()} & slugs
    ]


def _due_reason(
    instrument: OutcomeInstrument,
    last_taken: dt.datetime | None,
    milestone: dt.datetime | None,
    discharged: dt.datetime | None,
) -> str | None:
    if last_taken is None and instrument.use_at_intake:
        return DueReason.INTAKE
    if not instrument.use_at_review:
        return None
    if discharged is not None and (last_taken is None or last_taken < discharged):
        return DueReason.DISCHARGE
    if milestone is not None and (last_taken is None or last_taken < milestone):
        return DueReason.SESSION
    return None


def _due(
    instruments: list[OutcomeInstrument],
    every: int,
    sessions: list[SessionFact],
    plan: PlanFact | None,
    last: dict[str, dt.datetime],
) -> list[DueMeasure]:
    reached = len(sessions) // every * every
    milestone = sessions[reached - 1].starts_at if reached else None
    discharged = _discharged_at(plan, sessions)
    due = []
    for instrument in instruments:
        reason = _due_reason(instrument, last.get(instrument.code), milestone, discharged)
        if reason:
            name = instrument_text(instrument.name, instrument)
            due.append(DueMeasure(code=instrument.code, name=name, reason=reason))
    return due


def outcomes_due_for_many(client_ids: Iterable[int]) -> dict[int, list[DueMeasure]]:
    """Measures each client should answer now, in a fixed number of queries; every id gets a list.

    Due at intake, every Nth session (ClinicPolicy.outcome_every_n_sessions, default 4,
    counted from completed appointments) and at discharge; a measure stays due until it is
    answered after that session.
    """
    ids = list(dict.fromkeys(client_ids))
    if not ids:
        return {}
    every = ClinicPolicy.load().outcome_every_n_sessions
    episodes = _episodes(ids)
    last, slugs = _last_taken(ids), condition_slugs_for(ids)
    instruments = list(
        OutcomeInstrument.objects.filter(is_active=True).prefetch_related("conditions")
    )
    return {
        cid: _due(
            _relevant(instruments, set(slugs[cid])),
            every,
            episodes.sessions.get(cid, []),
            episodes.plans.get(cid),
            last.get(cid, {}),
        )
        for cid in ids
    }


def outcomes_due_for(client: User) -> list[DueMeasure]:
    """Measures the client should answer now: at intake, every Nth session, at discharge."""
    return outcomes_due_for_many([client.pk])[client.pk]


# --- trend ------------------------------------------------------------------------------------


def _series_for(response: OutcomeResponse) -> TrendSeries:
    definition = response.instrument.parsed
    low, high = score_bounds(definition)
    return TrendSeries(
        code=response.instrument.code,
        name=instrument_text(response.instrument.name, response.instrument),
        unit=definition.unit,
        direction=definition.direction,
        low=low,
        high=high,
        condition_id=response.condition_id,
        condition_name=gettext(response.condition.name) if response.condition else "",
    )


def outcome_trend_for(
    user: User | AnonymousUser,
    client_id: int,
    *,
    condition_id: int | None = None,
    request: HttpRequest | None = None,
) -> list[TrendSeries]:
    """Valid scores over time per instrument and condition, audited; NotFound if not theirs.

    A fixed number of queries whatever the number of responses.
    """
    client = _client_or_404(client_id)
    _check_access(user, client, client, request)
    responses = OutcomeResponse.objects.filter(client=client, valid=True).select_related(
        "instrument", "condition"
    )
    if condition_id is not None:
        responses = responses.filter(condition_id=condition_id)
    series: dict[tuple[str, int | None], TrendSeries] = {}
    for response in responses.order_by("recorded_at", "id"):
        key = (response.instrument.code, response.condition_id)
        if key not in series:
            series[key] = _series_for(response)
        series[key].points.append(
            TrendPoint(response.recorded_at, response.score, response.band, response.source)  # type: ignore[arg-type]
        )
    audit_record(
        actor=user, action=AuditAction.VIEW, target=client, subject=client,
        request=request, detail="outcomes: trend",
    )  # fmt: skip
    return list(series.values())


def outcomes_due_read(
    user: User, client_id: int, *, request: HttpRequest | None = None
) -> list[DueMeasure]:
    """What the client should answer now, for ``user``, audited; NotFound if not theirs."""
    client = outcome_client_for(user, client_id, request=request)
    due = outcomes_due_for(client)
    audit_record(
        actor=user, action=AuditAction.VIEW, target=client, subject=client,
        request=request, detail="outcomes: due",
    )  # fmt: skip
    return due


def outcome_client_for(
    user: User | AnonymousUser, client_id: int, *, request: HttpRequest | None = None
) -> User:
    """The client whose outcomes ``user`` wants to see or record, or NotFound."""
    client = _client_or_404(client_id)
    _check_access(user, client, client, request)
    return client


def condition_for(condition_id: Any) -> Condition | None:
    if condition_id in (None, ""):
        return None
    condition = (
        Condition.objects.filter(pk=condition_id).first() if str(condition_id).isdigit() else None
    )
    if condition is None:
        raise ValidationFailed(
            "condition: no such condition.",
            extra={"fields": {"condition": [_("No such condition.")]}},
        )
    return condition
