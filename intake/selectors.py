"""Access-checked, audited reads of intakes. The only way answers leave the database.

Who may read a client's intake: the client, therapists who treat the client (an appointment
with them, or a review decision they made), and clinic admins. Front desk never: they get
intake.gate.intake_status_for. An outsider gets NotFound (404), so existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from clinic.audit import audit_record, audit_record_many
from clinic.exceptions import NotFound
from clinic.models import AuditAction, AuditOutcome, Role, User
from intake import fhir
from intake.findings import highest_level, open_level_subquery
from intake.gate import intake_statuses_for, latest_of, precautions_from, submitted_with_reviews
from intake.models import (
    ALERTING_LEVELS,
    BLOCKING_LEVELS,
    IntakeResponse,
    ResponseStatus,
    ReviewDecision,
    ScreeningResult,
    StaffAlert,
)
from intake.painmap import region_label
from intake.questionnaire_items import parsed_items
from therapists.care import client_ids_treated_by, no_treating_therapist
from therapists.models import Condition


def unassigned_and_flagged(client_ref: str = "pk") -> Q:
    """A client with an open safety finding whom no therapist treats yet.

    Every clinician may see and review such a client, so a new client's red flag never waits
    unseen for a relationship that only a review would create (the safer choice).
    """
    flagged = Exists(
        ScreeningResult.objects.filter(
            client_id=OuterRef(client_ref), level__in=BLOCKING_LEVELS, resolved_by__isnull=True
        )
    )
    return no_treating_therapist(client_ref) & Q(flagged)


def readable_client_ids(user: User | AnonymousUser, client_ids: Iterable[int]) -> set[int]:
    """Which of these clients' intakes ``user`` may read, in at most one query."""
    ids = set(client_ids)
    if not (user and user.is_authenticated and user.is_active) or not ids:
        return set()
    if user.role == Role.CLINIC_ADMIN:
        return ids
    readable = {user.pk} & ids
    if user.role == Role.THERAPIST:
        theirs = Q(pk__in=client_ids_treated_by(user)) | unassigned_and_flagged("pk")
        readable |= set(User.objects.filter(pk__in=ids).filter(theirs).values_list("pk", flat=True))
    return readable


def may_read_intake(user: User | AnonymousUser, client_id: int) -> bool:
    return client_id in readable_client_ids(user, [client_id])


def _audit(
    user: User | AnonymousUser,
    action: str,
    response: IntakeResponse,
    request: HttpRequest | None,
    *,
    outcome: str = AuditOutcome.ALLOWED,
    detail: str = "",
) -> None:
    audit_record(
        actor=user,
        action=action,
        target=response,
        subject=response.client,
        outcome=outcome,
        request=request,
        detail=detail,
    )


def _response_queryset() -> QuerySet[IntakeResponse]:
    return IntakeResponse.objects.select_related("client", "questionnaire")


def intake_get_for(
    user: User | AnonymousUser,
    response_id: int,
    *,
    request: HttpRequest | None = None,
    action: str = AuditAction.VIEW,
    detail: str = "",
) -> IntakeResponse:
    """Fetch one intake with its answers for ``user``, audited; NotFound if not theirs."""
    response = _response_queryset().filter(pk=response_id).first()
    if response is None:
        raise NotFound(_("No such intake."))
    if not may_read_intake(user, response.client_id):
        _audit(user, action, response, request, outcome=AuditOutcome.DENIED, detail=detail)
        raise NotFound(_("No such intake."))
    _audit(user, action, response, request, detail=detail)
    return response


def own_intake_for(
    client: User, *, request: HttpRequest | None = None, include_draft: bool = True
) -> IntakeResponse | None:
    """The client's own draft (if any, when asked) or current submitted intake, audited."""
    statuses = [ResponseStatus.SUBMITTED] + ([ResponseStatus.DRAFT] if include_draft else [])
    responses = list(_response_queryset().filter(client=client, status__in=statuses))
    if not responses:
        return None
    draft = [r for r in responses if r.status == ResponseStatus.DRAFT]
    response = draft[0] if draft else responses[0]
    _audit(client, AuditAction.VIEW, response, request)
    return response


def latest_screening(response: IntakeResponse) -> ScreeningResult | None:
    return response.screenings.order_by("-evaluated_at", "-id").first()


@dataclass
class QueueEntry:
    """One row of the review queue: names and levels only, never answers."""

    response: IntakeResponse
    latest_screening: ScreeningResult | None
    latest_decision: ReviewDecision | None
    open_level: str | None = None  # the client's highest open finding, from any version

    @property
    def pk(self) -> int:
        return self.response.pk

    @property
    def client(self) -> Any:
        return self.response.client

    @property
    def client_id(self) -> int:
        return self.response.client_id

    @property
    def submitted_at(self) -> Any:
        return self.response.submitted_at

    @property
    def level(self) -> str:
        """What the row shows: the highest open finding, else the latest screening's level."""
        latest = self.latest_screening.level if self.latest_screening else None
        return highest_level(self.open_level, latest)

    @property
    def needs_review(self) -> bool:
        """Any open finding (whatever the latest version says), or flagged and not yet
        decided ("needs a call" stays in the queue)."""
        if self.open_level is not None:
            return True
        flagged = (
            self.latest_screening is not None and self.latest_screening.level in BLOCKING_LEVELS
        )
        open_decision = self.latest_decision is None or self.latest_decision.action == "needs_call"
        return flagged and open_decision


