"""The change policy is told before it bites: on the slot lists, before booking, before cancelling
and when rescheduling, always in the clinic's own numbers."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine

from booking.models import Appointment, AppointmentStatus
from booking.scheduling import appointment_book
from clinic.models import ClientProfile, ClinicPolicy
from tests.booking.factories import clinic_setup

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(personas):
    location, service, (therapist,) = clinic_setup()
    therapist.user = personas.therapist
    therapist.save()
    policy = ClinicPolicy.load()
    policy.cancellation_cutoff_hours = 48
    policy.cancellation_policy_text = "Late cancellations may be charged."
    policy.save()
    return location, service, therapist


def local(location, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=location.zone)


def book(personas, clinic, start):
    _location, service, therapist = clinic
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=start,
        actor=personas.client,
    )


def confirm_page(client, clinic, start):
    _location, service, therapist = clinic
    query = urlencode(
        {"service": service.pk, "therapist": therapist.pk, "start": start.isoformat()}
    )
    return client.get(f"/booking/confirm/?{query}").content.decode()


def test_the_policy_sentence_is_written_from_the_cutoff(client, personas, clinic):
    location, *_ = clinic
    client.force_login(personas.client)
    page = confirm_page(client, clinic, local(location, 5, 10))
    assert "up to 48 hours before your appointment" in page
    assert "Late cancellations may be charged." in page
    assert "24 hours" not in page


def test_a_time_inside_the_cutoff_is_flagged_before_booking(client, personas, clinic):
    location, service, _therapist = clinic
    client.force_login(personas.client)
    # Tuesday 10:00 is 26 hours away: bookable (12 h notice) but inside the 48 h cut-off.
    inside = confirm_page(client, clinic, local(location, 2, 10))
    assert "can&#x27;t be changed or cancelled online" in inside
    assert 'id="late-warning"' in inside
    outside = confirm_page(client, clinic, local(location, 5, 10))
    assert 'id="late-warning"' not in outside

    # The reason goes to the start page by POST (no condition in a URL); find reads it back.
    found = client.post("/booking/", {"service": service.pk}, follow=True)
    rows = [row["choice"] for part in found.context["day_parts"] for row in part["rows"]]
    assert rows, "expected openings"
    for choice in rows:
        assert choice.late == (choice.local - NOW < dt.timedelta(hours=48))
    assert any(choice.late for choice in rows)
    assert "t be changed online</span>" in found.content.decode()
    assert "less than 48 hours away: once booked" in found.content.decode()
    # A day further out has times outside the cut-off, and those are not marked.
    later = client.get("/booking/find/", {"service": service.pk, "day": "2026-06-05"})
    later_rows = [row["choice"] for part in later.context["day_parts"] for row in part["rows"]]
    assert later_rows
    assert not any(choice.late for choice in later_rows)
    assert "be changed online</span>" not in later.content.decode()


def test_cancel_asks_first_and_says_when_it_is_late(client, personas, clinic):
    location, *_ = clinic
    soon = book(personas, clinic, local(location, 2, 10))
    later = book(personas, clinic, local(location, 5, 10))
    client.force_login(personas.client)

    question = client.get(f"/booking/appointments/{soon.pk}/cancel/")
    assert question.status_code == 200
    text = question.content.decode()
    assert "This is a late cancellation." in text
    assert "less than 48 hours away" in text
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.BOOKED  # asking changes nothing

    on_time = client.get(f"/booking/appointments/{later.pk}/cancel/").content.decode()
    assert "not a late cancellation" in on_time
    assert "This is a late cancellation." not in on_time

    detail = client.get(f"/booking/appointments/{later.pk}/").content.decode()
    assert f'href="/booking/appointments/{later.pk}/cancel/"' in detail

    client.post(f"/booking/appointments/{soon.pk}/cancel/", {"reason": ""})
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.LATE_CANCELLED
    client.post(f"/booking/appointments/{later.pk}/cancel/", {"reason": ""})
    later.refresh_from_db()
    assert later.status == AppointmentStatus.CANCELLED


def test_cancelling_a_past_or_cancelled_visit_is_not_offered(client, personas, clinic):
    location, *_ = clinic
    appointment = book(personas, clinic, local(location, 5, 10))
    client.force_login(personas.client)
    client.post(f"/booking/appointments/{appointment.pk}/cancel/", {})
    again = client.get(f"/booking/appointments/{appointment.pk}/cancel/")
    assert again.status_code == 302
    assert again.url == f"/booking/appointments/{appointment.pk}/"


def test_reschedule_offers_no_time_it_would_refuse(client, personas, clinic):
    location, *_ = clinic
    soon = book(personas, clinic, local(location, 2, 10))
    client.force_login(personas.client)
    page = client.get(f"/booking/appointments/{soon.pk}/reschedule/")
    assert page.context["slots"] == []
    assert "too late to change this appointment online" in page.content.decode()
    detail = client.get(f"/booking/appointments/{soon.pk}/").content.decode()
    assert "Choose another time" not in detail

    later = book(personas, clinic, local(location, 5, 10))
    offered = client.get(f"/booking/appointments/{later.pk}/reschedule/").context["slots"]
    assert offered
    # Every time offered is accepted: first asked, then done.
    target = offered[-1].local
    url = f"/booking/appointments/{later.pk}/reschedule/"
    question = client.get(url, {"start": target.isoformat()})
    assert question.status_code == 200
    assert "Move this appointment?" in question.content.decode()
    later.refresh_from_db()
    assert later.starts_at != target  # asking changes nothing
    client.post(url, {"start": target.isoformat()})
    later.refresh_from_db()
    assert later.starts_at == target


def test_staff_may_still_change_inside_the_cutoff(client, personas, clinic):
    location, *_ = clinic
    soon = book(personas, clinic, local(location, 2, 10))
    client.force_login(personas.front_desk)
    page = client.get(f"/booking/appointments/{soon.pk}/reschedule/")
    assert page.context["may_change"] is True
    question = client.get(f"/booking/appointments/{soon.pk}/cancel/").content.decode()
    assert "Record as a late cancellation" in question
    assert Appointment.objects.get(pk=soon.pk).status == AppointmentStatus.BOOKED


def test_the_policy_sentences_are_translated(client, personas, clinic):
    location, service, therapist = clinic
    # A signed-in client reads pages in their preferred language (clinic.languages).
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="nl")
    client.force_login(personas.client)
    query = urlencode(
        {
            "service": service.pk,
            "therapist": therapist.pk,
            "start": local(location, 2, 10).isoformat(),
        }
    )
    page = client.get(f"/booking/confirm/?{query}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "U kunt tot 48 uur voor uw afspraak online verzetten of annuleren." in page
    assert "Dit tijdstip is minder dan 48 uur weg" in page
    assert "You can reschedule" not in page
