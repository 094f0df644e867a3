"""Every refusal to book names its reason: its own ``code`` and message in the API's 409,
and alternatives at the location asked about, each saying where it is."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.models import Appointment
from tests.booking.factories import (
    RoomFactory,
    ServiceFactory,
    clinic_setup,
    open_every_day,
    work_every_day,
)
from tests.factories import LocationFactory
from therapists.models import Closure, Credential

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # 08:00 in New York


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic():
    location, service, team = clinic_setup(therapists=2)
    return location, service, team


def book(api, service, therapist, start, **extra):
    payload = {"service": service.pk, "therapist": therapist.pk, "start": start, **extra}
    return api.post("/api/v1/appointments/", payload, format="json")


@pytest.mark.parametrize(
    ("start", "code", "words"),
    [
        ("2026-05-31T10:00:00-04:00", "in_past", "already passed"),
        ("2026-06-01T16:00:00-04:00", "too_soon", "12 hours' notice"),
        ("2026-09-01T10:00:00-04:00", "beyond_horizon", "8 weeks ahead"),
        ("2026-06-03T07:00:00-04:00", "outside_hours", "does not start sessions"),
        ("2026-06-03T10:07:00-04:00", "outside_hours", "does not start sessions"),
    ],
)
def test_each_clock_reason_has_its_own_code(api_as, personas, clinic, start, code, words):
    _location, service, (therapist, _other) = clinic
    response = book(api_as(personas.client), service, therapist, start)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == code
    assert words in body["message"]
    assert "no longer available" not in body["message"]


def test_a_closed_clinic_says_so(api_as, personas, clinic):
    location, service, (therapist, _other) = clinic
    Closure.objects.create(
        location=location,
        starts_at=dt.datetime(2026, 6, 3, 0, 0, tzinfo=location.zone),
        ends_at=dt.datetime(2026, 6, 4, 0, 0, tzinfo=location.zone),
        reason="Holiday",
    )
    response = book(api_as(personas.client), service, therapist, "2026-06-03T10:00:00-04:00")
    assert response.json()["code"] == "clinic_closed"
    assert location.name in response.json()["message"]


def test_an_unbookable_therapist_is_therapist_unavailable(api_as, personas, clinic):
    _location, service, (therapist, _other) = clinic
    Credential.objects.filter(therapist=therapist).update(expires_on=dt.date(2026, 6, 2))
    response = book(api_as(personas.client), service, therapist, "2026-06-03T10:00:00-04:00")
    assert response.status_code == 409
    assert response.json()["code"] == "therapist_unavailable"


def test_a_taken_slot_is_slot_taken_with_alternatives_stating_their_location(
    api_as, personas, clinic
):
    location, service, (therapist, _other) = clinic
    start = "2026-06-03T10:00:00-04:00"
    assert book(api_as(personas.other_client), service, therapist, start).status_code == 201
    body = book(api_as(personas.client), service, therapist, start).json()
    assert body["code"] == "slot_taken"
    assert body["message"] == "That time is no longer available. Please choose another time."
    assert body["alternatives"]
    assert {(a["location"], a["location_name"]) for a in body["alternatives"]} == {
        (location.pk, location.name)
    }


def test_alternatives_are_at_the_location_asked_about(api_as, personas, clinic):
    location, service, (therapist, _other) = clinic
    elsewhere = LocationFactory(time_zone="America/New_York")
    RoomFactory(location=elsewhere)
    open_every_day(elsewhere, dt.time(8, 0), dt.time(19, 0))
    service.locations.add(elsewhere)
    therapist.locations.add(elsewhere)
    # Mornings at the first location, afternoons at the other one (weekday shifts).
    therapist.shifts.filter(location=location).update(ends_at=dt.time(12, 0))
    work_every_day(therapist, elsewhere, dt.time(13, 0), dt.time(17, 0))
    start = "2026-06-03T10:00:00-04:00"
    assert book(api_as(personas.other_client), service, therapist, start).status_code == 201
    body = book(api_as(personas.client), service, therapist, start, location=elsewhere.pk).json()
    assert body["code"] == "outside_hours"
    assert elsewhere.name in body["message"]
    assert {a["location"] for a in body["alternatives"]} == {elsewhere.pk}
    body = book(api_as(personas.client), service, therapist, start).json()
    assert body["code"] == "slot_taken"
    assert {a["location"] for a in body["alternatives"]} == {location.pk}


def test_a_client_cannot_be_in_two_places(api_as, personas, clinic):
    _location, service, (therapist, other) = clinic
    api = api_as(personas.client)
    assert book(api, service, therapist, "2026-06-03T10:00:00-04:00").status_code == 201
    response = book(api, service, other, "2026-06-03T10:30:00-04:00")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "client_overlap"
    assert body["message"].startswith("You already have an appointment from 10:00 to 11:00")
    for alternative in body["alternatives"]:
        start = dt.datetime.fromisoformat(alternative["start"])
        end = dt.datetime.fromisoformat(alternative["end"])
        assert end <= dt.datetime(2026, 6, 3, 10, 0, tzinfo=start.tzinfo) or start >= (
            dt.datetime(2026, 6, 3, 11, 0, tzinfo=start.tzinfo)
        )
    # Back to back is fine, and so is another client at the same time.
    assert book(api, service, other, "2026-06-03T11:00:00-04:00").status_code == 201
    assert Appointment.objects.filter(client=personas.client).count() == 2


def test_front_desk_gets_client_overlap_naming_the_client(api_as, personas, clinic):
    _location, service, (therapist, other) = clinic
    desk = api_as(personas.front_desk)
    first = book(desk, service, therapist, "2026-06-03T10:00:00-04:00", client=personas.client.pk)
    assert first.status_code == 201
    again = book(desk, service, other, "2026-06-03T10:00:00-04:00", client=personas.client.pk)
    assert again.json()["code"] == "client_overlap"
    assert again.json()["message"].startswith(f"{personas.client.get_full_name()} already has")


def test_moving_into_the_clients_other_appointment_is_client_overlap(api_as, personas, clinic):
    _location, service, (therapist, other) = clinic
    api = api_as(personas.client)
    book(api, service, therapist, "2026-06-03T10:00:00-04:00")
    moving = book(api, service, other, "2026-06-03T14:00:00-04:00").json()
    response = api.post(
        f"/api/v1/appointments/{moving['id']}/reschedule/",
        {"start": "2026-06-03T10:15:00-04:00"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "client_overlap"


def test_the_service_and_location_must_match(api_as, personas, clinic):
    _location, service, (therapist, _other) = clinic
    nowhere = LocationFactory()
    ServiceFactory(locations=[nowhere])
    response = book(
        api_as(personas.client), service, therapist, "2026-06-03T10:00:00-04:00",
        location=nowhere.pk,
    )  # fmt: skip
    assert response.status_code == 400
    assert "location" in response.json()["fields"]