def review_queue_for(user: User) -> list[QueueEntry]:
    """Submitted intakes of every client the therapist treats, and of flagged clients nobody
    treats yet (all for admins), flagged first.

    Lists names and levels only, not answers, so it does not audit; opening one does.
    Fixed number of queries whatever the number of rows.
    """
    queryset = (
        _response_queryset()
        .filter(status=ResponseStatus.SUBMITTED)
        .annotate(open_level=open_level_subquery())
    )
    if user.role != Role.CLINIC_ADMIN:
        queryset = queryset.filter(
            Q(client_id__in=client_ids_treated_by(user)) | unassigned_and_flagged("client_id")
        )
    entries = []
    for response in queryset.prefetch_related("screenings", "decisions__reviewer"):
        screenings = sorted(response.screenings.all(), key=lambda s: (s.evaluated_at, s.id))
        decisions = sorted(response.decisions.all(), key=lambda d: (d.decided_at, d.id))
        entries.append(
            QueueEntry(
                response,
                screenings[-1] if screenings else None,
                decisions[-1] if decisions else None,
                response.open_level,
            )
        )
    entries.sort(
        key=lambda e: (not e.needs_review, -(e.submitted_at.timestamp() if e.submitted_at else 0))
    )
    return entries


def urgent_alerts_unacknowledged() -> list[StaffAlert]:
    """EMERGENCY and URGENT alerts nobody has taken on yet: on top of every clinician's queue.

    Names, levels and the client's phone only (to call them), never answers.
    """
    return list(
        StaffAlert.objects.filter(
            resolved_at__isnull=True, acknowledged_at__isnull=True, level__in=ALERTING_LEVELS
        )
        .select_related("client__client_profile", "screening")
        .order_by("created_at", "pk")
    )


def open_alerts_of(user: User) -> list[StaffAlert]:
    """The viewer's own open alerts: those sent to them, oldest first."""
    return list(
        StaffAlert.objects.filter(recipients=user, resolved_at__isnull=True)
        .select_related("client", "screening", "acknowledged_by")
        .order_by("created_at", "pk")
    )


def response_history_for(user: User | AnonymousUser, client_id: int) -> list[IntakeResponse]:
    """Earlier versions (ids, dates, status only) of a client's intake, for those who may read."""
    if not may_read_intake(user, client_id):
        raise NotFound(_("No such intake."))
    return list(
        IntakeResponse.objects.filter(client_id=client_id)
        .only("id", "status", "submitted_at", "created_at", "client_id")
        .order_by("-created_at")
    )


# --- summaries for preparing sessions ----------------------------------------------------------


@dataclass
class IntakeSummary:
    """What a therapist prepares a session from; answers, so every summary read is audited."""

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
    precautions: list[str] = field(default_factory=list)


def _summary(response: IntakeResponse | None, status: Any, names: dict[str, str]) -> IntakeSummary:
    summary = IntakeSummary(status=str(status), status_label=str(status.label))
    if response is None:
        return summary
    answers = response.answers or {}
    screening, decision = latest_of(response)
    summary.response_id = response.pk
    summary.conditions = [names.get(str(s), str(s)) for s in answers.get("conditions") or []]
    summary.pain_now, summary.pain_worst = answers.get("pain_now"), answers.get("pain_worst")
    summary.areas = [
        region_label(str(m.get("region")), m.get("side"))
        for m in answers.get("pain_map") or []
        if isinstance(m, dict)
    ]
    if screening is not None:
        summary.level, summary.level_label = screening.level, screening.get_level_display()
        summary.flags = [str(t.get("label", "")) for t in screening.triggers if isinstance(t, dict)]
    if decision is not None:
        summary.last_decision = decision.get_action_display()
    summary.precautions = precautions_from(response)
    return summary


def intake_summaries_for(
    user: User | AnonymousUser,
    clients: Sequence[Any],
    *,
    request: HttpRequest | None = None,
    detail: str = "intake summary",
) -> dict[int, IntakeSummary]:
    """Intake summaries for many clients in a fixed number of queries, each read audited.

    One audit row per client whose intake ``user`` may read (the intake, or the client when
    nothing is submitted). A client ``user`` may not read gets the status only, and no row.
    """
    ids = [c.pk for c in clients]
    statuses = intake_statuses_for(ids)
    readable = readable_client_ids(user, ids)
    responses = submitted_with_reviews(readable) if readable else {}
    names = dict(Condition.objects.values_list("slug", "name")) if responses else {}
    audit_record_many(
        actor=user,
        action=AuditAction.VIEW,
        targets=[(responses.get(c.pk) or c, c) for c in clients if c.pk in readable],
        request=request,
        detail=detail,
    )
    return {
        c.pk: _summary(responses.get(c.pk) if c.pk in readable else None, statuses[c.pk], names)
        for c in clients
    }


def intake_fhir_resource(response: IntakeResponse) -> dict[str, Any]:
    """The response as a FHIR R4 QuestionnaireResponse (read access already checked)."""
    return fhir.response_resource(
        response_id=response.pk,
        slug=response.questionnaire.slug,
        version=response.questionnaire.version,
        status=response.status,
        supersedes=response.supersedes_id is not None,
        authored=response.submitted_at.isoformat() if response.submitted_at else None,
        subject_reference=f"Patient/{response.client_id}",
        items=parsed_items(response.questionnaire),
        answers=response.answers,
    )
