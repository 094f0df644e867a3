"""The client's booking calendar: days with openings from one computation, the day's times by
part of the day in the location's zone, "first available", and the same answer on the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from booking import openings
from booking.scheduling import appointment_book
from clinic.models import ClinicPolicy
from intake.gate import BookingGate
from tests.booking.factories import (
    TherapistProfileFactory,
    clinic_setup,
    work_every_day,
)
from therapists.models import Shift

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York
FIND = "/booking/find/"


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(personas):
    location, service, (therapist,) = clinic_setup()
    therapist.user = personas.therapist
    therapist.save()
    return location, service, therapist


def _times(response):
    return [row["choice"] for part in response.context["day_parts"] for row in part["rows"]]


def _cells(response):
    return {cell["date"]: cell for week in response.context["weeks"] for cell in week if cell}


def test_days_with_openings_are_links_with_names_and_the_chosen_day_is_current(
    client, personas, clinic
):
    _location, service, _therapist = clinic
    client.force_login(personas.client)
    response = client.get(FIND, {"service": service.pk, "day": "2026-06-04"})
    assert response.status_code == 200
    page = response.content.decode()
    cells = _cells(response)
    # Today (Monday) is inside the 12-hour notice until 20:00, after the last shift: no opening.
    assert cells[dt.date(2026, 6, 1)]["openings"] == 0
    assert cells[dt.date(2026, 6, 4)]["openings"] == 29  # 09:00 .. 16:00 every 15 minutes
    assert "Thursday 4 June, 29 openings" in page
    assert re.search(r'<a href="[^"]*day=2026-06-04"[^>]*aria-current="date"', page)
    # A day without openings is text, not a link or a button: nothing to tab to.
    assert "Monday 1 June, no openings" in page
    assert 'day=2026-06-01"' not in page
    assert '<th scope="col"><abbr title="Monday">' in page


def test_the_days_times_are_grouped_by_part_of_day_in_the_locations_zone(client, personas):
    location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
    Shift.objects.filter(therapist=therapist).update(starts_at=dt.time(8), ends_at=dt.time(19))
    client.force_login(personas.client)
    response = client.get(FIND, {"service": service.pk, "day": "2026-06-03"})
    parts = {part["key"]: part["rows"] for part in response.context["day_parts"]}
    assert list(parts) == ["morning", "afternoon", "evening"]
    assert parts["morning"][0]["choice"].local.strftime("%H:%M") == "08:00"
    assert parts["afternoon"][0]["choice"].local.strftime("%H:%M") == "12:00"
    assert parts["evening"][-1]["choice"].local.strftime("%H:%M") == "18:00"
    assert parts["morning"][0]["choice"].local.utcoffset() == dt.timedelta(hours=2)
    page = response.content.decode()
    assert ">Morning</h3>" in page
    assert ">Evening</h3>" in page
    # Each time links to the confirm page with its own therapist, start and location.
    url = parts["morning"][0]["url"]
    assert url.startswith("/booking/confirm/?")
    assert f"therapist={therapist.pk}" in url
    assert f"location={location.pk}" in url


@pytest.mark.parametrize("more_therapists", [0, 3])
def test_one_availability_computation_for_the_whole_month(
    client, personas, clinic, monkeypatch, django_assert_max_num_queries, more_therapists
):
    location, service, _therapist = clinic
    for _ in range(more_therapists):
        work_every_day(TherapistProfileFactory(locations=[location]), location)
    calls = []
    real = openings.open_slots

    def counting(**kwargs):
        calls.append((kwargs["first_day"], kwargs["last_day"]))
        return real(**kwargs)

    monkeypatch.setattr(openings, "open_slots", counting)
    client.force_login(personas.client)
    # The same number of queries whatever the number of therapists or days shown.
    with django_assert_max_num_queries(32):
        response = client.get(FIND, {"service": service.pk, "month": "2026-06"})
    assert response.status_code == 200
    assert calls == [(dt.date(2026, 6, 1), dt.date(2026, 6, 30))]
    # A month whose days are all out of reach shows none as bookable.
    calls.clear()
    client.get(FIND, {"service": service.pk, "month": "2026-07"})
    assert calls == [(dt.date(2026, 6, 1), dt.date(2026, 7, 27))]  # the 8-week horizon


def test_the_card_next_opening_is_the_first_time_shown(client, personas, clinic):
    location, service, therapist = clinic
    # The therapist works only on Thursdays: the card and the calendar must both say so.
    Shift.objects.filter(therapist=therapist).exclude(weekday=3).delete()
    client.force_login(personas.client)
    response = client.get(FIND, {"service": service.pk, "therapist": therapist.pk})
    match = response.context["matches"][0]
    first = _times(response)[0]
    assert first.local == match.openings[0].start_local
    assert any(
        reason == f"next opening {first.local:%a %H:%M} at {location.name}"
        for reason in match.reasons
    )
    assert response.context["day"] == dt.date(2026, 6, 4)


def test_first_available_jumps_to_the_soonest_day_even_in_a_later_month(client, personas, clinic):
    _location, service, therapist = clinic
    Shift.objects.filter(therapist=therapist).update(effective_from=dt.date(2026, 7, 8))
    client.force_login(personas.client)
    june = client.get(FIND, {"service": service.pk})
    assert june.context["month_openings"] == 0
    assert june.context["day"] is None
    assert f'href="{june.context["first_url"].replace("&", "&amp;")}"' in june.content.decode()
    first = client.get(june.context["first_url"], HTTP_HX_REQUEST="true")
    assert first.context["day"] == dt.date(2026, 7, 8)
    assert first.context["month"] == dt.date(2026, 7, 1)
    assert first["HX-Push-Url"].endswith("month=2026-07&day=2026-07-08")


def test_first_available_says_so_when_nothing_is_open_within_the_horizon(client, personas, clinic):
    _location, service, therapist = clinic
    Shift.objects.filter(therapist=therapist).update(effective_from=dt.date(2027, 1, 1))
    client.force_login(personas.client)
    response = client.get(FIND, {"service": service.pk, "first": "1"})
    assert response.context["day"] is None
    assert "No openings in the next 8 weeks." in response.content.decode()
    assert "Join the waitlist" in response.content.decode()


def test_anyone_offers_each_time_once_and_a_named_therapist_only_theirs(client, personas, clinic):
    location, service, therapist = clinic
    other = TherapistProfileFactory(locations=[location], display_name="Ola Other")
    work_every_day(other, location, start=dt.time(13), end=dt.time(18))
    client.force_login(personas.client)
    anyone = _times(client.get(FIND, {"service": service.pk, "day": "2026-06-04"}))
    starts = [c.local for c in anyone]
    assert len(starts) == len(set(starts))
    assert starts[-1].strftime("%H:%M") == "17:00"  # only Ola works that late
    named = client.get(
        FIND, {"service": service.pk, "therapist": therapist.pk, "day": "2026-06-04"}
    )
    assert {c.therapist_id for c in _times(named)} == {therapist.pk}
    assert _times(named)[-1].local.strftime("%H:%M") == "16:00"


def test_times_overlapping_the_clients_own_appointment_are_not_offered(client, personas, clinic):
    location, service, therapist = clinic
    other = TherapistProfileFactory(locations=[location])
    work_every_day(other, location)
    appointment_book(
        client=personas.client,
        service=service,
        therapist=other,
        start=dt.datetime(2026, 6, 4, 10, 0, tzinfo=location.zone),
        actor=personas.client,
    )
    client.force_login(personas.client)
    response = client.get(
        FIND, {"service": service.pk, "therapist": therapist.pk, "day": "2026-06-04"}
    )
    offered = {c.local.strftime("%H:%M") for c in _times(response)}
    assert "09:00" in offered
    assert not offered & {"09:15", "09:30", "10:00", "10:45"}
    assert "11:00" in offered


@pytest.mark.parametrize(
    "query",
    [
        {"service": "abc"},
        {"service": "{service}", "month": "2026-13"},
        {"service": "{service}", "day": "tomorrow"},
        {"service": "{service}", "location": "999999"},
        {"service": "{service}", "therapist": "1.5"},
    ],
)
def test_bad_calendar_input_is_a_400_with_the_field_named(client, personas, clinic, query):
    _location, service, _therapist = clinic
    client.force_login(personas.client)
    query = {k: v.format(service=service.pk) for k, v in query.items()}
    response = client.get(FIND, query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "That choice is not valid any more." in response.content.decode()


def test_far_months_are_brought_within_reach(client, personas, clinic):
    _location, service, _therapist = clinic
    client.force_login(personas.client)
    far = client.get(FIND, {"service": service.pk, "month": "9999-12"})
    assert far.status_code == 200
    assert far.context["month"] == dt.date(2026, 7, 1)
    assert far.context["next_url"] == ""
    past = client.get(FIND, {"service": service.pk, "month": "0001-01"})
    assert past.context["month"] == dt.date(2026, 6, 1)
    assert past.context["previous_url"] == ""


def test_a_chosen_location_narrows_the_calendar_and_any_names_each_place(client, personas, clinic):
    location, service, _therapist = clinic
    second, _service2, (far_away,) = clinic_setup()
    service.locations.add(second)
    Shift.objects.filter(therapist=far_away).update(starts_at=dt.time(17), ends_at=dt.time(19))
    client.force_login(personas.client)
    anywhere = client.get(FIND, {"service": service.pk, "day": "2026-06-04"})
    assert {c.location.pk for c in _times(anywhere)} == {location.pk, second.pk}
    assert f"· {second.name}" in anywhere.content.decode()
    there = client.get(FIND, {"service": service.pk, "location": second.pk, "day": "2026-06-04"})
    assert {c.location.pk for c in _times(there)} == {second.pk}
    assert {c.therapist_id for c in _times(there)} == {far_away.pk}


# --- the API's days with openings ---------------------------------------------------------


def test_api_days_agree_with_the_calendar(client, api_client, personas, clinic):
    location, service, _therapist = clinic
    response = api_client.get(
        "/api/v1/availability/days/",
        {
            "service": service.pk,
            "location": location.pk,
            "start": "2026-06-01",
            "end": "2026-06-07",
        },
    )
    assert response.status_code == 200
    days = response.json()["days"]
    assert [d["date"] for d in days] == [f"2026-06-0{n}" for n in range(2, 8)]
    assert days[0] == {
        "date": "2026-06-02",
        "openings": 29,
        "first_start": "2026-06-02T09:00:00-04:00",
    }
    client.force_login(personas.client)
    page = client.get(FIND, {"service": service.pk, "location": location.pk, "month": "2026-06"})
    cells = _cells(page)
    for day in days:
        assert cells[dt.date.fromisoformat(day["date"])]["openings"] == day["openings"]


def test_api_days_for_one_therapist(api_client, clinic):
    location, service, therapist = clinic
    Shift.objects.filter(therapist=therapist).exclude(weekday=3).delete()
    response = api_client.get(
        "/api/v1/availability/days/",
        {
            "service": service.pk,
            "location": location.pk,
            "therapist": therapist.pk,
            "start": "2026-06-01",
            "end": "2026-06-30",
        },
    )
    assert [d["date"] for d in response.json()["days"]] == [
        "2026-06-04",
        "2026-06-11",
        "2026-06-18",
        "2026-06-25",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2026-06-10", "end": "2026-06-09"}, "end"),
        ({"start": "2026-06-01", "end": "2026-08-05", "too_long": True}, "end"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "start"),
        ({"start": "2026-06-01T00:00"}, "start"),
        ({"end": ""}, "end"),
        ({"location": "abc"}, "location"),
        ({"service": "1e400"}, "service"),
    ],
)
def test_api_days_refuses_bad_ranges_with_the_field_named(api_client, clinic, change, field):
    location, service, _therapist = clinic
    if change.pop("too_long", False):
        policy = ClinicPolicy.load()
        policy.booking_horizon_weeks = 20
        policy.save()
    query = {
        "service": service.pk,
        "location": location.pk,
        "start": "2026-06-01",
        "end": "2026-06-07",
    }
    response = api_client.get("/api/v1/availability/days/", {**query, **change})
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_the_days_endpoint_is_in_the_openapi_document(api_client):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/availability/days/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "service",
        "location",
        "therapist",
        "start",
        "end",
    }
    assert "400" in operation["responses"]


def test_reverse_names_the_days_endpoint():
    assert reverse("api:availability-days") == "/api/v1/availability/days/"


# --- reschedule: only times the move accepts, and a question before moving ---------------


def _book(personas, service, therapist, start):
    return appointment_book(
        client=personas.client, service=service, therapist=therapist, start=start,
        actor=personas.client,
    )  # fmt: skip


def test_reschedule_offers_its_own_hour_and_not_the_clients_other_appointment(
    client, personas, clinic
):
    location, service, therapist = clinic
    other = TherapistProfileFactory(locations=[location])
    work_every_day(other, location)
    moving = _book(personas, service, therapist, dt.datetime(2026, 6, 5, 10, tzinfo=location.zone))
    _book(personas, service, other, dt.datetime(2026, 6, 5, 14, tzinfo=location.zone))
    client.force_login(personas.client)
    offered = client.get(f"/booking/appointments/{moving.pk}/reschedule/").context["slots"]
    on_friday = {c.local.strftime("%H:%M") for c in offered if c.day == dt.date(2026, 6, 5)}
    assert "10:15" in on_friday  # overlaps only the appointment being moved
    assert "10:00" not in on_friday  # where it already is
    assert not on_friday & {"13:15", "13:30", "14:00", "14:45"}  # the client is busy
    refused = client.get(
        f"/booking/appointments/{moving.pk}/reschedule/",
        {"start": dt.datetime(2026, 6, 5, 14, tzinfo=location.zone).isoformat()},
    )
    assert refused.status_code == 400
    assert "That time is not free any more." in refused.content.decode()


def test_moving_into_the_cutoff_is_warned_before_it_is_done(client, personas, clinic):
    location, service, therapist = clinic
    policy = ClinicPolicy.load()
    policy.cancellation_cutoff_hours = 48
    policy.save()
    moving = _book(personas, service, therapist, dt.datetime(2026, 6, 5, 10, tzinfo=location.zone))
    client.force_login(personas.client)
    url = f"/booking/appointments/{moving.pk}/reschedule/"
    soon = dt.datetime(2026, 6, 2, 9, tzinfo=location.zone)  # 25 hours away
    question = client.get(url, {"start": soon.isoformat()})
    assert question.status_code == 200
    page = question.content.decode()
    assert 'id="late-warning"' in page
    assert "less than 48 hours away" in page
    assert "up to 48 hours before your appointment" in page
    later = client.get(url, {"start": dt.datetime(2026, 6, 8, 9, tzinfo=location.zone).isoformat()})
    assert 'id="late-warning"' not in later.content.decode()
    moving.refresh_from_db()
    assert moving.local_start.day == 5
    assert client.get(url, {"start": "not a time"}).status_code == 400


def test_reschedule_opens_on_the_appointments_day_as_a_calendar(
    client, personas, clinic, django_assert_max_num_queries
):
    location, service, therapist = clinic
    moving = _book(personas, service, therapist, dt.datetime(2026, 7, 9, 10, tzinfo=location.zone))
    client.force_login(personas.client)
    url = f"/booking/appointments/{moving.pk}/reschedule/"
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.context["month"] == dt.date(2026, 7, 1)
    assert page.context["day"] == dt.date(2026, 7, 9)
    assert "Thursday 9 July, 28 openings" in page.content.decode()  # 29 less its own hour
    times = [row["url"] for part in page.context["day_parts"] for row in part["rows"]]
    assert times[0].startswith(f"{url}?start=2026-07-09T09")
    other = client.get(url, {"month": "2026-06", "day": "2026-06-10"})
    assert other.context["day"] == dt.date(2026, 6, 10)
    for junk in ({"month": "9999-99"}, {"day": "x"}, {"month": "0001-01"}):
        assert client.get(url, junk).status_code == 200


def test_a_service_offered_nowhere_says_so(client, personas, clinic):
    location, service, _therapist = clinic
    location.is_active = False
    location.save()
    client.force_login(personas.client)
    response = client.get(FIND, {"service": service.pk})
    assert response.status_code == 200
    assert "not offered online at any location" in response.content.decode()


def test_reschedule_offers_nothing_when_the_intake_gate_refuses_booking(
    client, personas, clinic, monkeypatch
):
    location, service, therapist = clinic
    moving = _book(personas, service, therapist, dt.datetime(2026, 6, 5, 10, tzinfo=location.zone))
    monkeypatch.setattr(
        "booking.views.appointments.booking_gate_for", lambda c: BookingGate.EMERGENCY
    )
    client.force_login(personas.client)
    url = f"/booking/appointments/{moving.pk}/reschedule/"
    page = client.get(url)
    assert page.context["slots"] == []
    assert "emergency" in page.content.decode().lower()
    later = dt.datetime(2026, 6, 8, 9, tzinfo=location.zone)
    assert client.get(url, {"start": later.isoformat()}).status_code == 400
