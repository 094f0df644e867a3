"""The front-desk board: who may see it, what it shows, and a query count flat in appointments."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.availability import Interval
from booking.board.layout import Frame, free_gaps
from tests.workspace.board_setup import busy_location
from therapists.models import Closure, TimeOff

pytestmark = pytest.mark.django_db


def _url(location, day, **extra):
    query = "&".join(
        f"{k}={v}" for k, v in {"location": location.slug, "day": day, **extra}.items()
    )
    return f"{reverse('booking:board')}?{query}"


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_board_is_for_front_desk_and_admins(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("booking:board")).status_code == 403


def test_anonymous_goes_to_login(client, db):
    response = client.get(reverse("booking:board"))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def _tomorrow():
    return timezone.localdate(timezone=ZoneInfo("America/New_York")) + dt.timedelta(days=1)


def test_day_board_query_count_does_not_grow_with_appointments(
    client, personas, django_assert_max_num_queries
):
    """15 therapists and 120 appointments cost the same queries as 15 therapists and 15."""
    small, day = busy_location(therapists=15, per_therapist=1)
    big, _ = busy_location(therapists=15, per_therapist=8, day=day)
    client.force_login(personas.front_desk)
    client.get(_url(small, day))  # warm up the session and the policy row
    with CaptureQueriesContext(connection) as few:
        response = client.get(_url(small, day))
    assert response.context["board"].days[0].appointment_count == 15
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(big, day))
    board = response.context["board"]
    assert len(board.days[0].columns) == 15
    assert board.days[0].appointment_count == 120
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(12):
        client.get(_url(big, day))


def test_board_shows_statuses_badges_gaps_time_off_and_closures(client, personas):
    # Tomorrow: the board offers no free time that has already passed.
    location, day = busy_location(therapists=2, per_therapist=2, day=_tomorrow())
    board_day = day
    first = location.shifts.order_by("therapist_id").first().therapist
    start = dt.datetime.combine(day, dt.time(14), tzinfo=location.zone)
    TimeOff.objects.create(therapist=first, starts_at=start, ends_at=start + dt.timedelta(hours=1),
                           kind="admin", reason="Meeting")  # fmt: skip
    Closure.objects.create(location=location, starts_at=start + dt.timedelta(hours=3),
                           ends_at=start + dt.timedelta(hours=4), reason="Fire drill")  # fmt: skip
    client.force_login(personas.front_desk)
    response = client.get(_url(location, board_day))
    page = response.content.decode()
    for text in (
        "Booked",
        "Checked in",
        "intake missing",
        "Free 10:00",
        "Admin time",
        "Fire drill",
    ):
        assert text in page
    # front desk never sees intake answers or notes on the board
    assert "pain" not in page.lower()
    rooms = client.get(_url(location, board_day, mode="rooms")).content.decode()
    assert "Room" in rooms
    week = client.get(_url(location, board_day, view="week"))
    assert len(week.context["board"].days) == 7


def test_htmx_board_request_gets_the_fragment_only(client, personas):
    location, day = busy_location(therapists=1, per_therapist=1)
    client.force_login(personas.front_desk)
    response = client.get(
        _url(location, day), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board-region"
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="board-region"' in response.content


def test_free_gaps_skip_busy_time_and_short_gaps():
    base = dt.datetime(2026, 3, 8, 13, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    shift = [Interval(base, base + 8 * hour)]
    busy = [
        Interval(base + hour, base + 2 * hour),
        Interval(base + 2 * hour + dt.timedelta(minutes=15), base + 3 * hour),
    ]
    gaps = free_gaps(shift, busy)
    assert gaps == [Interval(base, base + hour), Interval(base + 3 * hour, base + 8 * hour)]


def test_frame_of_a_dst_day_is_longer_and_places_blocks_by_real_time():
    import zoneinfo

    zone = zoneinfo.ZoneInfo("America/New_York")
    spring = Frame.for_day(dt.date(2026, 3, 8), zone, 0, 23)
    assert spring.end - spring.start == dt.timedelta(hours=22)  # 02:00-03:00 does not exist
    autumn = Frame.for_day(dt.date(2026, 11, 1), zone, 0, 23)
    assert autumn.end - autumn.start == dt.timedelta(hours=24)


def test_free_time_stops_when_the_location_closes(client, personas):
    """A shift past closing time shows free time only while the doors are open."""
    from clinic.models import OpeningHours

    location, day = busy_location(therapists=1, per_therapist=0, day=_tomorrow())
    OpeningHours.objects.filter(location=location, weekday=day.weekday()).update(
        opens=dt.time(9, 0), closes=dt.time(13, 0)
    )
    client.force_login(personas.front_desk)
    response = client.get(_url(location, day))
    (column,) = response.context["board"].days[0].columns
    gaps = [b for b in column.blocks if b.kind == "gap"]
    assert [
        (g.start.astimezone(location.zone).time(), g.end.astimezone(location.zone).time())
        for g in gaps
    ] == [(dt.time(9, 0), dt.time(13, 0))]
