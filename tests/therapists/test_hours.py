"""Shifts, time off and closures through the domain functions."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.exceptions import Conflict, ValidationFailed
from tests.factories import LocationFactory
from therapists import hours
from therapists.models import Shift

from .factories import ShiftFactory, TherapistProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def troy():
    return LocationFactory(name="Troy", slug="troy")


@pytest.fixture
def clifton():
    return LocationFactory(name="Clifton Park", slug="clifton-park")


def add(therapist, location, weekday=1, start=9, end=13, first=dt.date(2026, 1, 5), last=None):
    return hours.shift_create(
        therapist=therapist,
        location=location,
        weekday=weekday,
        starts_at=dt.time(start),
        ends_at=dt.time(end),
        effective_from=first,
        effective_to=last,
    )


def test_overlap_at_another_location_is_refused_naming_the_conflict(troy, clifton):
    therapist = TherapistProfileFactory()
    add(therapist, troy)

    with pytest.raises(Conflict) as caught:
        add(therapist, clifton, start=12, end=17, first=dt.date(2026, 2, 1))

    assert "overlaps Tue 09:00\u201313:00 at Troy from 2026-01-05" in caught.value.message
    assert Shift.objects.filter(therapist=therapist).count() == 1


def test_overlap_at_the_same_location_is_refused(troy):
    therapist = TherapistProfileFactory()
    add(therapist, troy)
    with pytest.raises(Conflict, match="at Troy"):
        add(therapist, troy, start=10, end=11)


def test_non_overlapping_shifts_are_accepted(troy, clifton):
    therapist = TherapistProfileFactory()
    add(therapist, troy, start=9, end=13)
    add(therapist, clifton, start=13, end=17)  # back to back
    add(therapist, clifton, weekday=2)  # other day
    add(therapist, clifton, first=dt.date(2025, 1, 1), last=dt.date(2026, 1, 4))  # ended before
    other = TherapistProfileFactory()
    add(other, troy)  # another therapist at the same time
    assert Shift.objects.count() == 5


def test_update_does_not_conflict_with_itself_but_with_others(troy):
    therapist = TherapistProfileFactory()
    morning = add(therapist, troy, start=9, end=12)
    afternoon = add(therapist, troy, start=13, end=17)

    hours.shift_update(shift=morning, ends_at=dt.time(12, 30))
    with pytest.raises(Conflict, match="13:00"):
        hours.shift_update(shift=morning, ends_at=dt.time(14))
    morning.refresh_from_db()
    assert morning.ends_at == dt.time(12, 30)
    assert afternoon.ends_at == dt.time(17)


def test_shift_must_end_after_start(troy):
    with pytest.raises(ValidationFailed):
        add(TherapistProfileFactory(), troy, start=13, end=9)


def test_time_off_must_end_after_start():
    therapist = TherapistProfileFactory()
    start = dt.datetime(2026, 7, 1, 14, tzinfo=dt.UTC)
    with pytest.raises(ValidationFailed):
        hours.time_off_create(therapist=therapist, starts_at=start, ends_at=start, kind="admin")


def test_closure_covers_whole_local_days_across_dst(troy):
    # 2026-03-08 is the US spring-forward day: that local day is only 23 hours long.
    closure = hours.closure_create(
        location=troy, starts_on=dt.date(2026, 3, 8), ends_on=dt.date(2026, 3, 8), reason="Storm"
    )
    assert closure.starts_at == dt.datetime(2026, 3, 8, 5, tzinfo=dt.UTC)  # midnight EST
    assert closure.ends_at == dt.datetime(2026, 3, 9, 4, tzinfo=dt.UTC)  # midnight EDT
    with pytest.raises(ValidationFailed):
        hours.closure_create(
            location=troy, starts_on=dt.date(2026, 3, 9), ends_on=dt.date(2026, 3, 8), reason="x"
        )


def test_factory_shift_describes_itself(troy):
    shift = ShiftFactory(location=troy, effective_to=dt.date(2026, 6, 30))
    assert shift.describe() == "Tue 09:00\u201313:00 at Troy from 2026-01-05 to 2026-06-30"
