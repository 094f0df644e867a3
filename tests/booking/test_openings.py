"""The calendar's pure parts: one choice per time, the matched therapist preferred, days counted
as the page shows them, months as weeks from Monday."""

from __future__ import annotations

import datetime as dt

from booking.availability import Slot
from booking.openings import (
    LocatedSlot,
    add_months,
    month_weeks,
    opening_days,
    slots_avoiding,
    time_choices,
)
from clinic.models import ClinicPolicy, Location

AMSTERDAM = Location(pk=1, name="Centrum", time_zone="Europe/Amsterdam")
NOW = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
POLICY = ClinicPolicy(cancellation_cutoff_hours=24)


def _slot(day: int, hour: int, therapist: int, minute: int = 0) -> LocatedSlot:
    start = dt.datetime(2026, 6, day, hour, minute, tzinfo=AMSTERDAM.zone).astimezone(dt.UTC)
    return LocatedSlot(Slot(start, therapist, start + dt.timedelta(hours=1)), AMSTERDAM)


def test_each_time_is_offered_once_to_the_best_matched_therapist():
    slots = [_slot(3, 9, 7), _slot(3, 9, 5), _slot(3, 10, 5)]
    assert [c.therapist_id for c in time_choices(slots, policy=POLICY, now=NOW)] == [5, 5]
    preferred = time_choices(slots, policy=POLICY, now=NOW, preferred=[7, 5])
    assert [(c.local.hour, c.therapist_id) for c in preferred] == [(9, 7), (10, 5)]
    only = time_choices(slots, policy=POLICY, now=NOW, therapist_id=7)
    assert [(c.local.hour, c.therapist_id) for c in only] == [(9, 7)]


def test_times_are_local_marked_late_inside_the_cutoff_and_put_in_a_part_of_the_day():
    soon, later, evening = time_choices(
        [_slot(2, 9, 1), _slot(3, 13, 1), _slot(3, 17, 1)], policy=POLICY, now=NOW
    )
    assert soon.local.utcoffset() == dt.timedelta(hours=2)
    assert (soon.late, later.late) == (True, False)  # 23 hours away, then 2 days
    assert [c.part_of_day for c in (soon, later, evening)] == ["morning", "afternoon", "evening"]


def test_days_count_the_times_a_client_can_pick():
    choices = time_choices(
        [_slot(3, 9, 1), _slot(3, 9, 2), _slot(3, 14, 1), _slot(4, 11, 2)], policy=POLICY, now=NOW
    )
    days = opening_days(choices)
    assert [(d.day.day, d.openings, d.first_start.hour) for d in days] == [(3, 2, 9), (4, 1, 11)]


def test_slots_overlapping_the_clients_own_appointments_are_left_out():
    busy = _slot(3, 10, 9).slot
    kept = slots_avoiding(
        [_slot(3, 9, 1), _slot(3, 9, 1, 15), _slot(3, 10, 1), _slot(3, 11, 1)],
        [(busy.start, busy.end)],
    )
    assert [(s.local.hour, s.local.minute) for s in kept] == [(9, 0), (11, 0)]


def test_months_are_weeks_from_monday_with_the_other_months_days_left_blank():
    weeks = month_weeks(dt.date(2026, 6, 1))
    assert weeks[0][0] == dt.date(2026, 6, 1)  # a Monday
    assert weeks[-1][1] == dt.date(2026, 6, 30)
    assert weeks[-1][2:] == [None] * 5
    assert add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
