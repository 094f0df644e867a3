"""Quiet hours, backoff and follow-up days: pure arithmetic, DST included."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from clinic.notifications.timing import (
    HISTORY_GRACE,
    in_quiet_hours,
    is_stale_history,
    local_day_at,
    quiet_hours_release,
    retry_delay,
)

NY = zoneinfo.ZoneInfo("America/New_York")
NINE_PM, EIGHT_AM = dt.time(21, 0), dt.time(8, 0)


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (dt.time(20, 59), False),
        (dt.time(21, 0), True),
        (dt.time(23, 30), True),
        (dt.time(0, 0), True),
        (dt.time(7, 59), True),
        (dt.time(8, 0), False),
        (dt.time(12, 0), False),
    ],
)
def test_quiet_hours_wrap_past_midnight(local, quiet):
    assert in_quiet_hours(local, NINE_PM, EIGHT_AM) is quiet


def test_a_window_within_one_day_and_an_empty_window():
    assert in_quiet_hours(dt.time(13, 0), dt.time(12, 0), dt.time(14, 0))
    assert not in_quiet_hours(dt.time(15, 0), dt.time(12, 0), dt.time(14, 0))
    assert not in_quiet_hours(dt.time(3, 0), dt.time(8, 0), dt.time(8, 0))


def test_release_is_eight_local_next_morning_across_spring_forward():
    # Saturday 7 March 2026 22:30 EST; clocks jump to EDT overnight.
    now = dt.datetime(2026, 3, 7, 22, 30, tzinfo=NY)
    release = quiet_hours_release(now.astimezone(dt.UTC), NY, NINE_PM, EIGHT_AM)
    assert release.astimezone(NY).replace(tzinfo=None) == dt.datetime(2026, 3, 8, 8, 0)
    assert release == dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)  # EDT is UTC-4


def test_release_after_midnight_is_the_same_morning_and_none_outside_quiet_hours():
    early = dt.datetime(2026, 6, 2, 5, 0, tzinfo=NY)
    assert quiet_hours_release(early, NY, NINE_PM, EIGHT_AM) == dt.datetime(
        2026, 6, 2, 8, 0, tzinfo=NY
    )
    assert (
        quiet_hours_release(dt.datetime(2026, 6, 2, 9, 0, tzinfo=NY), NY, NINE_PM, EIGHT_AM) is None
    )


def test_retry_backoff_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == dt.timedelta(hours=1)


def test_follow_up_keeps_the_local_hour_over_a_dst_change():
    # Session Friday 30 Oct 2026 15:00 EDT; clocks fall back on Sunday 1 Nov.
    session = dt.datetime(2026, 10, 30, 15, 0, tzinfo=NY)
    day3 = local_day_at(session, NY, days_after=3, at=dt.time(10, 0))
    assert day3.astimezone(NY).replace(tzinfo=None) == dt.datetime(2026, 11, 2, 10, 0)
    assert day3 == dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)  # EST is UTC-5


def test_only_history_goes_stale_and_only_past_the_grace_of_a_day():
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    long_ago = now - dt.timedelta(days=3)
    assert is_stale_history(long_ago, as_of=long_ago, now=now)
    assert not is_stale_history(long_ago, as_of=None, now=now)  # a change made now: usual rules
    assert not is_stale_history(now - HISTORY_GRACE, as_of=long_ago, now=now)
    assert is_stale_history(now - HISTORY_GRACE - dt.timedelta(seconds=1), as_of=long_ago, now=now)
