"""Open slots from working hours, opening hours and busy time: pure arithmetic, no ORM.

Working hours and opening hours are local wall-clock times in the location's IANA zone; busy
time and the returned slots are aware UTC datetimes. Candidate starts walk the local clock
(so a slot never sits at a local time that does not exist on the spring-forward day, and the
repeated autumn hour is offered once, at its first occurrence), while lengths are real
elapsed time (a 60-minute session is 60 minutes even across a change).
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UTC = dt.UTC
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time [start, end) in aware datetimes."""

    start: dt.datetime
    end: dt.datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class WeeklyHours:
    """A weekly local wall-clock window (0 = Monday), optionally limited to a date range."""

    weekday: int
    start: dt.time
    end: dt.time
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def applies_on(self, day: dt.date) -> bool:
        if day.weekday() != self.weekday or self.end <= self.start:
            return False
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


@dataclass(frozen=True)
class ServiceTiming:
    duration_minutes: int
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)

    def occupied(self, start: dt.datetime) -> Interval:
        """The span an appointment starting at ``start`` blocks, buffers included."""
        return Interval(
            start - dt.timedelta(minutes=self.buffer_before_minutes),
            start + self.duration + dt.timedelta(minutes=self.buffer_after_minutes),
        )


@dataclass(frozen=True)
class TherapistSchedule:
    """One therapist's weekly hours at the location and everything that blocks them."""

    therapist_id: int
    hours: tuple[WeeklyHours, ...]
    busy: tuple[Interval, ...] = ()
    # Starts of the therapist's active appointments, for the daily session cap.
    session_starts: tuple[dt.datetime, ...] = ()
    max_sessions_per_day: int | None = None


@dataclass(frozen=True)
class AvailabilityRequest:
    zone: ZoneInfo
    first_day: dt.date
    last_day: dt.date
    service: ServiceTiming
    step_minutes: int
    earliest: dt.datetime
    latest: dt.datetime
    opening_hours: tuple[WeeklyHours, ...]
    therapists: tuple[TherapistSchedule, ...]
    closures: tuple[Interval, ...] = ()
    # Busy spans of each bookable room at the location; no rooms means nothing is bookable.
    rooms: dict[int, tuple[Interval, ...]] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Slot:
    start: dt.datetime
    therapist_id: int
    end: dt.datetime


_interval_key = operator.attrgetter("start", "end")


