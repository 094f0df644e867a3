"""Writes to working hours: weekly shifts, time off and clinic closures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from clinic.exceptions import Conflict, ValidationFailed
from clinic.models import Location
from therapists.models import Closure, Shift, TherapistProfile, TimeOff
from therapists.services import save_validated
from therapists.shift_overlap import WeeklyBlock, blocks_overlap

SHIFT_FIELDS = ("location", "weekday", "starts_at", "ends_at", "effective_from", "effective_to")


def _block(shift: Shift) -> WeeklyBlock:
    return WeeklyBlock(
        weekday=shift.weekday,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        effective_from=shift.effective_from,
        effective_to=shift.effective_to,
        time_zone=shift.location.time_zone,
    )


def shift_conflict(shift: Shift) -> Shift | None:
    """The first other shift of the same therapist (any location) that overlaps ``shift``."""
    others = Shift.objects.filter(therapist_id=shift.therapist_id).select_related("location")
    if shift.pk is not None:
        others = others.exclude(pk=shift.pk)
    others = others.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=shift.effective_from))
    if shift.effective_to is not None:
        others = others.filter(effective_from__lte=shift.effective_to)
    mine = _block(shift)
    return next((other for other in others if blocks_overlap(mine, _block(other))), None)


def _save_shift(shift: Shift, data: dict[str, Any]) -> Shift:
    # Lock the therapist so two concurrent edits cannot both pass the overlap check.
    TherapistProfile.objects.select_for_update().filter(pk=shift.therapist_id).first()
    for name, value in data.items():
        setattr(shift, name, value)
    if shift.starts_at and shift.ends_at and shift.ends_at <= shift.starts_at:
        raise ValidationFailed(
            _("A shift must end after it starts."),
            extra={"fields": {"ends_at": [_("A shift must end after it starts.")]}},
        )
    conflict = shift_conflict(shift)
    if conflict is not None:
        message = _("This shift overlaps %(shift)s.") % {"shift": conflict.describe()}
        raise Conflict(
            message,
            code="shift_overlap",
            extra={"fields": {"starts_at": [message]}, "conflicting_shift": conflict.pk},
        )
    return save_validated(shift, {})


@transaction.atomic
def shift_create(*, therapist: TherapistProfile, location: Location, **data: Any) -> Shift:
    """Add weekly working hours; refused when the therapist would be in two places at once."""
    shift = Shift(therapist=therapist, location=location)
    return _save_shift(shift, data)


@transaction.atomic
def shift_update(*, shift: Shift, **data: Any) -> Shift:
    data = {k: v for k, v in data.items() if k in SHIFT_FIELDS}
    return _save_shift(shift, data)


@transaction.atomic
def shift_delete(*, shift: Shift) -> None:
    shift.delete()


def _check_span(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed(
            _("The end must be after the start."),
            extra={"fields": {"ends_at": [_("The end must be after the start.")]}},
        )


@transaction.atomic
def time_off_create(*, therapist: TherapistProfile, **data: Any) -> TimeOff:
    """Block a therapist's time (vacation, course, admin time)."""
    _check_span(data["starts_at"], data["ends_at"])
    return save_validated(TimeOff(therapist=therapist), data)


@transaction.atomic
def time_off_update(*, time_off: TimeOff, **data: Any) -> TimeOff:
    data.pop("therapist", None)
    _check_span(data.get("starts_at", time_off.starts_at), data.get("ends_at", time_off.ends_at))
    return save_validated(time_off, data)


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    time_off.delete()


def local_day_bounds(
    location: Location, first: dt.date, last: dt.date
) -> tuple[dt.datetime, dt.datetime]:
    """From local midnight starting ``first`` to local midnight after ``last``, as aware datetimes."""
    # Built through the zone (not by adding 24 h) so a DST change inside the range is honoured.
    start = dt.datetime.combine(first, dt.time.min, tzinfo=location.zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=location.zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@transaction.atomic
def closure_create(
    *, location: Location, starts_on: dt.date, ends_on: dt.date, reason: str
) -> Closure:
    """Close a location for whole local days, ``starts_on`` to ``ends_on`` inclusive."""
    if ends_on < starts_on:
        raise ValidationFailed(
            _("The last day cannot be before the first."),
            extra={"fields": {"ends_on": [_("The last day cannot be before the first.")]}},
        )
    starts_at, ends_at = local_day_bounds(location, starts_on, ends_on)
    closure = Closure(location=location)
    return save_validated(closure, {"starts_at": starts_at, "ends_at": ends_at, "reason": reason})


@transaction.atomic
def closure_delete(*, closure: Closure) -> None:
    closure.delete()
