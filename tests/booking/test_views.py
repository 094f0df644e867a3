"""Booking pages: the flow, form errors with nearest slots, and who may see what."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
import time_machine

from booking.models import Appointment, AppointmentStatus, CalendarFeed
from booking.scheduling import appointment_book
from intake.gate import BookingGate
from tests.booking.factories import clinic_setup
from therapists.models import Condition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


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


def start_at(location, day=3, hour=10):
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=location.zone)


@pytest.fixture
def booked(clinic, personas):
    location, service, therapist = clinic
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=start_at(location),
        actor=personas.client,
    )


def confirm_url(service, therapist, start):
    return "/booking/confirm/?" + urlencode(
        {"service": service.pk, "therapist": therapist.pk, "start": start.isoformat()}
    )


def test_start_page_is_public(client, clinic):
    response = client.get("/booking/")
    assert response.status_code == 200
    assert b"What brings you in?" in response.content


def test_find_shows_matches_with_next_slots(client, personas, clinic):
    # The reason is POSTed to the start page and read back from the session (no query string).
    _location, service, therapist = clinic
    client.force_login(personas.client)
    response = client.post("/booking/", {"service": service.pk}, follow=True)
    assert response.status_code == 200
    assert therapist.display_name in response.content.decode()
    assert response.context["matches"][0].openings


def test_find_with_a_bad_service_is_a_form_error(client, personas, clinic):
    client.force_login(personas.client)
    response = client.post("/booking/", {"service": "nope"})
    assert response.status_code == 400
    assert "service" in response.context["form"].errors


def test_confirm_shows_policy_and_books(client, personas, clinic):
    location, service, therapist = clinic
    client.force_login(personas.client)
    url = confirm_url(service, therapist, start_at(location))
    page = client.get(url)
    assert "You can reschedule or cancel online up to 24 hours" in page.content.decode()
    response = client.post(
        "/booking/confirm/",
        {"service": service.pk, "therapist": therapist.pk, "start": start_at(location).isoformat()},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == f"/booking/appointments/{appointment.pk}/"
    detail = client.get(response.url).content.decode()
    assert "Appointment confirmed" in detail
    assert "intake due" in detail


def test_taken_slot_is_a_form_error_with_nearest_free_times(client, personas, clinic, booked):
    location, service, therapist = clinic
    client.force_login(personas.other_client)
    response = client.post(
        "/booking/confirm/",
        {"service": service.pk, "therapist": therapist.pk, "start": start_at(location).isoformat()},
    )
    assert response.status_code == 409
    assert "no longer available" in response.content.decode()
    assert len(response.context["alternatives"]) == 3
    assert Appointment.objects.count() == 1


def test_emergency_gate_shows_advice_and_books_nothing(client, personas, clinic, monkeypatch):
    location, service, therapist = clinic
    monkeypatch.setattr("booking.scheduling.booking_gate_for", lambda c: BookingGate.EMERGENCY)
    monkeypatch.setattr(
        "booking.views.appointments.booking_gate_for", lambda c: BookingGate.EMERGENCY
    )
    client.force_login(personas.client)
    page = client.get(confirm_url(service, therapist, start_at(location))).content.decode()
    assert "emergency" in page.lower()
    assert "Confirm booking" not in page
    response = client.post(
        "/booking/confirm/",
        {"service": service.pk, "therapist": therapist.pk, "start": start_at(location).isoformat()},
    )
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_client_cancels_from_the_page(client, personas, booked):
    client.force_login(personas.client)
    client.post(f"/booking/appointments/{booked.pk}/cancel/", {"reason": "away"})
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


@pytest.mark.parametrize(
    "url",
    [
        "/booking/find/?service=1",
        "/booking/confirm/",
        "/booking/appointments/",
        "/booking/calendar-feed/",
    ],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["front_desk", "therapist", "clinic_admin"])
def test_staff_cannot_use_the_client_flow(client, personas, clinic, who):
    client.force_login(getattr(personas, who))
    assert client.get("/booking/find/", {"service": clinic[1].pk}).status_code == 403


@pytest.mark.parametrize("suffix", ["", "ics/", "reschedule/"])
@pytest.mark.parametrize("who", ["other_client", "other_therapist"])
def test_outsiders_get_404_on_pages(client, personas, booked, suffix, who):
    client.force_login(getattr(personas, who))
    assert client.get(f"/booking/appointments/{booked.pk}/{suffix}").status_code == 404


def test_outsider_cannot_cancel(client, personas, booked):
    client.force_login(personas.other_client)
    assert client.post(f"/booking/appointments/{booked.pk}/cancel/").status_code == 404
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED


def test_wrong_roles_get_403_on_staff_actions(client, personas, booked):
    client.force_login(personas.client)
    assert client.post(f"/booking/appointments/{booked.pk}/no-show/").status_code == 403
    assert (
        client.post(f"/booking/appointments/{booked.pk}/decision/", {"approve": "1"}).status_code
        == 403
    )
    client.force_login(personas.front_desk)
    assert (
        client.post(f"/booking/appointments/{booked.pk}/decision/", {"approve": "1"}).status_code
        == 403
    )
    assert client.get("/booking/calendar-feed/").status_code == 403


@pytest.mark.parametrize("who", ["client", "therapist", "front_desk", "clinic_admin"])
def test_those_concerned_see_the_page(client, personas, booked, who):
    client.force_login(getattr(personas, who))
    assert client.get(f"/booking/appointments/{booked.pk}/").status_code == 200


def test_appointment_list_query_count_is_fixed(
    client, personas, clinic, django_assert_max_num_queries
):
    location, service, therapist = clinic
    client.force_login(personas.front_desk)
    for hour in (9, 11):
        appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=start_at(location, 3, hour),
            actor=personas.client,
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/booking/appointments/")
    for hour in (9, 11, 13, 15):
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=therapist,
            start=start_at(location, 4, hour),
            actor=personas.other_client,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/booking/appointments/")
    assert len(response.context["appointments"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_therapist_feed_is_private_and_revocable(client, personas, booked):
    client.force_login(personas.therapist)
    assert client.get("/booking/calendar-feed/").status_code == 200
    token = CalendarFeed.objects.get().token
    client.logout()
    feed = client.get(f"/booking/feeds/{token}.ics")
    assert feed.status_code == 200
    assert b"BEGIN:VEVENT" in feed.content
    assert client.get("/booking/feeds/not-a-token.ics").status_code == 404
    client.force_login(personas.therapist)
    client.post("/booking/calendar-feed/")
    client.logout()
    assert client.get(f"/booking/feeds/{token}.ics").status_code == 404


# --- no health data in URLs: the reason for the visit travels in POST bodies and the session ---


@pytest.fixture
def fibromyalgia(clinic):
    condition, _ = Condition.objects.get_or_create(
        slug="fibromyalgia", defaults={"name": "Fibromyalgia"}
    )
    clinic[2].conditions.add(condition)
    return condition


def _urls_in(page: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', page)


def test_no_booking_flow_url_carries_a_condition(client, personas, clinic, fibromyalgia):
    _location, service, _therapist = clinic
    client.force_login(personas.client)
    start = client.get("/booking/").content.decode()
    assert 'method="post"' in start
    response = client.post(
        "/booking/", {"condition": "fibromyalgia", "service": service.pk}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [("/booking/find/", 302)]
    assert "Fibromyalgia" in response.content.decode()  # the same outcome as before ...
    assert "treats Fibromyalgia" in response.context["matches"][0].reasons[0]
    confirm_link = next(u for u in _urls_in(response.content.decode()) if "/confirm/" in u)
    confirm = client.get(confirm_link.replace("&amp;", "&")).content.decode()
    visited = [url for url, _status in response.redirect_chain] + [confirm_link]
    for url in visited + _urls_in(start) + _urls_in(response.content.decode()) + _urls_in(confirm):
        assert "condition" not in url, url  # ... and no URL names it
        assert "fibromyalgia" not in url.lower(), url


def test_find_never_reads_a_condition_from_the_query_string(client, personas, clinic, fibromyalgia):
    client.force_login(personas.client)
    response = client.get("/booking/find/", {"condition": "fibromyalgia", "service": clinic[1].pk})
    assert response.status_code == 200
    assert response.context["condition"] is None
    assert "Fibromyalgia" not in response.content.decode()
    assert not any("treats" in reason for m in response.context["matches"] for reason in m.reasons)


def test_the_reason_survives_signing_in(client, personas, clinic, fibromyalgia):
    _location, service, _therapist = clinic
    response = client.post("/booking/", {"condition": "fibromyalgia", "service": service.pk})
    assert response.url == "/booking/find/"
    assert client.get("/booking/find/").url == "/accounts/login/?next=/booking/find/"
    client.force_login(personas.client)
    page = client.get("/booking/find/")
    assert page.status_code == 200
    assert page.context["condition"] == fibromyalgia
    assert client.get("/booking/").context["form"].initial["condition"] == "fibromyalgia"


def test_a_new_feed_address_is_confirmed(client, personas, booked):
    client.force_login(personas.therapist)
    client.get("/booking/calendar-feed/")
    page = client.post("/booking/calendar-feed/", follow=True)
    assert "A new feed address is ready. The old one no longer works." in page.content.decode()
