"""Bad input to the booking API is a 400 naming the field, never a 500 or a wrong booking."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from booking.models import Appointment
from tests.booking.factories import clinic_setup

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
START = "2026-06-03T10:00:00-04:00"


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic():
    location, service, (therapist,) = clinic_setup()
    return location, service, therapist


def _book(api, body: str):
    return api.post("/api/v1/appointments/", body, content_type="application/json")


@pytest.mark.parametrize(
    "therapist", ["1.5", "1e400", '"1"', "true", "99999999999999999999999", "-1", "[1]"]
)
def test_a_therapist_id_that_is_not_a_whole_number_books_nothing(
    api_as, personas, clinic, therapist
):
    _location, service, _real = clinic
    body = f'{{"service": {service.pk}, "therapist": {therapist}, "start": "{START}"}}'
    response = _book(api_as(personas.client), body)
    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert "therapist" in fields or response.json()["code"] == "parse_error"
    assert not Appointment.objects.exists()


def test_a_therapist_id_written_with_a_fraction_is_refused_even_when_it_matches(
    api_as, personas, clinic
):
    _location, service, therapist = clinic
    body = f'{{"service": {service.pk}, "therapist": {therapist.pk}.5, "start": "{START}"}}'
    response = _book(api_as(personas.client), body)
    assert response.status_code == 400
    assert "therapist" in response.json()["fields"]


@pytest.mark.parametrize("start", [START + "\\u0000", "\\u00002026-06-03T10:00:00-04:00"])
def test_a_start_with_a_nul_is_refused(api_as, personas, clinic, start):
    _location, service, therapist = clinic
    body = f'{{"service": {service.pk}, "therapist": {therapist.pk}, "start": "{start}"}}'
    response = _book(api_as(personas.client), body)
    assert response.status_code == 400
    assert "start" in response.json()["fields"]
    assert not Appointment.objects.exists()


def test_a_well_formed_booking_still_books(api_as, personas, clinic):
    _location, service, therapist = clinic
    body = json.dumps({"service": service.pk, "therapist": therapist.pk, "start": START})
    assert _book(api_as(personas.client), body).status_code == 201


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        ("9999-12-30", "9999-12-31", "from"),
        ("0001-01-01", "0001-01-02", "from"),
        ("0001-01-01", "0001-01-01", "to"),
        ("2026-06-03", "2026-09-30", "to"),
        ("2025-01-01", "2025-01-02", "from"),
    ],
)
def test_dates_outside_the_booking_horizon_are_400_with_a_message(
    api_client, clinic, first, last, field
):
    location, service, _therapist = clinic
    response = api_client.get(
        "/api/v1/availability/",
        {"service": service.pk, "location": location.pk, "from": first, "to": last},
    )
    assert response.status_code == 400
    body = response.json()
    assert "bookings open 8 weeks ahead" in body["fields"][field][0]


def test_availability_query_ids_may_be_digits_but_not_fractions(api_client, clinic):
    location, service, _therapist = clinic
    params = {"location": location.pk, "from": "2026-06-03", "to": "2026-06-04"}
    assert (
        api_client.get("/api/v1/availability/", {**params, "service": service.pk}).status_code
        == 200
    )
    response = api_client.get("/api/v1/availability/", {**params, "service": f"{service.pk}.0"})
    assert response.status_code == 400
    assert "service" in response.json()["fields"]
    response = api_client.get("/api/v1/availability/", {**params, "service": "9" * 30})
    assert response.status_code == 400
