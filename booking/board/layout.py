"""Placing a day of the board: shift spans, busy blocks and free gaps, as screen percentages.

Pure module (no ORM). Times are aware datetimes; the day runs from the board's first to its
last local hour, computed through the location's zone so a DST day is 23 or 25 hours long.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from booking.availability import Interval, boundary_to_utc

MIN_GAP = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Frame:
    """The visible part of one local day: [start, end) in UTC."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def for_day(cls, day: dt.date, zone: ZoneInfo, first_hour: int, last_hour: int) -> Frame:
        return cls(
            boundary_to_utc(day, dt.time(first_hour), zone),
            boundary_to_utc(day, dt.time(last_hour), zone),
        )

    @property
    def length(self) -> float:
        return (self.end - self.start).total_seconds()

    def clip(self, span: Interval) -> Interval | None:
        start, end = max(span.start, self.start), min(span.end, self.end)
        return Interval(start, end) if start < end else None

    def place(self, span: Interval) -> tuple[float, float] | None:
        """(top, height) in percent of the frame, or None when outside it."""
        clipped = self.clip(span)
        if clipped is None:
            return None
        top = (clipped.start - self.start).total_seconds() / self.length * 100
        height = (clipped.end - clipped.start).total_seconds() / self.length * 100
        return round(top, 3), round(height, 3)


def subtract(spans: Iterable[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """The parts of ``spans`` not covered by any ``busy`` interval, in order."""
    free = sorted(spans)
    for block in sorted(busy):
        result = []
        for span in free:
            if not span.overlaps(block):
                result.append(span)
                continue
            if span.start < block.start:
                result.append(Interval(span.start, block.start))
            if block.end < span.end:
                result.append(Interval(block.end, span.end))
        free = result
    return free


def free_gaps(
    shifts: Iterable[Interval], busy: Iterable[Interval], *, minimum: dt.timedelta = MIN_GAP
) -> list[Interval]:
    """Free time inside shifts, at least ``minimum`` long (shorter gaps are not bookable)."""
    return [gap for gap in subtract(shifts, busy) if gap.end - gap.start >= minimum]


def shift_span(day: dt.date, starts: dt.time, ends: dt.time, zone: ZoneInfo) -> Interval:
    return Interval(boundary_to_utc(day, starts, zone), boundary_to_utc(day, ends, zone))


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def hour_marks(day: dt.date, zone: ZoneInfo, frame: Frame) -> list[tuple[str, float]]:
    """Labels for each local hour inside the frame and their top offset in percent."""
    marks = []
    for hour in range(24):
        instant = boundary_to_utc(day, dt.time(hour), zone)
        if frame.start <= instant < frame.end:
            top = (instant - frame.start).total_seconds() / frame.length * 100
            marks.append((f"{instant.astimezone(zone):%H:%M}", round(top, 3)))
    return marks
