"""The fast availability engine gives exactly the slots of a slow, obviously-correct one.

The reference below checks every wall-clock step of every day against every busy span, one
by one; hypothesis draws random schedules in several zones around their DST changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.availability import (
    AvailabilityRequest,
    Interval,
    ServiceTiming,
    Slot,
    TherapistSchedule,
    WeeklyHours,
    compute_slots,
)

UTC = dt.UTC
ZONES = [
    ZoneInfo(name)
    for name in (
        "America/New_York",
        "Europe/Amsterdam",
        "Australia/Sydney",
        "Asia/Kolkata",
        "UTC",
    )
]
# Days around the 2026 clock changes of those zones (and a few ordinary ones).
DAYS = [
    dt.date(2026, 3, 8),
    dt.date(2026, 3, 29),
    dt.date(2026, 4, 5),
    dt.date(2026, 10, 4),
    dt.date(2026, 10, 25),
    dt.date(2026, 11, 1),
    dt.date(2026, 6, 15),
]


def _minute_time(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def _exists(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    local = dt.datetime.combine(day, wall, tzinfo=zone)
    utc = local.astimezone(UTC)
    return utc if utc.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None) else None


def _edge(day: dt.date, wall: dt.time, zone: ZoneInfo) -> dt.datetime:
    """A window edge in UTC; inside a spring gap, the first real minute after it."""
    exact = _exists(day, wall, zone)
    if exact is not None:
        return exact
    local = dt.datetime.combine(day, wall)
    for minutes in range(1, 181):
        later = _exists(day, (local + dt.timedelta(minutes=minutes)).time(), zone)
        if later is not None:
            # The instant the clock jumped, which is one real minute before that time.
            while (earlier := later - dt.timedelta(minutes=1)).astimezone(zone).replace(
                tzinfo=None
            ) >= local:
                later = earlier
            return later
    raise AssertionError("no gap lasts three hours")


def reference_slots(request: AvailabilityRequest) -> list[Slot]:
    zone, service = request.zone, request.service
    found = []
    for therapist in request.therapists:
        per_day = Counter(s.astimezone(zone).date() for s in therapist.session_starts)
        day = request.first_day
        while day <= request.last_day:
            capped = (
                therapist.max_sessions_per_day is not None
                and per_day[day] >= therapist.max_sessions_per_day
            )
            windows = sorted(
                {
                    (max(shift.start, hours.start), min(shift.end, hours.end))
                    for shift in therapist.hours
                    for hours in request.opening_hours
                    if shift.applies_on(day) and hours.applies_on(day)
                    if max(shift.start, hours.start) < min(shift.end, hours.end)
                }
            )
            for opens, closes in [] if capped else windows:
                for minute in range(0, 24 * 60, request.step_minutes):
                    wall = _minute_time(minute)
                    if not opens <= wall < closes:
                        continue
                    start = _exists(day, wall, zone)
                    if start is None or start < _edge(day, opens, zone):
                        continue
                    end = start + service.duration
                    if not request.earliest <= start <= request.latest:
                        continue
                    if end > _edge(day, closes, zone):
                        continue
                    span = service.occupied(start)
                    blocked = [*therapist.busy, *request.closures]
                    if any(span.overlaps(b) for b in blocked):
                        continue
                    if not any(
                        not any(span.overlaps(b) for b in busy) for busy in request.rooms.values()
                    ):
                        continue
                    found.append(Slot(start, therapist.therapist_id, end))
            day += dt.timedelta(days=1)
    return sorted(found)


minutes_of_day = st.integers(min_value=0, max_value=24 * 60 - 10).map(lambda m: m - m % 5)


@st.composite
def weekly(draw: st.DrawFn, first: dt.date) -> WeeklyHours:
    start = draw(minutes_of_day)
    end = draw(st.integers(min_value=start + 5, max_value=24 * 60 - 1))
    limited = draw(st.booleans())
    return WeeklyHours(
        weekday=draw(st.integers(0, 6)),
        start=_minute_time(start),
        end=_minute_time(end),
        effective_from=first + dt.timedelta(days=draw(st.integers(-1, 2))) if limited else None,
        effective_to=first + dt.timedelta(days=draw(st.integers(0, 4))) if limited else None,
    )


@st.composite
def spans(draw: st.DrawFn, origin: dt.datetime, count: int) -> tuple[Interval, ...]:
    found = []
    for _ in range(draw(st.integers(0, count))):
        start = origin + dt.timedelta(minutes=5 * draw(st.integers(-100, 1400)))
        found.append(Interval(start, start + dt.timedelta(minutes=5 * draw(st.integers(1, 60)))))
    return tuple(found)


@st.composite
def requests(draw: st.DrawFn) -> AvailabilityRequest:
    zone = draw(st.sampled_from(ZONES))
    first = draw(st.sampled_from(DAYS)) + dt.timedelta(days=draw(st.integers(-1, 1)))
    last = first + dt.timedelta(days=draw(st.integers(0, 3)))
    origin = dt.datetime.combine(first, dt.time(0), tzinfo=zone).astimezone(UTC)
    therapists = tuple(
        TherapistSchedule(
            therapist_id=pk,
            hours=tuple(draw(st.lists(weekly(first), min_size=1, max_size=4))),
            busy=draw(spans(origin, 12)),
            session_starts=tuple(s.start for s in draw(spans(origin, 4))),
            max_sessions_per_day=draw(st.none() | st.integers(1, 3)),
        )
        for pk in draw(st.lists(st.integers(1, 50), min_size=1, max_size=3, unique=True))
    )
    opening = [
        WeeklyHours(w.weekday, w.start, w.end)
        for w in draw(st.lists(weekly(first), min_size=0, max_size=5))
    ]
    # Mostly open every day, so most draws do produce slots.
    if draw(st.booleans()):
        opening += [WeeklyHours(d, dt.time(0), dt.time(23, 55)) for d in range(7)]
    return AvailabilityRequest(
        zone=zone,
        first_day=first,
        last_day=last,
        service=ServiceTiming(
            draw(st.sampled_from([15, 30, 45, 60, 90])),
            draw(st.sampled_from([0, 0, 5, 15])),
            draw(st.sampled_from([0, 0, 10, 15])),
        ),
        step_minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 60, 45])),
        earliest=origin + dt.timedelta(minutes=15 * draw(st.integers(-10, 100))),
        latest=origin + dt.timedelta(minutes=15 * draw(st.integers(50, 600))),
        opening_hours=tuple(opening),
        therapists=therapists,
        closures=draw(spans(origin, 2)),
        rooms={room: draw(spans(origin, 8)) for room in range(1, draw(st.integers(0, 3)) + 1)},
    )


@settings(max_examples=400, deadline=None)
@given(requests())
def test_the_fast_engine_matches_the_obvious_one(request: AvailabilityRequest) -> None:
    assert compute_slots(request) == reference_slots(request)


def test_the_reference_sees_the_spring_gap() -> None:
    # A guard on the guard: the reference itself offers nothing at 02:30 on spring-forward day.
    zone = ZoneInfo("America/New_York")
    day = dt.date(2026, 3, 8)
    request = AvailabilityRequest(
        zone=zone,
        first_day=day,
        last_day=day,
        service=ServiceTiming(30),
        step_minutes=30,
        earliest=dt.datetime(2026, 1, 1, tzinfo=UTC),
        latest=dt.datetime(2027, 1, 1, tzinfo=UTC),
        opening_hours=(WeeklyHours(6, dt.time(0), dt.time(23, 0)),),
        therapists=(TherapistSchedule(1, (WeeklyHours(6, dt.time(1), dt.time(4)),)),),
        rooms={1: ()},
    )
    starts = [s.start.astimezone(zone).strftime("%H:%M") for s in reference_slots(request)]
    assert starts == ["01:00", "01:30", "03:00", "03:30"]
    assert compute_slots(request) == reference_slots(request)
