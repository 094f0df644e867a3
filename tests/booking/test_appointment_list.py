"""The staff appointment list: a client column, filters by day, therapist and status, sorting."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import AppointmentStatus
from tests.booking.factories import AppointmentFactory, TherapistProfileFactory, clinic_setup

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(personas):
    location, service, (mine,) = clinic_setup()
    mine.user = personas.therapist
    mine.save()
    theirs = TherapistProfileFactory(
        user=personas.other_therapist, display_name="Zed Other", locations=[location]
    )
    room = location.rooms.first()
    personas.client.last_name = "Able"
    personas.client.save()
    personas.other_client.last_name = "Zimmer"
    personas.other_client.save()

    def visit(client, therapist, day, hour, status=AppointmentStatus.BOOKED):
        start = dt.datetime(2026, 6, day, hour, tzinfo=location.zone)
        return AppointmentFactory(
            client=client,
            therapist=therapist,
            service=service,
            location=location,
            room=room,
            starts_at=start,
            status=status,
        )

    return {
        "early": visit(personas.client, mine, 3, 9),
        # 23:00 in New York on 3 June is already 4 June in UTC: still a 3 June visit.
        "late_evening": visit(personas.other_client, theirs, 3, 23),
        "next_day": visit(personas.other_client, mine, 4, 10, AppointmentStatus.REQUESTED),
        "location": location,
        "mine": mine,
        "theirs": theirs,
    }


def _pks(response):
    return [a.pk for a in response.context["appointments"]]


def test_front_desk_sees_a_client_column(client, personas, world):
    client.force_login(personas.front_desk)
    response = client.get("/booking/appointments/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<th scope="col">Client</th>' in body
    assert personas.other_client.get_full_name() in body


def test_a_client_sees_no_client_column_and_no_filters(client, personas, world):
    client.force_login(personas.client)
    body = client.get("/booking/appointments/").content.decode()
    assert '<th scope="col">Client</th>' not in body
    assert 'name="status"' not in body


def test_filter_by_local_day_uses_the_location_zone(client, personas, world):
    client.force_login(personas.front_desk)
    response = client.get(
        "/booking/appointments/", {"day_from": "2026-06-03", "day_to": "2026-06-03"}
    )
    assert set(_pks(response)) == {world["early"].pk, world["late_evening"].pk}
    response = client.get("/booking/appointments/", {"day_from": "2026-06-04"})
    assert _pks(response) == [world["next_day"].pk]


def test_filter_by_therapist_and_status(client, personas, world):
    client.force_login(personas.front_desk)
    response = client.get("/booking/appointments/", {"therapist": world["mine"].pk})
    assert _pks(response) == [world["early"].pk, world["next_day"].pk]
    response = client.get("/booking/appointments/", {"status": "requested"})
    assert _pks(response) == [world["next_day"].pk]


def test_sort_by_client_and_latest_first(client, personas, world):
    client.force_login(personas.front_desk)
    response = client.get("/booking/appointments/", {"sort": "-when"})
    assert _pks(response) == [world["next_day"].pk, world["late_evening"].pk, world["early"].pk]
    response = client.get("/booking/appointments/", {"sort": "client"})
    assert _pks(response)[0] == world["early"].pk  # Able before Zimmer


def test_therapist_sees_own_clients_only_and_has_no_therapist_filter(client, personas, world):
    client.force_login(personas.therapist)
    response = client.get("/booking/appointments/")
    assert set(_pks(response)) == {world["early"].pk, world["next_day"].pk}
    assert 'name="therapist"' not in response.content.decode()
    # Naming another therapist changes nothing: the field is not there to widen the scope.
    response = client.get("/booking/appointments/", {"therapist": world["theirs"].pk})
    assert world["late_evening"].pk not in _pks(response)


@pytest.mark.parametrize(
    "query",
    [
        {"day_from": "yesterday"},
        {"day_from": "2026-06-05", "day_to": "2026-06-01"},
        {"therapist": "999999"},
        {"therapist": "x"},
        {"status": "lost"},
        {"sort": "starts_at; drop"},
    ],
)
def test_bad_filters_give_a_form_error_not_a_500(client, personas, world, query):
    client.force_login(personas.front_desk)
    response = client.get("/booking/appointments/", query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()


def test_labelled_controls_and_filters_kept_across_pages(client, personas, world):
    client.force_login(personas.front_desk)
    for day in range(5, 30):
        for hour in (9, 11, 13):
            AppointmentFactory(
                client=personas.client,
                therapist=world["mine"],
                service=world["early"].service,
                location=world["location"],
                room=world["early"].room,
                starts_at=dt.datetime(2026, 6, day, hour, tzinfo=world["location"].zone),
            )
    response = client.get("/booking/appointments/", {"status": "booked", "sort": "-when"})
    body = response.content.decode()
    for name in ("day_from", "day_to", "therapist", "status", "sort"):
        assert f'for="id_{name}"' in body
    assert len(response.context["appointments"]) == 50
    assert "status=booked&amp;sort=-when&amp;page=2" in body
    second = client.get("/booking/appointments/", {"status": "booked", "sort": "-when", "page": 2})
    assert second.status_code == 200
    assert {a.status for a in second.context["appointments"]} == {"booked"}


def test_filtered_list_query_count_does_not_grow_with_rows(
    client, personas, world, django_assert_max_num_queries
):
    client.force_login(personas.front_desk)
    query = {"day_from": "2026-06-01", "day_to": "2026-06-30", "sort": "client"}
    with CaptureQueriesContext(connection) as few:
        assert client.get("/booking/appointments/", query).status_code == 200
    for day in range(10, 20):
        AppointmentFactory(
            client=personas.other_client,
            therapist=world["theirs"],
            service=world["early"].service,
            location=world["location"],
            room=world["early"].room,
            starts_at=dt.datetime(2026, 6, day, 10, tzinfo=world["location"].zone),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/booking/appointments/", query)
    assert len(response.context["appointments"]) == 13
    # Filtering by a therapist reads that therapist once more; still a fixed number.
    with django_assert_max_num_queries(8):
        client.get("/booking/appointments/", {**query, "therapist": world["theirs"].pk})
    assert len(many.captured_queries) == len(few.captured_queries)
