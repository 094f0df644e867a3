"""Pure overlap arithmetic (no database)."""

from __future__ import annotations

import datetime as dt

from therapists.shift_overlap import WeeklyBlock, blocks_overlap

NY = "America/New_York"


def block(weekday=1, start=9, end=13, first=dt.date(2026, 1, 5), last=None, zone=NY):
    return WeeklyBlock(weekday, dt.time(start), dt.time(end), first, last, zone)


def test_same_day_overlapping_times_overlap():
    assert blocks_overlap(block(start=9, end=13), block(start=12, end=17))


def test_touching_shifts_do_not_overlap():
    assert not blocks_overlap(block(start=9, end=13), block(start=13, end=17))


def test_other_weekday_does_not_overlap():
    assert not blocks_overlap(block(weekday=1), block(weekday=2))


def test_disjoint_effective_ranges_do_not_overlap():
    first = block(last=dt.date(2026, 3, 31))
    later = block(first=dt.date(2026, 4, 1))
    assert not blocks_overlap(first, later)
    assert blocks_overlap(first, block(first=dt.date(2026, 3, 31)))


def test_open_ended_ranges_overlap_any_later_start():
    assert blocks_overlap(block(), block(first=dt.date(2030, 1, 1)))


def test_other_zone_compares_real_instants():
    # 09-13 in New York is 08-12 in Chicago: a Chicago shift 12-14 touches, 11-14 overlaps.
    assert not blocks_overlap(
        block(start=9, end=13), block(start=12, end=14, zone="America/Chicago")
    )
    assert blocks_overlap(block(start=9, end=13), block(start=11, end=14, zone="America/Chicago"))


def test_other_zone_with_different_dst_rules_is_checked_in_every_season():
    # London is 5 h ahead of New York most of the year but only 4 h for a few weeks in
    # March/November when the two switch DST on different dates.
    new_york = block(start=9, end=10)
    assert blocks_overlap(new_york, block(start=13, end=14, zone="Europe/London"))
    assert blocks_overlap(new_york, block(start=14, end=15, zone="Europe/London"))
