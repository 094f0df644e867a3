"""Services for the clinic's sites: locations, their rooms and opening hours, and the policy."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clinic.exceptions import ValidationFailed
from clinic.models import ClinicPolicy, Location, OpeningHours, Room, Weekday
from clinic.schedule_cache import schedule_changed

# The fields a form may set, in the order a form shows them.
LOCATION_FIELDS = (
    "name",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
    "time_zone",
    "is_active",
)


@dataclass(frozen=True)
class HoursSpan:
    """One opening span on a weekday, in the location's local wall-clock time."""

    weekday: int
    opens: dt.time
    closes: dt.time


def _clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise ValidationFailed(
            _("Please correct the errors below."), extra={"fields": error.message_dict}
        ) from None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "location"
    slug, n = base, 2
    while Location.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_fields(instance: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def location_create(**fields: Any) -> Location:
    """Create a location; its slug is derived from the name."""
    location = Location()
    _set_fields(location, fields, LOCATION_FIELDS)
    location.slug = _unique_slug(location.name)
    _clean(location)
    location.save()
    return location


@transaction.atomic
def location_update(*, location: Location, **fields: Any) -> Location:
    """Change a location's details; the slug (used in links) stays the same."""
    _set_fields(location, fields, LOCATION_FIELDS)
    _clean(location)
    location.save()
    return location


@transaction.atomic
def room_create(*, location: Location, name: str, notes: str = "") -> Room:
    """Add a treatment room to ``location``."""
    room = Room(location=location, name=name.strip(), notes=notes)
    _clean(room)
    room.save()
    return room


@transaction.atomic
def room_update(*, room: Room, name: str, notes: str = "", is_active: bool = True) -> Room:
    """Rename or (de)activate a room; inactive rooms are no longer booked."""
    room.name, room.notes, room.is_active = name.strip(), notes, is_active
    _clean(room)
    room.save()
    return room


def hours_overlap_error(spans: Iterable[HoursSpan]) -> str | None:
    """Describe the first problem in ``spans`` (closing before opening, overlap), or None."""
    by_day: dict[int, list[HoursSpan]] = {}
    for span in spans:
        if span.closes <= span.opens:
            return _("%(day)s: closing time must be after opening time.") % {
                "day": Weekday(span.weekday).label
            }
        by_day.setdefault(span.weekday, []).append(span)
    for day, day_spans in by_day.items():
        ordered = sorted(day_spans, key=lambda s: s.opens)
        for before, after in itertools.pairwise(ordered):
            if after.opens < before.closes:
                return _("%(day)s: opening hours overlap.") % {"day": Weekday(day).label}
    return None


@transaction.atomic
def opening_hours_replace(*, location: Location, spans: list[HoursSpan]) -> list[OpeningHours]:
    """Replace all of a location's opening hours with ``spans`` in one step."""
    problem = hours_overlap_error(spans)
    if problem:
        raise ValidationFailed(problem, extra={"fields": {"__all__": [problem]}})
    Location.objects.select_for_update().filter(pk=location.pk).first()
    OpeningHours.objects.filter(location=location).delete()
    rows = [
        OpeningHours(location=location, weekday=s.weekday, opens=s.opens, closes=s.closes)
        for s in sorted(spans, key=lambda s: (s.weekday, s.opens))
    ]
    for row in rows:
        _clean(row)
    created = OpeningHours.objects.bulk_create(rows)
    schedule_changed()  # bulk_create sends no post_save
    return created


@transaction.atomic
def clinic_policy_update(**fields: Any) -> ClinicPolicy:
    """Change the clinic's policy (the single ClinicPolicy row)."""
    policy = ClinicPolicy.load()
    allowed = tuple(f.name for f in ClinicPolicy._meta.concrete_fields if f.name != "id")
    _set_fields(policy, fields, allowed)
    _clean(policy)
    policy.save()
    return policy
