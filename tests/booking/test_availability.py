"""The pure availability engine: working hours minus busy time, in the location's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.availability import (
    AvailabilityRequest,
    Interval,
    ServiceTiming,
    TherapistSchedule,
    WeeklyHours,
    boundary_to_utc,
    compute_slots,
    free_room,
    local_to_utc,
    window_bounds,
)

NEW_YORK = ZoneInfo("America/New_York")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
MONDAY = dt.date(2026, 6, 1)
FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=UTC)
ROOM = {1: ()}


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def hours(day: dt.date, start: str, end: str, **kw) -> WeeklyHours:
    return WeeklyHours(weekday=day.weekday(), start=t(start), end=t(end), **kw)


def request(
    day: dt.date,
    *,
    zone: ZoneInfo = NEW_YORK,
    shift: tuple[str, str] = ("09:00", "12:00"),
    opening: tuple[str, str] = ("08:00", "19:00"),
    duration: int = 60,
    step: int = 15,
    busy: tuple[Interval, ...] = (),
    rooms: dict | None = None,
    last_day: dt.date | None = None,
    **kw,
) -> AvailabilityRequest:
    last_day = last_day or day
    days = [day + dt.timedelta(n) for n in range((last_day - day).days + 1)]
    therapist_kw = {k: kw.pop(k) for k in ("session_starts", "max_sessions_per_day") if k in kw}
    service = kw.pop("service", ServiceTiming(duration))
    earliest, latest = kw.pop("earliest", FAR_PAST), kw.pop("latest", FAR_FUTURE)
    closures = kw.pop("closures", ())
    only_weekday = kw.pop("only_weekday", None)
    if only_weekday is not None:
        days = [d for d in days if d.weekday() == only_weekday]
    return AvailabilityRequest(
        zone=zone,
        first_day=day,
        last_day=last_day,
        service=service,
        step_minutes=step,
        earliest=earliest,
        latest=latest,
        opening_hours=tuple({hours(d, *opening) for d in days}),
        therapists=(
            TherapistSchedule(
                therapist_id=7,
                hours=tuple({hours(d, *shift, **kw) for d in days}),
                busy=busy,
                **therapist_kw,
            ),
        ),
        closures=closures,
        rooms=ROOM if rooms is None else rooms,
    )


def local(day: dt.date, wall: str, zone: ZoneInfo = NEW_YORK) -> dt.datetime:
    return dt.datetime.combine(day, t(wall), tzinfo=zone)


def walls(slots, zone: ZoneInfo = NEW_YORK) -> list[str]:
    return [s.start.astimezone(zone).strftime("%H:%M") for s in slots]


def test_slots_step_through_the_shift_and_come_back_in_utc():
    slots = compute_slots(request(MONDAY))
    assert walls(slots) == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
        "10:00",
        "10:15",
        "10:30",
        "10:45",
        "11:00",
    ]
    first = slots[0]
    assert first.start.utcoffset() == dt.timedelta(0)
    assert first.start == dt.datetime(2026, 6, 1, 13, 0, tzinfo=UTC)  # EDT is UTC-4
    assert first.end - first.start == dt.timedelta(minutes=60)
    assert {s.therapist_id for s in slots} == {7}


def test_slot_step_is_a_setting():
    assert walls(compute_slots(request(MONDAY, step=30))) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
    ]


def test_opening_hours_cut_the_shift():
    slots = compute_slots(request(MONDAY, shift=("07:00", "10:00"), opening=("08:30", "19:00")))
    assert walls(slots) == ["08:30", "08:45", "09:00"]


def test_an_appointment_with_its_buffers_blocks_overlapping_starts():
    booked = ServiceTiming(60, 15, 15).occupied(local(MONDAY, "10:00"))  # 09:45-11:15 local
    slots = compute_slots(request(MONDAY, shift=("09:00", "13:00"), busy=(booked,)))
    # 09:00 would run into the 09:45 buffer; the first free start is after the 11:15 buffer.
    assert walls(slots) == ["11:15", "11:30", "11:45", "12:00"]


def test_new_service_buffers_must_also_be_free():
    booked = Interval(local(MONDAY, "10:00"), local(MONDAY, "11:00"))
    service = ServiceTiming(45, buffer_before_minutes=0, buffer_after_minutes=15)
    slots = compute_slots(
        request(MONDAY, shift=("09:00", "12:00"), busy=(booked,), service=service)
    )
    # 09:00 + 45 min + 15 min buffer ends exactly at 10:00: allowed; 09:15 would overlap.
    assert walls(slots) == ["09:00", "11:00", "11:15"]


def test_closures_and_time_off_remove_slots():
    closure = Interval(local(MONDAY, "00:00"), local(MONDAY, "10:30"))
    assert walls(compute_slots(request(MONDAY, closures=(closure,)))) == ["10:30", "10:45", "11:00"]
    time_off = Interval(local(MONDAY, "09:30"), local(MONDAY, "23:00"))
    assert walls(compute_slots(request(MONDAY, busy=(time_off,)))) == []


def test_room_occupancy_blocks_only_when_every_room_is_taken():
    taken = (Interval(local(MONDAY, "09:00"), local(MONDAY, "11:00")),)
    assert walls(compute_slots(request(MONDAY, rooms={1: taken}))) == ["11:00"]
    assert len(compute_slots(request(MONDAY, rooms={1: taken, 2: ()}))) == 9
    assert compute_slots(request(MONDAY, rooms={})) == []


def test_minimum_notice_and_horizon_limit_the_window():
    slots = compute_slots(
        request(MONDAY, earliest=local(MONDAY, "09:20"), latest=local(MONDAY, "10:30"))
    )
    assert walls(slots) == ["09:30", "09:45", "10:00", "10:15", "10:30"]


def test_shift_effective_dates_are_respected():
    next_monday = MONDAY + dt.timedelta(days=7)
    slots = compute_slots(request(MONDAY, last_day=next_monday, effective_from=next_monday))
    assert {s.start.astimezone(NEW_YORK).date() for s in slots} == {next_monday}
    slots = compute_slots(request(MONDAY, last_day=next_monday, effective_to=MONDAY))
    assert {s.start.astimezone(NEW_YORK).date() for s in slots} == {MONDAY}


def test_daily_session_cap_closes_the_day():
    starts = (local(MONDAY, "17:00"), local(MONDAY, "18:00"))
    assert compute_slots(request(MONDAY, session_starts=starts, max_sessions_per_day=2)) == []
    assert len(compute_slots(request(MONDAY, session_starts=starts, max_sessions_per_day=3))) == 9


def test_slots_are_sorted_by_start_then_therapist_over_days():
    fortnight = MONDAY + dt.timedelta(days=13)
    slots = compute_slots(request(MONDAY, last_day=fortnight, only_weekday=0))
    assert slots == sorted(slots)
    assert len(slots) == 2 * 9  # two Mondays in the fortnight
    assert len(compute_slots(request(MONDAY, last_day=fortnight))) == 14 * 9


def test_bad_step_is_refused():
    with pytest.raises(ValueError, match="step"):
        compute_slots(request(MONDAY, step=0))


# --- Daylight saving time -------------------------------------------------------------------

US_SPRING = dt.date(2026, 3, 8)  # 02:00 EST -> 03:00 EDT
US_AUTUMN = dt.date(2026, 11, 1)  # 02:00 EDT -> 01:00 EST
EU_SPRING = dt.date(2026, 3, 29)  # 02:00 CET -> 03:00 CEST
EU_AUTUMN = dt.date(2026, 10, 25)  # 03:00 CEST -> 02:00 CET


@pytest.mark.parametrize(
    ("zone", "day", "skipped_hour"), [(NEW_YORK, US_SPRING, 2), (AMSTERDAM, EU_SPRING, 2)]
)
def test_spring_forward_has_no_slot_at_a_time_that_does_not_exist(zone, day, skipped_hour):
    slots = compute_slots(
        request(day, zone=zone, shift=("00:00", "06:00"), opening=("00:00", "23:00"))
    )
    local_starts = [s.start.astimezone(zone) for s in slots]
    assert all(start.hour != skipped_hour for start in local_starts)
    # Every start is a real local time that maps back to itself.
    for slot in slots:
        assert local_to_utc(day, slot.start.astimezone(zone).time(), zone) == slot.start
    # 00:00..05:00 every 15 minutes is 21 wall-clock starts, four of which do not exist.
    assert len(slots) == 17
    assert walls(slots, zone)[-1] == "05:00"
    assert slots[-1].end.astimezone(zone).strftime("%H:%M") == "06:00"
    assert all(s.end - s.start == dt.timedelta(minutes=60) for s in slots)


@pytest.mark.parametrize(
    ("zone", "day", "repeated_hour", "first_offset"),
    [
        (NEW_YORK, US_AUTUMN, 1, dt.timedelta(hours=-4)),
        (AMSTERDAM, EU_AUTUMN, 2, dt.timedelta(hours=2)),
    ],
)
def test_fall_back_offers_the_repeated_hour_once(zone, day, repeated_hour, first_offset):
    slots = compute_slots(
        request(day, zone=zone, shift=("00:00", "05:00"), opening=("00:00", "23:00"))
    )
    local_walls = walls(slots, zone)
    assert len(local_walls) == len(set(local_walls))  # no local time doubled
    assert local_walls == [f"{h:02d}:{m:02d}" for h in range(5) for m in (0, 15, 30, 45)][:17]
    repeated = [s for s in slots if s.start.astimezone(zone).hour == repeated_hour]
    assert len(repeated) == 4
    assert all(s.start.astimezone(zone).utcoffset() == first_offset for s in repeated)
    # Lengths are real time; the last slot still ends at 05:00 local in the later offset.
    assert all(s.end - s.start == dt.timedelta(minutes=60) for s in slots)
    assert slots[-1].end.astimezone(zone).strftime("%H:%M") == "05:00"
    assert slots == sorted(slots)


@pytest.mark.parametrize(
    ("zone", "change_day"),
    [(NEW_YORK, US_SPRING), (NEW_YORK, US_AUTUMN), (AMSTERDAM, EU_SPRING), (AMSTERDAM, EU_AUTUMN)],
)
def test_late_afternoon_opening_hours_hold_on_both_sides_of_the_change(zone, change_day):
    before, after = change_day - dt.timedelta(days=1), change_day + dt.timedelta(days=1)
    req = request(
        before, zone=zone, shift=("15:00", "19:00"), opening=("08:00", "19:00"), last_day=after
    )
    slots = compute_slots(req)
    by_day: dict[dt.date, list] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(zone).date(), []).append(slot)
    assert set(by_day) == {before, change_day, after}
    for day, day_slots in by_day.items():
        assert walls(day_slots, zone)[0] == "15:00", day
        assert walls(day_slots, zone)[-1] == "18:00", day
        assert day_slots[-1].end.astimezone(zone).time() == dt.time(19, 0), day
        assert len(day_slots) == 13
    # Same local hours, different UTC instants: the offset changed by one hour.
    shift = (
        by_day[before][-1].start.astimezone(UTC).hour - by_day[after][-1].start.astimezone(UTC).hour
    )
    assert abs(shift) == 1


def test_a_shift_starting_inside_the_spring_gap_starts_when_the_clock_jumps():
    assert boundary_to_utc(US_SPRING, t("02:30"), NEW_YORK) == dt.datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )
    slots = compute_slots(request(US_SPRING, shift=("02:30", "05:00"), opening=("00:00", "23:00")))
    assert walls(slots)[0] == "03:00"


def test_autumn_window_is_measured_in_real_time():
    # 00:00-02:00 local on the autumn day lasts three real hours: a 90-minute session can
    # start at 01:00 (first occurrence) and end at 01:30 in the second occurrence.
    slots = compute_slots(
        request(US_AUTUMN, shift=("00:00", "02:00"), opening=("00:00", "23:00"), duration=90)
    )
    assert "01:00" in walls(slots)
    last = slots[-1]
    assert last.end <= boundary_to_utc(US_AUTUMN, t("02:00"), NEW_YORK)


def test_window_bounds_follow_local_midnight():
    bounds = window_bounds(US_SPRING, US_SPRING, NEW_YORK)
    assert bounds.start == dt.datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert bounds.end == dt.datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # a 23-hour day


def test_free_room_picks_the_lowest_free_room():
    span = Interval(local(MONDAY, "10:00"), local(MONDAY, "11:00"))
    rooms = {3: (), 2: (Interval(local(MONDAY, "10:30"), local(MONDAY, "12:00")),)}
    assert free_room(rooms, span) == 3
    assert free_room({2: rooms[2]}, span) is None
