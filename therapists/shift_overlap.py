"""Whether two weekly shifts put a therapist in two places at once (pure, no ORM).

Shifts are local wall-clock times. Two locations in the same zone compare directly; for two
zones the difference between their UTC offsets changes with DST, so every difference seen
over a year is tried and any overlap counts (a conservative answer, never a double booking).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True)
class WeeklyBlock:
    weekday: int  # 0 = Monday
    starts_at: dt.time
    ends_at: dt.time
    effective_from: dt.date
    effective_to: dt.date | None  # inclusive; None = open-ended
    time_zone: str

    def week_minutes(self) -> tuple[int, int]:
        base = self.weekday * MINUTES_PER_DAY
        return (
            base + self.starts_at.hour * 60 + self.starts_at.minute,
            base + self.ends_at.hour * 60 + self.ends_at.minute,
        )


def dates_overlap(a: WeeklyBlock, b: WeeklyBlock) -> bool:
    a_ends_before_b = a.effective_to is not None and a.effective_to < b.effective_from
    b_ends_before_a = b.effective_to is not None and b.effective_to < a.effective_from
    return not (a_ends_before_b or b_ends_before_a)


@lru_cache(maxsize=256)
def _offset_differences(zone_a: str, zone_b: str, year: int) -> frozenset[int]:
    """Minutes to add to a wall-clock time in ``zone_b`` to get the same instant in ``zone_a``."""
    a, b = zoneinfo.ZoneInfo(zone_a), zoneinfo.ZoneInfo(zone_b)
    diffs = set()
    for day in range(0, 366, 1):
        instant = dt.datetime(year, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=day)
        offset_a = instant.astimezone(a).utcoffset() or dt.timedelta()
        offset_b = instant.astimezone(b).utcoffset() or dt.timedelta()
        diffs.add(int((offset_a - offset_b).total_seconds() // 60))
    return frozenset(diffs)


def blocks_overlap(a: WeeklyBlock, b: WeeklyBlock) -> bool:
    """True when the two blocks share a moment on some date both are in effect."""
    if not dates_overlap(a, b):
        return False
    a_start, a_end = a.week_minutes()
    b_start, b_end = b.week_minutes()
    if a.time_zone == b.time_zone:
        diffs: frozenset[int] = frozenset({0})
    else:
        diffs = _offset_differences(
            a.time_zone, b.time_zone, max(a.effective_from, b.effective_from).year
        )
    for diff in diffs:
        for wrap in (-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK):
            start, end = b_start + diff + wrap, b_end + diff + wrap
            if start < a_end and a_start < end:
                return True
    return False
