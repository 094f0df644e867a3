"""Writes to intakes: drafts, submission (with screening and consents), updates, reviews."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.audit import audit_record
from clinic.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from clinic.models import AuditAction, Consent, ConsentText, Role, User
from intake import questionnaire_logic as ql
from intake.findings import open_findings
from intake.known_answers import answers_known_for
from intake.models import (
    BLOCKING_LEVELS,
    CLEARING_ACTIONS,
    RESOLVING_ACTIONS,
    IntakeResponse,
    ResponseStatus,
    ReviewAction,
    ReviewDecision,
    ScreeningLevel,
    ScreeningResult,
    StaffAlert,
)
from intake.questionnaire_items import parsed_items
from intake.questionnaires import active_questionnaire
from intake.screening import screening_run
from intake.selectors import intake_get_for
from therapists.care import care_relationship_start


def _audit(
    actor: User,
    action: str,
    response: IntakeResponse,
    request: HttpRequest | None,
    detail: str = "",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=response,
        subject=response.client,
        request=request,
        detail=detail,
    )


@transaction.atomic
def intake_start(*, client: User, request: HttpRequest | None = None) -> IntakeResponse:
    """Return the client's draft, creating one (prefilled from the current intake) if needed."""
    if client.role != Role.CLIENT:
        raise ValidationFailed(_("Only clients fill in an intake."))
    draft = (
        IntakeResponse.objects.select_for_update()
        .filter(client=client, status=ResponseStatus.DRAFT)
        .first()
    )
    if draft is not None:
        return draft
    current = IntakeResponse.objects.filter(client=client, status=ResponseStatus.SUBMITTED).first()
    questionnaire = active_questionnaire()
    answers = dict(current.answers) if current else {}
    for consent_only in ("signature",):
        answers.pop(consent_only, None)
    answers.update(answers_known_for(client, parsed_items(questionnaire)))
    try:
        with transaction.atomic():
            draft = IntakeResponse.objects.create(
                client=client, questionnaire=questionnaire, answers=answers, supersedes=current
            )
    except IntegrityError:  # a concurrent request made the draft first
        return IntakeResponse.objects.get(client=client, status=ResponseStatus.DRAFT)
    _audit(client, AuditAction.CREATE, draft, request, "intake: draft started")
    return draft


def _own_draft(client: User) -> IntakeResponse:
    draft = (
        IntakeResponse.objects.select_for_update()
        .filter(client=client, status=ResponseStatus.DRAFT)
        .first()
    )
    if draft is None:
        raise NotFound(_("There is no intake in progress."))
    return draft


@transaction.atomic
def intake_save_answers(
    *,
    client: User,
    answers: dict[str, Any],
    step: str = "",
    request: HttpRequest | None = None,
) -> tuple[IntakeResponse, dict[str, list[str]]]:
    """Merge ``answers`` into the draft and save it (autosave); returns the field errors.

    Answers are kept even when invalid so nothing the client typed is lost; a null value
    clears an answer. With ``step``, errors are only those of that step.
    """
    draft = _own_draft(client)
    items = parsed_items(draft.questionnaire)
    known = {i.link_id for i in ql.iter_items(items) if i.type not in ql.ANSWERLESS}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationFailed(
            _("Unknown question."),
            extra={"fields": {k: [_("No such question in this form.")] for k in unknown}},
        )
    # What the profile answers (age from the date of birth) wins over anything posted.
    merged = {**draft.answers, **answers, **answers_known_for(client, items)}
    draft.answers = {k: v for k, v in merged.items() if ql.has_answer(v)}
    only = None
    if step:
        group = next((s for s in ql.steps(items) if s.link_id == step), None)
        if group is None:
            raise ValidationFailed(
                _("Unknown step."), extra={"fields": {"step": [_("No such step.")]}}
            )
        draft.current_step = step
        only = ql.step_link_ids(group)
    draft.updated_at = timezone.now()
    draft.save(update_fields=["answers", "current_step", "updated_at"])
    _audit(client, AuditAction.CHANGE, draft, request, "intake: draft saved")
    return draft, ql.validate_answers(items, draft.answers, only=only)


