"""What other apps may know about a client's intake, without reading any answers.

Booking asks :func:`booking_gate_for` whether a client may book online; front desk sees only
:func:`intake_status_for`; matching uses :func:`matching_profile_for`. These functions are for
the system acting on the client's behalf: they return labels, never answers, and do not audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic.models import ClinicPolicy, Consent, Location, User
from clinic.phones import phone_display
from intake.finding_hooks import client_location_ids
from intake.findings import highest_level, open_findings, open_level_subquery
from intake.models import (
    BLOCKING_LEVELS,
    CLEARING_ACTIONS,
    REFUSING_LEVELS,
    IntakeResponse,
    ResponseStatus,
    ReviewAction,
    ReviewDecision,
    ScreeningAdvice,
    ScreeningLevel,
    ScreeningResult,
)


class IntakeStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FLAGGED = "flagged", _("Flagged")
    CLEARED = "cleared", _("Cleared")


class BookingGate(models.TextChoices):
    CLEAR = "clear", _("May book online")
    INTAKE_DUE = "intake_due", _("May book; intake due")
    REQUEST = "request", _("Booking becomes a request")
    BLOCKED = "blocked", _("Booking blocked until a clinician clears")
    EMERGENCY = "emergency", _("Emergency: books nothing")
    REFERRED = "referred", _("Referred out: contact the clinic")


DEFAULT_EMERGENCY_ADVICE = _(
    "Some of your answers can be signs of a condition that needs emergency care. "
    "Please call your local emergency number (911 in the US) or go to the nearest emergency "
    "department now. Do not wait for a myofascial release appointment. "
    "The clinic has been told and will contact you."
)

COMPETENCY_CONSENT_KINDS = ("intraoral", "pelvic")


@dataclass(frozen=True)
class IntakeSnapshot:
    """The few facts about a client's intake that decide status and gate (no answers)."""

    has_draft: bool = False
    submitted_at: dt.datetime | None = None
    update_requested_at: dt.datetime | None = None
    level: str | None = None  # the latest screening's own level
    last_action: str | None = None  # the client's latest review decision, on any version
    open_level: str | None = None  # the highest unresolved finding, from any submission
    level_resolved: bool = False  # a clinician's decision has closed the latest screening

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def effective_level(self) -> str:
        """The highest of the latest screening (unless resolved) and every open finding."""
        return highest_level(self.open_level, None if self.level_resolved else self.level)


@dataclass
class MatchingProfile:
    condition_slugs: list[str] = field(default_factory=list)
    pain_regions: list[str] = field(default_factory=list)
    preferred_language: str | None = None
    preferred_therapist_gender: str | None = None
    consented_competencies: set[str] = field(default_factory=set)


def status_from_snapshot(snap: IntakeSnapshot) -> IntakeStatus:
    """Front desk's view of an intake: one of five labels."""
    if not snap.submitted:
        return IntakeStatus.DRAFT if snap.has_draft else IntakeStatus.MISSING
    if snap.last_action in (ReviewAction.NEEDS_CALL, ReviewAction.REFER_OUT):
        return IntakeStatus.FLAGGED
    if snap.effective_level in BLOCKING_LEVELS:
        return IntakeStatus.FLAGGED
    if snap.last_action in CLEARING_ACTIONS:
        return IntakeStatus.CLEARED
    return IntakeStatus.SUBMITTED


