"""Access-checked, audited reads of intakes. The only way answers leave the database.

Who may read a client's intake: the client, therapists who treat the client (an appointment
with them, or a review decision they made), and clinic admins. Front desk never: they get
intake.gate.intake_status_for. An outsider gets NotFound (404), so existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from clinic.audit import audit_record
from clinic.exceptions import NotFound
from clinic.models import AuditAction, AuditOutcome, Role, User
from intake.models import (
    BLOCKING_LEVELS,
    IntakeResponse,
    ResponseStatus,
    ReviewDecision,
    ScreeningResult,
)


def _appointment_model() -> Any:
    try:
        from booking.models import Appointment
    except ImportError:
        return None
    return Appointment


ACTIVE_APPOINTMENT_EXCLUDED = ("cancelled", "late_cancelled")


def therapist_client_ids(therapist: Any, *, upcoming_only: bool = False) -> QuerySet:
    """Ids of clients this therapist treats: appointments with them, or intakes they reviewed."""
    reviewed = ReviewDecision.objects.filter(reviewer=therapist).values("client_id")
    clients = User.objects.filter(role=Role.CLIENT).filter(id__in=reviewed)
    appointment = _appointment_model()
    if appointment is not None:
        appts = appointment.objects.filter(therapist__user=therapist).exclude(
            status__in=ACTIVE_APPOINTMENT_EXCLUDED
        )
        if upcoming_only:
            appts = appts.filter(starts_at__gte=timezone.now())
        clients = User.objects.filter(role=Role.CLIENT).filter(
            Exists(appts.filter(client=OuterRef("pk")))
            | Exists(reviewed.filter(client_id=OuterRef("pk")))
        )
    return clients.values("id")


def may_read_intake(user: Any, client_id: int) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role == Role.CLINIC_ADMIN or user.pk == client_id:
        return True
    if user.role == Role.THERAPIST:
        return therapist_client_ids(user).filter(id=client_id).exists()
    return False


def _audit(
    user: Any,
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
    user: Any,
    response_id: int,
    *,
    request: HttpRequest | None = None,
    action: str = AuditAction.VIEW,
    detail: str = "",
) -> IntakeResponse:
    """Fetch one intake with its answers for ``user``, audited; NotFound if not theirs."""
    response = _response_queryset().filter(pk=response_id).first()
    if response is None:
        raise NotFound("No such intake.")
    if not may_read_intake(user, response.client_id):
        _audit(user, action, response, request, outcome=AuditOutcome.DENIED, detail=detail)
        raise NotFound("No such intake.")
    _audit(user, action, response, request, detail=detail)
    return response


def own_intake_for(
    client: Any, *, request: HttpRequest | None = None, include_draft: bool = True
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


def review_queue_for(user: Any) -> list[IntakeResponse]:
    """Submitted intakes of the therapist's upcoming clients (all for admins), flagged first.

    Lists names and levels only, not answers, so it does not audit; opening one does.
    Fixed number of queries whatever the number of rows.
    """
    queryset = _response_queryset().filter(status=ResponseStatus.SUBMITTED)
    if user.role != Role.CLINIC_ADMIN:
        queryset = queryset.filter(client_id__in=therapist_client_ids(user, upcoming_only=True))
    responses = list(queryset.prefetch_related("screenings", "decisions__reviewer"))
    for response in responses:
        screenings = sorted(response.screenings.all(), key=lambda s: (s.evaluated_at, s.id))
        decisions = sorted(response.decisions.all(), key=lambda d: (d.decided_at, d.id))
        response.latest_screening = screenings[-1] if screenings else None
        response.latest_decision = decisions[-1] if decisions else None
        response.needs_review = bool(
            response.latest_screening
            and response.latest_screening.level in BLOCKING_LEVELS
            and (
                response.latest_decision is None
                or response.latest_decision.action in ("needs_call",)
            )
        )
    responses.sort(
        key=lambda r: (not r.needs_review, -(r.submitted_at.timestamp() if r.submitted_at else 0))
    )
    return responses


def response_history_for(user: Any, client_id: int) -> list[IntakeResponse]:
    """Earlier versions (ids, dates, status only) of a client's intake, for those who may read."""
    if not may_read_intake(user, client_id):
        raise NotFound("No such intake.")
    return list(
        IntakeResponse.objects.filter(client_id=client_id)
        .only("id", "status", "submitted_at", "created_at", "client_id")
        .order_by("-created_at")
    )
