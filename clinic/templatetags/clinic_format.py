"""Filters that show stored values the way people read them: phone numbers and time zones."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from clinic.phones import phone_display
from clinic.shipped_texts import shipped_text

register = template.Library()


@register.filter
def translated(text: str) -> str:
    """Stored text shipped with the app (exercise library, screening labels, pain-map regions)
    in the reader's language; text the catalogues do not know is shown as it is."""
    return shipped_text(text)


@register.filter
def phone(raw: str) -> str:
    """A clickable, nationally formatted number; as typed (not a link) if it cannot be read."""
    shown = phone_display(raw)
    if not shown.tel:
        return shown.text
    return format_html('<a href="{}">{}</a>', shown.tel, shown.text)


@register.filter
def phone_text(raw: str) -> str:
    return phone_display(raw).text


def _zone(name: Any) -> ZoneInfo | None:
    if isinstance(name, ZoneInfo):
        return name
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


@register.filter
def zone_label(when: Any, zone: Any = None) -> str:
    """The short local label of a zone at an instant: ``EDT`` in summer, ``EST`` in winter.

    ``{{ start|zone_label:location.time_zone }}``; given only a zone name
    (``{{ location.time_zone|zone_label }}``) it says ``New York time``.
    """
    if isinstance(when, dt.datetime):
        info = _zone(zone) if zone is not None else None
        local = when.astimezone(info) if info is not None else when
        return local.tzname() or ""
    info = _zone(when)
    if info is None:
        return str(when or "")
    place = str(info.key).rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(place)s time") % {"place": place}
