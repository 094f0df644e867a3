"""Slots per second of the pure availability engine: 20 therapists x 28 days (no database).

Run: .venv/bin/python bench/availability_bench.py
"""

from __future__ import annotations

import datetime as dt
import pathlib
import random
import statistics
import sys
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from booking.availability import (
    AvailabilityRequest,
    Interval,
    ServiceTiming,
    TherapistSchedule,
    WeeklyHours,
    compute_slots,
)

ZONE = ZoneInfo("America/New_York")
FIRST = dt.date(2026, 3, 2)  # the window crosses the spring-forward Sunday
DAYS, THERAPISTS, ROOMS = 28, 20, 6


def build(seed: int = 1) -> AvailabilityRequest:
    rng = random.Random(seed)
    therapists = []
    for pk in range(1, THERAPISTS + 1):
        hours = tuple(WeeklyHours(d, dt.time(8 + pk % 3), dt.time(16 + pk % 3)) for d in range(6))
        busy = []
        for day in range(DAYS):
            for _ in range(3):
                start = dt.datetime.combine(
                    FIRST + dt.timedelta(days=day), dt.time(rng.randrange(8, 17)), tzinfo=ZONE
                )
                busy.append(Interval(start, start + dt.timedelta(minutes=75)))
        therapists.append(
            TherapistSchedule(pk, hours, tuple(busy), tuple(b.start for b in busy), 8)
        )
    return AvailabilityRequest(
        zone=ZONE,
        first_day=FIRST,
        last_day=FIRST + dt.timedelta(days=DAYS - 1),
        service=ServiceTiming(60, 0, 15),
        step_minutes=15,
        earliest=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        latest=dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
        opening_hours=tuple(WeeklyHours(d, dt.time(7), dt.time(20)) for d in range(7)),
        therapists=tuple(therapists),
        rooms={r: () for r in range(1, ROOMS + 1)},
    )


def main() -> None:
    request = build()
    runs = []
    for _ in range(7):
        began = time.perf_counter()
        slots = compute_slots(request)
        runs.append(time.perf_counter() - began)
    median = statistics.median(runs)
    print(f"{THERAPISTS} therapists x {DAYS} days: {len(slots)} open slots")
    print(f"median {median * 1000:.1f} ms per window; {len(slots) / median:,.0f} slots/s")


if __name__ == "__main__":
    main()
