from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from clinic.models import ConsentText
from clinic.shipped_texts import shipped_text
from intake.instrument_texts import instrument_text as _instrument_text

register = template.Library()


@register.simple_tag
def consent_text(kind: str) -> ConsentText | None:
    """The newest published text of a consent kind (what the client agrees to)."""
    if not kind:
        return None
    return ConsentText.objects.filter(kind=kind).order_by("-version").first()


@register.filter
def level_class(level: str) -> str:
    return f"level level-{level}"


@register.filter
def instrument_text(text: str, instrument: Any) -> str:
    """A built-in measure's text in the reader's language; a licensed one's exactly as imported."""
    return _instrument_text(text, instrument)


@register.filter
def answer_text(value: Any) -> str:
    """A stored answer as the reader reads it: yes/no and shipped labels in their language."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(answer_text(v) for v in value)
    return shipped_text(value) if isinstance(value, str) else str(value)