class BusyIndex:
    """Sorted, merged busy spans answering 'is this interval free?' in O(log n)."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        merged: list[Interval] = []
        # Interval's own order (start, end) without the dataclass's Python-level __lt__.
        for interval in sorted(intervals, key=_interval_key):
            if merged and interval.start <= merged[-1].end:
                last = merged[-1]
                merged[-1] = Interval(last.start, max(last.end, interval.end))
            else:
                merged.append(interval)
        self._intervals = merged
        self._starts = [interval.start for interval in merged]

    def is_free(self, span: Interval) -> bool:
        # Only the last merged interval starting before span.end can overlap it.
        index = bisect.bisect_left(self._starts, span.end) - 1
        return index < 0 or self._intervals[index].end <= span.start


def local_to_utc(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The UTC instant of a local wall-clock time; None if the clock skips it.

    A repeated (autumn) wall-clock time means its first occurrence (fold=0).
    """
    local = dt.datetime.combine(day, wall, tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return utc


def boundary_to_utc(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime:
    """Like :func:`local_to_utc`, but a skipped time becomes the instant the clock jumped."""
    exact = local_to_utc(day, wall, zone)
    if exact is not None:
        return exact
    local = dt.datetime.combine(day, wall, tzinfo=zone)
    # Inside a gap, fold=1 lands before the jump and fold=0 after it; the jump lies between.
    low = local.replace(fold=1).astimezone(UTC)
    high = local.replace(fold=0).astimezone(UTC)
    while high - low > dt.timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= local.replace(tzinfo=None):
            high = middle
        else:
            low = middle
    return high.replace(second=0, microsecond=0)


def _intersect(
    a: tuple[dt.time, dt.time], b: tuple[dt.time, dt.time]
) -> tuple[dt.time, dt.time] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start < end else None


def working_windows(
    day: dt.date, shifts: Sequence[WeeklyHours], opening: Sequence[WeeklyHours]
) -> list[tuple[dt.time, dt.time]]:
    """Local windows on ``day`` when the therapist works AND the doors are open."""
    windows = []
    for shift in shifts:
        if not shift.applies_on(day):
            continue
        for hours in opening:
            if hours.applies_on(day):
                both = _intersect((shift.start, shift.end), (hours.start, hours.end))
                if both:
                    windows.append(both)
    return sorted(set(windows))


def _wall_clock_starts(window: tuple[dt.time, dt.time], step: int) -> Iterable[dt.time]:
    first = window[0].hour * 60 + window[0].minute
    # The end is checked in real time by the caller: on the autumn day a window is longer.
    last = window[1].hour * 60 + window[1].minute
    minute = -(-first // step) * step  # first multiple of the step at or after the window start
    while minute < last:
        yield dt.time(minute // 60, minute % 60)
        minute += step


def _sessions_per_day(starts: Iterable[dt.datetime], zone: ZoneInfo) -> Counter[dt.date]:
    return Counter(start.astimezone(zone).date() for start in starts)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_US_PER_MINUTE = 60_000_000


def _us(moment: dt.datetime) -> int:
    """Microseconds since the epoch: exact integer arithmetic for the sweeps."""
    return (moment - _EPOCH) // _MICROSECOND


def _wall_us(wall: dt.time) -> int:
    return ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond


class _Spans:
    """Merged busy spans as two sorted integer lists (starts, ends) in microseconds."""

    __slots__ = ("ends", "starts")

    def __init__(self, intervals: Iterable[Interval]) -> None:
        merged = BusyIndex(intervals)._intervals
        self.starts = [_us(i.start) for i in merged]
        self.ends = [_us(i.end) for i in merged]

    def is_free(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end) - 1
        return index < 0 or self.ends[index] <= start


def _fixed_offset(day: dt.date, zone: ZoneInfo) -> dt.timedelta | None:
    """The zone's UTC offset on ``day`` if it holds all day; None on a day the clock changes.

    No zone changes its clock twice within one day, so equal offsets at both local
    midnights mean every wall-clock time of the day exists once, at that offset.
    """
    offset = dt.datetime.combine(day, dt.time(0), tzinfo=zone).utcoffset()
    if offset != dt.datetime.combine(day + ONE_DAY, dt.time(0), tzinfo=zone).utcoffset():
        return None
    return offset


@dataclass
class _Context:
    request: AvailabilityRequest
    closures: BusyIndex
    room_spans: list[_Spans]
    # Built only on a day the clock changes (the slot-by-slot path).
    rooms: list[BusyIndex] | None = None
    # Rooms are the location's, not a therapist's: each occupied span is checked once.
    room_memo: dict[tuple[int, int], bool] = field(default_factory=dict)

    def room_free(self, span: Interval) -> bool:
        if self.rooms is None:
            self.rooms = [BusyIndex(busy) for _room, busy in sorted(self.request.rooms.items())]
        return any(room.is_free(span) for room in self.rooms)

    def room_free_us(self, start: int, end: int) -> bool:
        key = (start, end)
        free = self.room_memo.get(key)
        if free is None:
            free = self.room_memo[key] = any(r.is_free(start, end) for r in self.room_spans)
        return free


def _slots_in_window(
    ctx: _Context,
    therapist: TherapistSchedule,
    busy: BusyIndex,
    day: dt.date,
    window: tuple[dt.time, dt.time],
) -> Iterable[Slot]:
    """Slot by slot through the zone's clock: used on the days the clock changes."""
    request = ctx.request
    service = request.service
    window_start = boundary_to_utc(day, window[0], request.zone)
    window_end = boundary_to_utc(day, window[1], request.zone)
    for wall in _wall_clock_starts(window, request.step_minutes):
        start = local_to_utc(day, wall, request.zone)
        if start is None or start < window_start or start < request.earliest:
            continue
        if start > request.latest:
            return
        end = start + service.duration
        if end > window_end:
            return
        occupied = service.occupied(start)
        if busy.is_free(occupied) and ctx.closures.is_free(occupied) and ctx.room_free(occupied):
            yield Slot(start=start, therapist_id=therapist.therapist_id, end=end)


def _sweep_window(
    ctx: _Context,
    therapist_id: int,
    blocked: _Spans,
    base: int,
    window: tuple[dt.time, dt.time],
) -> list[Slot]:
    """The same rule as :func:`_slots_in_window` on a day with one UTC offset, as one sweep.

    ``base`` is the day's local midnight in UTC microseconds; ``blocked`` merges the
    therapist's busy time with the closures. Candidate spans only move forward, so one
    pointer walks the blocked spans once.
    """
    request = ctx.request
    service = request.service
    step = request.step_minutes
    duration = service.duration_minutes * _US_PER_MINUTE
    before = service.buffer_before_minutes * _US_PER_MINUTE
    after = service.buffer_after_minutes * _US_PER_MINUTE
    earliest, latest = _us(request.earliest), _us(request.latest)
    length = service.duration
    window_start, window_end = base + _wall_us(window[0]), base + _wall_us(window[1])
    first = window[0].hour * 60 + window[0].minute
    last = window[1].hour * 60 + window[1].minute
    starts, ends = blocked.starts, blocked.ends
    count = len(starts)
    slots: list[Slot] = []
    minute = -(-first // step) * step
    index = bisect.bisect_right(ends, base + minute * _US_PER_MINUTE - before)
    while minute < last:
        start = base + minute * _US_PER_MINUTE
        minute += step
        if start < window_start or start < earliest:
            continue
        if start > latest or start + duration > window_end:
            break
        low, high = start - before, start + duration + after
        while index < count and ends[index] <= low:
            index += 1
        if (index == count or starts[index] >= high) and ctx.room_free_us(low, high):
            moment = _EPOCH + dt.timedelta(microseconds=start)
            slots.append(Slot(moment, therapist_id, moment + length))
    return slots


def _therapist_slots(ctx: _Context, therapist: TherapistSchedule) -> Iterable[Slot]:
    request = ctx.request
    busy: BusyIndex | None = None  # for a day the clock changes, built when one comes
    blocked = _Spans([*therapist.busy, *request.closures])
    sessions = _sessions_per_day(therapist.session_starts, request.zone)
    day = request.first_day
    while day <= request.last_day:
        cap = therapist.max_sessions_per_day
        if cap is None or sessions[day] < cap:
            offset = _fixed_offset(day, request.zone)
            base = (
                None if offset is None else _us(dt.datetime.combine(day, dt.time(0), UTC) - offset)
            )
            for window in working_windows(day, therapist.hours, request.opening_hours):
                if base is None:
                    busy = busy or BusyIndex(therapist.busy)
                    yield from _slots_in_window(ctx, therapist, busy, day, window)
                else:
                    yield from _sweep_window(ctx, therapist.therapist_id, blocked, base, window)
        day += ONE_DAY


def _slot_order(slot: Slot) -> tuple[dt.datetime, int, dt.datetime]:
    return (slot.start, slot.therapist_id, slot.end)


def compute_slots(request: AvailabilityRequest) -> list[Slot]:
    """Every free slot for the service in the request's days, sorted by start then therapist."""
    if request.step_minutes <= 0 or request.service.duration_minutes <= 0:
        raise ValueError("The slot step and the service duration must be positive.")
    rooms = [busy for _room, busy in sorted(request.rooms.items())]
    ctx = _Context(
        request=request,
        closures=BusyIndex(request.closures),
        room_spans=[_Spans(busy) for busy in rooms],
    )
    slots = [slot for therapist in request.therapists for slot in _therapist_slots(ctx, therapist)]
    # The same order as Slot's own (start, therapist, end), without a Python-level __lt__.
    slots.sort(key=_slot_order)
    return slots


def window_bounds(first_day: dt.date, last_day: dt.date, zone: ZoneInfo) -> Interval:
    """The UTC span covering the local days first_day..last_day (to load busy data for)."""
    return Interval(
        boundary_to_utc(first_day, dt.time(0, 0), zone),
        boundary_to_utc(last_day + ONE_DAY, dt.time(0, 0), zone),
    )


def free_room(rooms: dict[int, tuple[Interval, ...]], span: Interval) -> int | None:
    """The lowest-numbered room free for the whole span, or None."""
    for room_id, busy in sorted(rooms.items()):
        if BusyIndex(busy).is_free(span):
            return room_id
    return None