def gate_from_snapshot(
    snap: IntakeSnapshot, *, now: dt.datetime, validity_months: int
) -> BookingGate:
    """May this client book online? Open findings win over decisions; validity over clear.

    Only a clinician's decision closes a finding, so a newer, calmer submission never lifts a
    block: the effective level is the highest open one.
    """
    if not snap.submitted:
        return BookingGate.INTAKE_DUE
    level = snap.effective_level
    if level == ScreeningLevel.EMERGENCY:
        return BookingGate.EMERGENCY
    if level in REFUSING_LEVELS:  # URGENT and STOP: not even a request
        return BookingGate.BLOCKED
    if snap.last_action == ReviewAction.REFER_OUT:
        return BookingGate.REFERRED
    if level in BLOCKING_LEVELS or snap.last_action == ReviewAction.NEEDS_CALL:
        return BookingGate.REQUEST
    if snap.update_requested_at is not None:
        return BookingGate.INTAKE_DUE
    assert snap.submitted_at is not None
    if snap.submitted_at < months_before(now, validity_months):
        return BookingGate.INTAKE_DUE
    return BookingGate.CLEAR


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same instant ``months`` calendar months earlier (day clamped to the month's end)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError("unreachable")  # pragma: no cover


def _snapshots(client_ids: list[int]) -> dict[int, IntakeSnapshot]:
    """Snapshots for many clients in one query."""
    latest = ScreeningResult.objects.filter(response=OuterRef("pk")).order_by(
        "-evaluated_at", "-id"
    )
    # The client's latest decision on any version: a refer-out or "needs a call" on an earlier
    # version still holds after the client re-submits.
    latest_action = ReviewDecision.objects.filter(client_id=OuterRef("client_id")).order_by(
        "-decided_at", "-id"
    )
    rows = (
        IntakeResponse.objects.filter(
            client_id__in=client_ids,
            status__in=[ResponseStatus.DRAFT, ResponseStatus.SUBMITTED],
        )
        .annotate(
            latest_level=Subquery(latest.values("level")[:1]),
            latest_resolved_by=Subquery(latest.values("resolved_by")[:1]),
            latest_action=Subquery(latest_action.values("action")[:1]),
            open_level=open_level_subquery(),
        )
        .values(
            "client_id",
            "status",
            "submitted_at",
            "update_requested_at",
            "latest_level",
            "latest_resolved_by",
            "latest_action",
            "open_level",
        )
    )
    facts: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = facts.setdefault(row["client_id"], {})
        if row["status"] == ResponseStatus.DRAFT:
            entry["has_draft"] = True
        else:
            entry.update(
                submitted_at=row["submitted_at"],
                update_requested_at=row["update_requested_at"],
                level=row["latest_level"],
                level_resolved=row["latest_resolved_by"] is not None,
                last_action=row["latest_action"],
                open_level=row["open_level"],
            )
    return {cid: IntakeSnapshot(**entry) for cid, entry in facts.items()}


def intake_snapshot_for(client: User) -> IntakeSnapshot:
    return _snapshots([client.pk]).get(client.pk, IntakeSnapshot())


def intake_status_for(client: User) -> IntakeStatus:
    """missing / draft / submitted / flagged / cleared: all front desk may see."""
    return status_from_snapshot(intake_snapshot_for(client))


def intake_statuses_for(client_ids: Iterable[int]) -> dict[int, IntakeStatus]:
    """Statuses for many clients in one query; every requested id gets a status."""
    ids = list(dict.fromkeys(client_ids))
    snaps = _snapshots(ids) if ids else {}
    return {cid: status_from_snapshot(snaps.get(cid, IntakeSnapshot())) for cid in ids}


def booking_gate_for(client: User) -> BookingGate:
    """Whether and how this client may book online (see BookingGate)."""
    policy = ClinicPolicy.load()
    return gate_from_snapshot(
        intake_snapshot_for(client),
        now=timezone.now(),
        validity_months=policy.intake_validity_months,
    )


REFUSING_GATES = frozenset({BookingGate.EMERGENCY, BookingGate.BLOCKED, BookingGate.REFERRED})


def booking_gates_for(client_ids: Iterable[int]) -> dict[int, BookingGate]:
    """Gates for many clients in one query; every requested id gets a gate."""
    ids = list(dict.fromkeys(client_ids))
    snaps = _snapshots(ids) if ids else {}
    now, months = timezone.now(), ClinicPolicy.load().intake_validity_months
    return {
        cid: gate_from_snapshot(snaps.get(cid, IntakeSnapshot()), now=now, validity_months=months)
        for cid in ids
    }


def effective_level_for(client: User) -> str:
    """The client's effective screening level: the latest result or a higher open finding."""
    return intake_snapshot_for(client).effective_level


def emergency_advice() -> str:
    """The clinic's emergency advice text (editable as ScreeningAdvice for EMERGENCY)."""
    advice = ScreeningAdvice.objects.filter(level=ScreeningLevel.EMERGENCY).first()
    # The shipped text is in the catalogues (intake.advice_texts); a clinic's own is not.
    return gettext(advice.client_message) if advice else str(DEFAULT_EMERGENCY_ADVICE)


ADVICE_HEADINGS = {
    ScreeningLevel.EMERGENCY: _("Please seek emergency care now"),
    ScreeningLevel.URGENT: _("Please see a physician today"),
    ScreeningLevel.STOP: _("No hands-on treatment for now"),
}
DEFAULT_ADVICE = {
    ScreeningLevel.EMERGENCY: DEFAULT_EMERGENCY_ADVICE,
    ScreeningLevel.URGENT: _(
        "Some of your answers need a doctor's assessment before myofascial release. Please see "
        "a physician today. Online booking is paused until a clinician has reviewed your intake."
    ),
    ScreeningLevel.STOP: _(
        "Hands-on treatment must not be given now. When it has passed, confirm it on your "
        "intake page; a clinician then reviews your intake before you can book again."
    ),
}


@dataclass(frozen=True)
class SafetyAdvice:
    """What a client with an open EMERGENCY, URGENT or STOP level is told, on every page."""

    level: str
    heading: str
    message: str
    phones: list[tuple[str, str]]  # (location name, phone number)
    stop_open: bool = False  # a STOP finding waits for the client's "it has passed"
    stop_confirmed: bool = False  # ...which the client has given; a clinician decides next

    @property
    def is_emergency(self) -> bool:
        return self.level == ScreeningLevel.EMERGENCY

    def as_text(self) -> str:
        """The advice as one line, with the numbers to call (for errors and the API)."""
        calls = "; ".join(f"{name}: {phone_display(phone).text}" for name, phone in self.phones)
        call = str(_("Call the clinic: %(numbers)s.")) % {"numbers": calls} if calls else ""
        return " ".join(part for part in (str(self.heading) + ".", self.message, call) if part)


def location_phones(location_ids: Iterable[int] = ()) -> list[tuple[str, str]]:
    """Names and phone numbers of these locations (every active one when none is known)."""
    ids = list(location_ids)
    locations = Location.objects.filter(is_active=True).exclude(phone="").order_by("pk")
    chosen = {loc.pk: loc for loc in locations.filter(pk__in=ids)} if ids else {}
    ordered = [chosen[pk] for pk in ids if pk in chosen] or list(locations)
    return [(loc.name, loc.phone) for loc in ordered]


def advice_text(level: str) -> str:
    advice = ScreeningAdvice.objects.filter(level=level).first()
    if advice is not None:
        # The shipped text is in the catalogues (intake.advice_texts); a clinic's own is not.
        return gettext(advice.client_message)
    return str(DEFAULT_ADVICE.get(ScreeningLevel(level), ""))


def safety_advice_for(client: Any, *, location_ids: Iterable[int] = ()) -> SafetyAdvice | None:
    """The advice for the client's open refusing level, or None (nothing to say loudly).

    ``location_ids`` names the location being booked; else the client's own (booking tells
    intake where they are seen), else every active location.
    """
    level = effective_level_for(client)
    if level not in REFUSING_LEVELS:
        return None
    stops = list(
        open_findings(client.pk)
        .filter(level=ScreeningLevel.STOP)
        .values_list("passed_confirmed_at", flat=True)
    )
    return SafetyAdvice(
        level=level,
        heading=str(ADVICE_HEADINGS[ScreeningLevel(level)]),
        message=advice_text(level),
        phones=location_phones(list(location_ids) or client_location_ids(client.pk)),
        stop_open=bool(stops),
        stop_confirmed=bool(stops) and all(stops),
    )


def _current_or_draft_many(client_ids: Iterable[int]) -> dict[int, IntakeResponse]:
    """Each client's submitted intake, or their draft when nothing is submitted (one query)."""
    found: dict[int, IntakeResponse] = {}
    responses = IntakeResponse.objects.filter(
        client_id__in=list(client_ids), status__in=[ResponseStatus.SUBMITTED, ResponseStatus.DRAFT]
    ).only("client_id", "answers", "status")
    for response in responses:
        kept = found.get(response.client_id)
        if kept is None or (
            kept.status != ResponseStatus.SUBMITTED and response.status == ResponseStatus.SUBMITTED
        ):
            found[response.client_id] = response
    return found


def _condition_slugs(answers: dict[str, Any]) -> list[str]:
    return [str(s) for s in answers.get("conditions") or []]


def condition_slugs_for(client_ids: Iterable[int]) -> dict[int, list[str]]:
    """The conditions each client named (submitted intake, else draft), in one query."""
    ids = list(dict.fromkeys(client_ids))
    responses = _current_or_draft_many(ids) if ids else {}
    return {
        cid: _condition_slugs(responses[cid].answers or {}) if cid in responses else []
        for cid in ids
    }


def matching_profile_for(client: User) -> MatchingProfile:
    """What booking's matcher may use: conditions, pain regions, preferences, consents."""
    response = _current_or_draft_many([client.pk]).get(client.pk)
    answers: dict[str, Any] = (response.answers or {}) if response else {}
    regions = [
        str(mark.get("region"))
        for mark in answers.get("pain_map") or []
        if isinstance(mark, dict) and mark.get("region")
    ]
    gender = answers.get("pref_therapist_gender")
    language = answers.get("pref_language")
    if not language:
        profile = getattr(client, "client_profile", None)
        language = getattr(profile, "preferred_language", None)
    kinds = Consent.objects.filter(
        user=client, withdrawn_at__isnull=True, text__kind__in=COMPETENCY_CONSENT_KINDS
    ).values_list("text__kind", flat=True)
    return MatchingProfile(
        condition_slugs=_condition_slugs(answers),
        pain_regions=list(dict.fromkeys(regions)),
        preferred_language=language or None,
        preferred_therapist_gender=gender if gender and gender != "no-preference" else None,
        consented_competencies=set(kinds),
    )


def submitted_with_reviews(client_ids: Iterable[int]) -> dict[int, IntakeResponse]:
    """Each client's submitted intake with its screenings and decisions prefetched (3 queries).

    Answers are loaded: callers that show them must audit (intake.selectors does).
    """
    responses = IntakeResponse.objects.filter(
        client_id__in=list(client_ids), status=ResponseStatus.SUBMITTED
    ).prefetch_related("screenings", "decisions")
    return {r.client_id: r for r in responses}


def latest_of(response: IntakeResponse) -> tuple[ScreeningResult | None, ReviewDecision | None]:
    """The latest screening and review decision of a response, from its prefetched rows."""
    screenings = sorted(response.screenings.all(), key=lambda s: (s.evaluated_at, s.pk))
    decisions = sorted(response.decisions.all(), key=lambda d: (d.decided_at, d.pk))
    return (screenings[-1] if screenings else None, decisions[-1] if decisions else None)


def precautions_from(response: IntakeResponse | None) -> list[str]:
    """Areas to avoid and precautions, from the latest screening and the latest review."""
    if response is None:
        return []
    screening, decision = latest_of(response)
    lines: list[str] = []
    if screening is not None:
        lines += [str(_("Adapt or avoid: %(area)s")) % {"area": a} for a in screening.areas]
        lines += list(screening.precautions)
    if decision is not None and decision.action == ReviewAction.CLEARED_WITH_PRECAUTIONS:
        lines += [str(_("Avoid: %(area)s")) % {"area": a} for a in decision.areas]
        if decision.note:
            lines.append(decision.note)
    return list(dict.fromkeys(lines))


def client_precautions_for(client_ids: Iterable[int]) -> dict[int, list[str]]:
    """Precautions for many clients in a fixed number of queries; every id gets a list."""
    ids = list(dict.fromkeys(client_ids))
    responses = submitted_with_reviews(ids) if ids else {}
    return {cid: precautions_from(responses.get(cid)) for cid in ids}


def client_precautions(client: User) -> list[str]:
    """Areas to avoid and precautions for the therapist, from screening and the last review."""
    return client_precautions_for([client.pk])[client.pk]


def refusal_text(client: Any, gate: str, *, location_ids: Iterable[int] = ()) -> str:
    """What a client whose gate refuses booking is told: the open level's advice and numbers."""
    advice = safety_advice_for(client, location_ids=location_ids)
    if advice is not None:
        return advice.as_text()
    if gate == BookingGate.EMERGENCY:
        return emergency_advice()
    if gate == BookingGate.REFERRED:
        return str(_("Online booking is not available for you. Please contact the clinic."))
    return str(_("Booking is not possible now. Please call the clinic."))
