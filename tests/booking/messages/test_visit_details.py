"""What a client needs for the visit: where (with a map), when to arrive, what to wear and bring,
and how to change it, on the confirm page, the appointment page and in the e-mails."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.core import mail

from booking.scheduling import appointment_book
from clinic.models import ClinicPolicy
from tests.factories import LocationFactory
from tests.outbox import run_dispatch

pytestmark = pytest.mark.django_db


def ny(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


@pytest.fixture
def policy():
    policy = ClinicPolicy.load()
    policy.arrival_minutes_before = 15
    policy.visit_preparation_text = "Bring shorts and a towel."
    policy.save()
    return policy


@pytest.fixture
def booked(pinned, clinic, personas, policy):
    _location, service, therapist = clinic
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=ny(5, 10),
        actor=personas.client,
    )


def test_the_confirm_page_names_the_location_with_a_map(client, personas, clinic, pinned):
    location, service, therapist = clinic
    client.force_login(personas.client)
    query = {"service": service.pk, "therapist": therapist.pk, "start": ny(5, 10).isoformat()}
    page = client.get("/booking/confirm/?" + urlencode({**query, "location": location.pk}))
    text = page.content.decode()
    assert location.address in text
    assert "https://www.openstreetmap.org/search?query=" in text

    # The reason goes to the start page by POST (no condition in a URL); find reads it back.
    found = client.post("/booking/", {"service": service.pk}, follow=True).content.decode()
    assert f"location={location.pk}" in found

    elsewhere = LocationFactory(name="Albany")
    wrong = client.get("/booking/confirm/?" + urlencode({**query, "location": elsewhere.pk}))
    assert wrong.status_code == 400


def test_the_appointment_page_says_when_to_arrive_and_what_to_bring(client, personas, booked):
    client.force_login(personas.client)
    text = client.get(f"/booking/appointments/{booked.pk}/").content.decode()
    assert "09:45" in text  # 15 minutes before 10:00, in the location's zone
    assert "Bring shorts and a towel." in text
    assert booked.location.map_url.replace("&", "&amp;") in text


def test_confirmation_and_reminder_carry_the_visit_details(booked, pinned):
    run_dispatch()
    (confirmation,) = mail.outbox
    for body in (confirmation.body, confirmation.alternatives[0][0]):
        assert "Please arrive by 09:45." in body
        assert "Bring shorts and a towel." in body
        assert "openstreetmap.org/search" in body
        assert f"/booking/appointments/{booked.pk}/" in body
        assert "up to 24 hours before your appointment" in body
    pinned.move_to(booked.starts_at - dt.timedelta(hours=2))
    run_dispatch()
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert reminders
    assert all("Please arrive by 09:45." in m.body for m in reminders)