@transaction.atomic
def intake_submit(*, client: User, request: HttpRequest | None = None) -> IntakeResponse:
    """Validate the whole draft, screen it, record consents, and make it the current intake."""
    draft = _own_draft(client)
    items = parsed_items(draft.questionnaire)
    draft.answers = {**draft.answers, **answers_known_for(client, items)}
    errors = ql.validate_answers(items, draft.answers)
    if errors:
        raise ValidationFailed(
            _("Some answers are missing or need a fix."), extra={"fields": errors}
        )
    now = timezone.now()
    previous = (
        IntakeResponse.objects.select_for_update()
        .filter(client=client, status=ResponseStatus.SUBMITTED)
        .first()
    )
    if previous is not None:
        previous.status = ResponseStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    draft.answers = ql.effective_answers(items, draft.answers)
    draft.status = ResponseStatus.SUBMITTED
    draft.submitted_at = now
    draft.updated_at = now
    draft.supersedes = previous
    draft.save(update_fields=["answers", "status", "submitted_at", "updated_at", "supersedes"])
    _record_consents(client, items, draft.answers, now)
    screening = screening_run(response=draft, items=items)
    _audit(
        client,
        AuditAction.CHANGE,
        draft,
        request,
        f"intake: submitted, screening {screening.level}",
    )
    return draft


def _record_consents(client: User, items: list[ql.Item], answers: dict[str, Any], now: Any) -> None:
    """One clinic Consent row per consent ticked, against the newest text of that kind."""
    signature = str(answers.get("signature", "")).strip()
    for item in ql.iter_items(items):
        if item.type != "consent" or not item.consent_kind:
            continue
        text = ConsentText.objects.filter(kind=item.consent_kind).order_by("-version").first()
        active = Consent.objects.filter(
            user=client, text__kind=item.consent_kind, withdrawn_at__isnull=True
        )
        if answers.get(item.link_id) is True:
            if text is None:
                text = ConsentText.objects.create(
                    kind=item.consent_kind, version=1, title=item.text[:200], body=item.text
                )
            if not active.filter(text=text).exists():
                active.update(withdrawn_at=now)
                Consent.objects.create(user=client, text=text, signature=signature, granted_at=now)
        else:
            active.update(withdrawn_at=now)


@transaction.atomic
def intake_request_update(*, client: User, request: HttpRequest | None = None) -> IntakeResponse:
    """The client reports a new condition: the current intake needs an update before booking."""
    current = (
        IntakeResponse.objects.select_for_update()
        .filter(client=client, status=ResponseStatus.SUBMITTED)
        .first()
    )
    if current is None:
        raise NotFound(_("There is no submitted intake to update."))
    current.update_requested_at = timezone.now()
    current.save(update_fields=["update_requested_at"])
    _audit(client, AuditAction.CHANGE, current, request, "intake: update requested")
    return current


@transaction.atomic
def review_decide(
    *,
    reviewer: User,
    response_id: int,
    action: str,
    note: str = "",
    areas: list[str] | None = None,
    request: HttpRequest | None = None,
) -> ReviewDecision:
    """A therapist (or clinic admin) records a decision on a submitted intake."""
    if reviewer.role not in (Role.THERAPIST, Role.CLINIC_ADMIN):
        raise NotFound(_("No such intake."))
    response = intake_get_for(
        reviewer,
        response_id,
        request=request,
        action=AuditAction.DECIDE,
        detail=f"review: {action}",
    )
    # Lock the intake so a concurrent re-submission either lands before (and this decision is
    # refused as stale) or after (and its finding stays open for the next decision).
    response = (
        IntakeResponse.objects.select_for_update().select_related("client").get(pk=response.pk)
    )
    if response.status != ResponseStatus.SUBMITTED:
        raise Conflict(_("This intake has been replaced by a newer version; review that one."))
    if action not in ReviewAction.values:
        raise ValidationFailed(
            _("Choose a decision."), extra={"fields": {"action": [_("Unknown decision.")]}}
        )
    areas = [a.strip() for a in (areas or []) if a and a.strip()]
    if action == ReviewAction.CLEARED_WITH_PRECAUTIONS and not (areas or note.strip()):
        raise ValidationFailed(
            _("Name the areas to avoid or the precautions."),
            extra={
                "fields": {
                    "areas": [_("Name at least one area to avoid, or write the precaution.")]
                }
            },
        )
    if action in (ReviewAction.NEEDS_CALL, ReviewAction.REFER_OUT) and not note.strip():
        raise ValidationFailed(
            _("Add a note."), extra={"fields": {"note": [_("Say why, for the team.")]}}
        )
    if action in RESOLVING_ACTIONS and reviewer.role != Role.THERAPIST:
        # Closing a safety finding is a clinician's act; a clinic admin may note "needs a call".
        raise Forbidden(
            _(
                "Only a therapist, signed in as themselves, can clear or refer out a flagged intake."
            ),
            code="clinician_only",
        )
    if action in CLEARING_ACTIONS:
        _require_stop_passed(response.client_id)
    decision = ReviewDecision(
        response=response,
        screening=response.screenings.order_by("-evaluated_at", "-id").first(),
        client=response.client,
        reviewer=reviewer,
        action=action,
        note=note.strip(),
        areas=areas,
    )
    decision.full_clean()
    decision.save()
    # A clinician who reviewed the intake treats the client from now on.
    care_relationship_start(therapist=reviewer, client=response.client)
    if action in RESOLVING_ACTIONS:
        _findings_resolve(decision=decision, response=response)
    return decision


