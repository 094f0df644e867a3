"""Screening on submit: load the clinic's rules, evaluate, keep a safety record, alert staff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from intake import questionnaire_logic as ql
from intake import screening_logic
from intake.finding_hooks import level_raised_announce
from intake.findings import highest_level, open_findings
from intake.messages import intake_alert_notifications_schedule
from intake.models import (
    BLOCKING_LEVELS,
    LEVEL_RANK,
    AlertReason,
    IntakeResponse,
    ScreeningAdvice,
    ScreeningLevel,
    ScreeningResult,
    ScreeningRule,
    StaffAlert,
)

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "default_screening.json"


def rules_from_db() -> list[screening_logic.Rule]:
    return [
        screening_logic.Rule(
            code=r.code,
            label=r.label,
            level=r.level,
            when=r.when,
            area_question=r.area_question,
            precautions=tuple(line.strip() for line in r.precautions.splitlines() if line.strip()),
        )
        for r in ScreeningRule.objects.filter(is_active=True)
    ]


def load_default_rules() -> int:
    """Create the shipped rules and advice texts the clinic does not have yet; returns how many."""
    data = json.loads(DEFAULT_RULES.read_text(encoding="utf-8"))
    created = 0
    for entry in data["rules"]:
        screening_logic.check_condition(entry["when"])
        _obj, was_created = ScreeningRule.objects.get_or_create(
            code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"}
        )
        created += was_created
    for entry in data["advice"]:
        ScreeningAdvice.objects.get_or_create(
            level=entry["level"], defaults={"client_message": entry["client_message"]}
        )
    return created


def _question_texts(items: list[ql.Item]) -> dict[str, str]:
    return {i.link_id: i.text for i in ql.iter_items(items)}


@transaction.atomic
def screening_run(*, response: IntakeResponse, items: list[ql.Item]) -> ScreeningResult:
    """Screen a submitted response and keep the result as its safety record.

    The client's effective level is the highest of this result and every finding still open
    from earlier submissions. A new finding alerts staff; so does a calmer submission while a
    finding is open (a corrected answer raises a review, never a silent clearance).
    """
    if not ScreeningRule.objects.exists():
        load_default_rules()
    answers = ql.effective_answers(items, response.answers)
    outcome = screening_logic.evaluate(rules_from_db(), answers)
    texts = _question_texts(items)
    # Lock the client's open findings so a concurrent review decision cannot close them
    # between reading the open level and saving this result.
    open_levels = list(
        open_findings(response.client_id).select_for_update().values_list("level", flat=True)
    )
    open_level = highest_level(*open_levels) if open_levels else None
    result = ScreeningResult(
        response=response,
        client_id=response.client_id,
        level=outcome.level,
        effective_level=highest_level(outcome.level, open_level),
        triggers=[_jsonable(t.as_dict(texts)) for t in outcome.triggers],
        areas=outcome.areas,
        precautions=outcome.precautions,
    )
    result.full_clean()
    result.save()
    risen = LEVEL_RANK[result.effective_level] > LEVEL_RANK[open_level or ScreeningLevel.CLEAR]
    if risen and result.effective_level in BLOCKING_LEVELS:
        # Floors above react (booking flags the client's upcoming appointments).
        level_raised_announce(result.client_id, result.effective_level)
    if result.level in BLOCKING_LEVELS:
        _alert_staff(result, level=result.level, reason=AlertReason.FINDING)
    elif open_level is not None:
        _alert_staff(result, level=open_level, reason=AlertReason.ANSWERS_CHANGED)
    return result


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _alert_staff(result: ScreeningResult, *, level: str, reason: str) -> None:
    """An in-app alert row (no health data) that staff see on the review queue.

    In the same transaction, the outbox queues an e-mail (a link to the review page only) to
    the client's therapists and clinic admins (intake.messages).
    """
    alert = StaffAlert.objects.create(
        client_id=result.client_id, screening=result, level=level, reason=reason
    )
    intake_alert_notifications_schedule(alert)


def emergency_on_step(*, items: list[ql.Item], answers: dict[str, Any], step_ids: set[str]) -> bool:
    """Would these (draft) answers screen EMERGENCY because of an answer on this step?

    A preview for the step page, so the advice shows where the answer is given; nothing is
    saved or alerted here (submitting screens and alerts).
    """
    outcome = screening_logic.evaluate(rules_from_db(), ql.effective_answers(items, answers))
    return any(
        trigger.level == ScreeningLevel.EMERGENCY
        and any(link_id in step_ids for link_id, _value in trigger.answers)
        for trigger in outcome.triggers
    )


def client_message(level: str) -> str:
    """The advice for ``level`` in the reader's language (a clinic's own text as written)."""
    advice = ScreeningAdvice.objects.filter(level=level).first()
    return gettext(advice.client_message) if advice else ""
