"""Loading and publishing questionnaire versions, and resolving their value sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic.exceptions import NotFound
from intake import questionnaire_logic as ql
from intake.models import Questionnaire, QuestionnaireStatus
from therapists.models import Condition, Language

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_INTAKE = DATA_DIR / "default_intake.json"
DEFAULT_SLUG = "mfr-intake"


def value_sets() -> dict[str, list[ql.Option]]:
    """Answer lists that come from the clinic's own data (conditions, languages)."""
    conditions = [ql.Option(c.slug, c.name) for c in Condition.objects.filter(is_active=True)]
    languages = [ql.Option(lang.code, lang.name) for lang in Language.objects.all()]
    if not languages:
        languages = [ql.Option(code, str(name)) for code, name in settings.LANGUAGES]
    return {"clinic:conditions": conditions, "clinic:languages": languages}


def parsed_items(questionnaire: Questionnaire) -> list[ql.Item]:
    return ql.parse_items(questionnaire.items, value_sets=value_sets())


def active_questionnaire(slug: str = DEFAULT_SLUG) -> Questionnaire:
    """The version new intakes answer; loads the default when the clinic has none yet."""
    found = Questionnaire.objects.filter(slug=slug, status=QuestionnaireStatus.ACTIVE).first()
    if found is None and slug == DEFAULT_SLUG:
        found = load_default_intake()
    if found is None:
        raise NotFound("There is no active intake form.")
    return found


@transaction.atomic
def questionnaire_publish(*, slug: str, title: str, items: list[dict[str, Any]]) -> Questionnaire:
    """Publish ``items`` as the next version of ``slug``; the previous active one retires."""
    ql.parse_items(items, value_sets=value_sets())  # refuses malformed data before saving
    last = Questionnaire.objects.select_for_update().filter(slug=slug).order_by("-version").first()
    Questionnaire.objects.filter(slug=slug, status=QuestionnaireStatus.ACTIVE).update(
        status=QuestionnaireStatus.RETIRED
    )
    questionnaire = Questionnaire(
        slug=slug,
        version=(last.version + 1) if last else 1,
        title=title,
        items=items,
        status=QuestionnaireStatus.ACTIVE,
        published_at=timezone.now(),
    )
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def load_default_intake() -> Questionnaire:
    """Publish the shipped default MFR intake unless a version of it already exists."""
    data = json.loads(DEFAULT_INTAKE.read_text(encoding="utf-8"))
    existing = Questionnaire.objects.filter(slug=data["slug"]).order_by("-version").first()
    if existing is not None:
        return existing
    return questionnaire_publish(slug=data["slug"], title=data["title"], items=data["items"])
