"""Loading and publishing questionnaire versions, and resolving their value sets."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.exceptions import NotFound
from intake import questionnaire_logic as ql
from intake.models import Questionnaire, QuestionnaireStatus, ScreeningRule
from intake.questionnaire_items import value_sets

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_INTAKE = DATA_DIR / "default_intake.json"
DEFAULT_SLUG = "mfr-intake"


def active_questionnaire(slug: str = DEFAULT_SLUG) -> Questionnaire:
    """The version new intakes answer; loads the default when the clinic has none yet."""
    found = Questionnaire.objects.filter(slug=slug, status=QuestionnaireStatus.ACTIVE).first()
    if found is None and slug == DEFAULT_SLUG:
        found = load_default_intake()
    if found is None:
        raise NotFound("There is no active intake form.")
    return found


@transaction.atomic
def questionnaire_publish(
    *,
    slug: str,
    title: str,
    items: list[dict[str, Any]],
    retire_rules: Sequence[str] = (),
    rule_changes: Sequence[Mapping[str, Any]] = (),
) -> Questionnaire:
    """Publish ``items`` as the next version of ``slug``; the previous active one retires.

    Refused (ValidationError naming the rule and the code) when an active screening rule
    refers to a question or answer the new version does not have. A version may drop a
    red-flag question only when the same step retires (``retire_rules``, by code) or rewrites
    (``rule_changes``: dicts with ``code`` and the fields to set) the rules that use it.
    """
    ql.parse_items(items, value_sets=value_sets())  # refuses malformed data before saving
    last = Questionnaire.objects.select_for_update().filter(slug=slug).order_by("-version").first()
    for code in retire_rules:
        rule = ScreeningRule.objects.select_for_update().filter(code=code).first()
        if rule is None:
            raise ValidationError(f"There is no screening rule {code!r} to retire.")
        rule.is_active = False
        rule.save(update_fields=["is_active"])
    Questionnaire.objects.filter(slug=slug, status=QuestionnaireStatus.ACTIVE).update(
        status=QuestionnaireStatus.RETIRED
    )
    # With no active version of this form, changed rules are checked when the new one saves.
    for change in rule_changes:
        fields = {k: v for k, v in change.items() if k != "code"}
        rule = ScreeningRule.objects.filter(code=change["code"]).first() or ScreeningRule(
            code=change["code"]
        )
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.full_clean()
        rule.save()
    questionnaire = Questionnaire(
        slug=slug,
        version=(last.version + 1) if last else 1,
        title=title,
        items=items,
        status=QuestionnaireStatus.ACTIVE,
        published_at=timezone.now(),
    )
    questionnaire.full_clean()
    questionnaire.save()  # checks every active rule against the new version
    return questionnaire


def load_default_intake() -> Questionnaire:
    """Publish the shipped default MFR intake unless a version of it already exists."""
    data = json.loads(DEFAULT_INTAKE.read_text(encoding="utf-8"))
    existing = Questionnaire.objects.filter(slug=data["slug"]).order_by("-version").first()
    if existing is not None:
        return existing
    return questionnaire_publish(slug=data["slug"], title=data["title"], items=data["items"])
