from __future__ import annotations

from typing import Any

from django import template

from clinic.models import ConsentText
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
