from __future__ import annotations

from django import template

from clinic.models import ConsentText

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