STOP_NOT_PASSED = (
    "A STOP finding is open and the client has not yet confirmed that it has passed. "
    "Hands-on treatment can be cleared only after the client confirms it; record "
    '"needs a call" meanwhile.'
)


def _require_stop_passed(client_id: int) -> None:
    """STOP clears only when the client has confirmed it passed *and* a clinician clears it."""
    waiting = open_findings(client_id).filter(
        level=ScreeningLevel.STOP, passed_confirmed_at__isnull=True
    )
    if waiting.exists():
        raise ValidationFailed(STOP_NOT_PASSED, code="stop_not_passed")


@transaction.atomic
def stop_passed_confirm(*, client: Any, request: HttpRequest | None = None) -> int:
    """The client confirms that what made their intake STOP has passed; a clinician decides next.

    Returns how many open STOP findings now carry the confirmation. Nothing is cleared here.
    """
    if client.role != Role.CLIENT:
        raise ValidationFailed(_("Only the client can confirm this."))
    findings = list(
        open_findings(client.pk)
        .filter(level=ScreeningLevel.STOP, passed_confirmed_at__isnull=True)
        .select_for_update()
        .select_related("response")
    )
    if not findings:
        raise ValidationFailed(_("There is nothing waiting for your confirmation."))
    now = timezone.now()
    for finding in findings:
        finding.passed_confirmed_at = now
        finding.save(update_fields=["passed_confirmed_at"])
        _audit(client, AuditAction.CHANGE, finding.response, request, "intake: stop passed")
    return len(findings)


def _findings_resolve(*, decision: ReviewDecision, response: IntakeResponse) -> None:
    """Close the client's open findings up to this intake version, and their staff alerts.

    Findings of this version and the ones it replaced are what the reviewer saw (the review
    page lists every open finding); nothing newer exists while the intake row is locked.
    """
    ScreeningResult.objects.filter(
        client_id=response.client_id,
        level__in=BLOCKING_LEVELS,
        resolved_by__isnull=True,
        response_id__lte=response.pk,
    ).update(resolved_by=decision)
    StaffAlert.objects.filter(
        client_id=response.client_id,
        resolved_at__isnull=True,
        screening__response_id__lte=response.pk,
    ).update(resolved_at=decision.decided_at)


@transaction.atomic
def alert_acknowledge(
    *, user: Any, alert_id: int, request: HttpRequest | None = None
) -> StaffAlert:
    """A clinician takes an urgent alert on: it leaves the top of every queue. Audited.

    Acknowledging closes no finding: only a therapist's review decision does.
    """
    if user.role not in (Role.THERAPIST, Role.CLINIC_ADMIN):
        raise Forbidden(_("Only a clinician can acknowledge a safety alert."))
    alert = (
        StaffAlert.objects.select_for_update()
        .select_related("client", "screening__response")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise NotFound(_("No such alert."))
    if alert.acknowledged_at is not None:
        raise Conflict(_("Already acknowledged by %(who)s.") % {"who": alert.acknowledged_by})
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(
        actor=user,
        action=AuditAction.DECIDE,
        target=alert.screening.response,
        subject=alert.client,
        request=request,
        detail=f"safety alert #{alert.pk} acknowledged",
    )
    return alert
