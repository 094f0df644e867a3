"""The booking API contract: shapes, status codes, errors naming the bad parameter, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Appointment, AppointmentStatus
from booking.scheduling import appointment_book
from clinic.models import ClinicPolicy
from clinic.schedule_cache import schedule_forget
from tests.booking.factories import TherapistProfileFactory, clinic_setup, work_every_day

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic():
    location, service, (therapist,) = clinic_setup()
    return location, service, therapist


def local(location, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=location.zone)


def availability(api, **params):
    return api.get("/api/v1/availability/", params)


def test_availability_is_public_sorted_and_in_local_offsets(api_client, clinic):
    location, service, therapist = clinic
    response = availability(
        api_client,
        service=service.pk,
        location=location.pk,
        **{"from": "2026-06-03", "to": "2026-06-04"},
    )
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert slots[0] == {
        "therapist": therapist.pk,
        "start": "2026-06-03T09:00:00-04:00",
        "end": "2026-06-03T10:00:00-04:00",
    }
    starts = [dt.datetime.fromisoformat(s["start"]) for s in slots]
    assert starts == sorted(starts)
    assert len(slots) == 2 * 29  # 09:00..16:00 every 15 minutes, two days


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"location": "L", "from": "2026-06-03", "to": "2026-06-04"}, "service"),
        ({"service": "S", "location": "999", "from": "2026-06-03", "to": "2026-06-04"}, "location"),
        ({"service": "S", "location": "L", "from": "03/06/2026", "to": "2026-06-04"}, "from"),
        ({"service": "S", "location": "L", "from": "2026-06-03", "to": "tomorrow"}, "to"),
        ({"service": "S", "location": "L", "from": "2026-06-05", "to": "2026-06-04"}, "to"),
        ({"service": "S", "location": "L", "from": "2026-06-03", "to": "2026-12-04"}, "to"),
        (
            {
                "service": "S",
                "location": "L",
                "from": "2026-06-03",
                "to": "2026-06-04",
                "therapist": "x",
            },
            "therapist",
        ),
    ],
)
def test_bad_availability_parameters_are_400_naming_the_parameter(
    api_client, clinic, params, field
):
    location, service, _therapist = clinic
    params = {k: {"S": str(service.pk), "L": str(location.pk)}.get(v, v) for k, v in params.items()}
    response = availability(api_client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_availability_query_count_does_not_grow_with_days_or_therapists(
    api_client, django_assert_num_queries
):
    location, service, _team = clinic_setup(therapists=2)
    ClinicPolicy.load()  # the first read creates the policy row; not part of availability
    ClinicPolicy.load()  # the second caches it

    def count(days: int, *, cold: bool = False) -> int:
        if cold:
            caches["schedule"].clear()
            schedule_forget()
        last = (dt.date(2026, 6, 3) + dt.timedelta(days=days - 1)).isoformat()
        with CaptureQueriesContext(connection) as ctx:
            response = availability(
                api_client,
                service=service.pk,
                location=location.pk,
                **{"from": "2026-06-03", "to": last},
            )
        assert response.status_code == 200
        assert response.json()["slots"]
        return len(ctx.captured_queries)

    # Cold: the roster (therapists, shifts, rooms, hours) is read; warm: only busy time.
    one_day, four_weeks = count(1, cold=True), count(28, cold=True)
    assert count(1) == count(28) < one_day == four_weeks
    warm = count(28)
    for _ in range(18):
        work_every_day(TherapistProfileFactory(locations=[location]), location)
    # New therapists and shifts make the roster read again, in as many queries as before.
    with django_assert_num_queries(one_day):
        response = availability(
            api_client,
            service=service.pk,
            location=location.pk,
            **{"from": "2026-06-03", "to": "2026-06-30"},
        )
    with django_assert_num_queries(warm):
        availability(
            api_client,
            service=service.pk,
            location=location.pk,
            **{"from": "2026-06-03", "to": "2026-06-30"},
        )
    assert len({s["therapist"] for s in response.json()["slots"]}) == 20


def test_booking_returns_201_with_the_contract_shape(api_as, personas, clinic):
    location, service, therapist = clinic
    response = api_as(personas.client).post(
        "/api/v1/appointments/",
        {"service": service.pk, "therapist": therapist.pk, "start": "2026-06-03T10:00:00-04:00"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    appointment = Appointment.objects.get()
    assert {
        k: body[k]
        for k in ("id", "status", "start", "end", "therapist", "service", "location", "room")
    } == {
        "id": appointment.pk,
        "status": "booked",
        "start": "2026-06-03T10:00:00-04:00",
        "end": "2026-06-03T11:00:00-04:00",
        "therapist": therapist.pk,
        "service": service.pk,
        "location": location.pk,
        "room": appointment.room_id,
    }
    assert body["intake_due"] is True  # a new client without an intake may book


def test_taken_slot_is_409_slot_taken(api_as, personas, clinic):
    _location, service, therapist = clinic
    payload = {
        "service": service.pk,
        "therapist": therapist.pk,
        "start": "2026-06-03T10:00:00-04:00",
    }
    assert api_as(personas.client).post("/api/v1/appointments/", payload).status_code == 201
    response = api_as(personas.other_client).post("/api/v1/appointments/", payload)
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert response.json()["alternatives"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"therapist": "T", "start": "2026-06-03T10:00:00-04:00"}, "service"),
        ({"service": "S", "therapist": "T", "start": "not a time"}, "start"),
        ({"service": "S", "therapist": "T", "start": "2026-06-03T10:00:00"}, "start"),
        ({"service": "S", "therapist": 99999, "start": "2026-06-03T10:00:00-04:00"}, "therapist"),
    ],
)
def test_bad_booking_input_is_400_with_the_field(api_as, personas, clinic, payload, field):
    _location, service, therapist = clinic
    payload = {k: {"S": service.pk, "T": therapist.pk}.get(v, v) for k, v in payload.items()}
    response = api_as(personas.client).post("/api/v1/appointments/", payload)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_cancel_and_reschedule_endpoints(api_as, personas, clinic):
    location, service, therapist = clinic
    mine = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=local(location, 3, 10),
        actor=personas.client,
    )
    appointment_book(
        client=personas.other_client,
        service=service,
        therapist=therapist,
        start=local(location, 3, 14),
        actor=personas.other_client,
    )
    api = api_as(personas.client)
    conflict = api.post(
        f"/api/v1/appointments/{mine.pk}/reschedule/", {"start": "2026-06-03T14:30:00-04:00"}
    )
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "slot_taken"
    moved = api.post(
        f"/api/v1/appointments/{mine.pk}/reschedule/", {"start": "2026-06-04T11:00:00-04:00"}
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-06-04T11:00:00-04:00"
    cancelled = api.post(f"/api/v1/appointments/{mine.pk}/cancel/", {"reason": "travelling"})
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/appointments/{mine.pk}/cancel/", {})
    assert again.status_code == 400


def test_ics_download(api_as, personas, clinic):
    location, service, therapist = clinic
    mine = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=local(location, 3, 10),
        actor=personas.client,
    )
    response = api_as(personas.client).get(f"/api/v1/appointments/{mine.pk}/ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "DTSTART:20260603T140000Z" in body
    assert therapist.display_name in body


# --- permissions -------------------------------------------------------------------------------


@pytest.fixture
def booked(personas, clinic):
    location, service, therapist = clinic
    therapist.user = personas.therapist
    therapist.save()
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=local(location, 3, 10),
        actor=personas.client,
    )


@pytest.mark.parametrize("who", ["client", "therapist", "front_desk", "clinic_admin"])
def test_those_concerned_see_the_appointment(api_as, personas, booked, who):
    assert (
        api_as(getattr(personas, who)).get(f"/api/v1/appointments/{booked.pk}/").status_code == 200
    )


@pytest.mark.parametrize("who", ["other_client", "other_therapist"])
@pytest.mark.parametrize("action", ["", "cancel/", "reschedule/", "ics/", "decision/"])
def test_outsiders_get_404(api_as, personas, booked, who, action):
    api = api_as(getattr(personas, who))
    url = f"/api/v1/appointments/{booked.pk}/{action}"
    response = (
        api.get(url)
        if action in ("", "ics/")
        else api.post(url, {"start": "2026-06-04T10:00:00-04:00", "approve": True})
    )
    assert response.status_code == 404
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.BOOKED


def test_anonymous_gets_401_or_403_on_private_endpoints(api_client, booked):
    for url in (
        "/api/v1/appointments/",
        f"/api/v1/appointments/{booked.pk}/",
        "/api/v1/matches/?service=1",
        "/api/v1/care-plans/",
        "/api/v1/waitlist/",
    ):
        assert api_client.get(url).status_code in (401, 403), url


def test_wrong_roles_get_403(api_as, personas, booked, clinic):
    assert (
        api_as(personas.front_desk).get(f"/api/v1/matches/?service={clinic[1].pk}").status_code
        == 403
    )
    assert (
        api_as(personas.client).post(f"/api/v1/appointments/{booked.pk}/no-show/").status_code
        == 403
    )
    assert (
        api_as(personas.client)
        .post(f"/api/v1/appointments/{booked.pk}/decision/", {"approve": True})
        .status_code
        == 403
    )
    assert (
        api_as(personas.front_desk)
        .post(f"/api/v1/appointments/{booked.pk}/decision/", {"approve": True})
        .status_code
        == 403
    )
    assert api_as(personas.client).post("/api/v1/care-plans/", {}).status_code == 403
    assert api_as(personas.front_desk).post("/api/v1/waitlist/", {}).status_code == 403


def test_list_is_own_for_clients_all_for_front_desk_with_fixed_queries(
    api_as, personas, clinic, django_assert_num_queries
):
    location, service, therapist = clinic
    for hour in (9, 11, 13):
        appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=local(location, 3, hour),
            actor=personas.client,
        )
    appointment_book(
        client=personas.other_client,
        service=service,
        therapist=therapist,
        start=local(location, 4, 9),
        actor=personas.other_client,
    )
    assert api_as(personas.client).get("/api/v1/appointments/").json()["count"] == 3
    assert api_as(personas.other_client).get("/api/v1/appointments/").json()["count"] == 1
    api = api_as(personas.front_desk)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/appointments/").json()["count"] == 4
    for hour in (9, 11, 13, 15):
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=therapist,
            start=local(location, 5, hour),
            actor=personas.other_client,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/appointments/").json()["count"] == 8


def test_a_therapist_books_only_for_clients_they_already_treat(api_as, personas):
    """Booking a stranger would make the therapist 'treating' and open the stranger's intake."""
    from django.utils import timezone

    from tests.booking.factories import past_session

    location, service, (therapist,) = clinic_setup()
    therapist.user = personas.therapist
    therapist.save()
    past_session(personas.client, therapist, service, location)
    start = (timezone.now() + dt.timedelta(days=3)).astimezone(location.zone)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0).isoformat()
    payload = {"service": service.pk, "therapist": therapist.pk, "start": start}
    api = api_as(personas.therapist)

    stranger = api.post("/api/v1/appointments/", {**payload, "client": personas.other_client.pk})
    assert stranger.status_code == 404
    assert "client" in stranger.json()["fields"]
    assert not Appointment.objects.filter(client=personas.other_client).exists()

    own = api.post("/api/v1/appointments/", {**payload, "client": personas.client.pk})
    assert own.status_code == 201, own.json()
