"""A questionnaire version's items with the clinic's value sets, and the codes screening rules
need from them. Below the models (no import of intake.models), so a model's integrity guard
can use it: rules that name a missing code would silently never fire."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings

from intake import questionnaire_logic as ql
from intake import screening_logic
from therapists.models import Condition, Language


class HasItems(Protocol):
    items: Any


class RuleLike(Protocol):
    code: str
    when: Any
    area_question: str
    is_active: bool


def value_sets() -> dict[str, list[ql.Option]]:
    """Answer lists that come from the clinic's own data (conditions, languages)."""
    conditions = [ql.Option(c.slug, c.name) for c in Condition.objects.filter(is_active=True)]
    languages = [ql.Option(lang.code, lang.name) for lang in Language.objects.all()]
    if not languages:
        languages = [ql.Option(code, str(name)) for code, name in settings.LANGUAGES]
    return {"clinic:conditions": conditions, "clinic:languages": languages}


def parsed_items(questionnaire: HasItems) -> list[ql.Item]:
    return ql.parse_items(questionnaire.items, value_sets=value_sets())


def rule_problems(items: list[ql.Item], rules: Iterable[RuleLike]) -> list[str]:
    """Each question or answer code an active rule needs that ``items`` lack."""
    problems: list[str] = []
    for rule in rules:
        if rule.is_active:
            problems += screening_logic.reference_problems(
                code=rule.code, when=rule.when, area_question=rule.area_question, items=items
            )
    return problems
