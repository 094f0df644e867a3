"""A new client goes from "I have TMJ pain" to a confirmed appointment, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from booking.models import Appointment, AppointmentStatus
from tests.booking.factories import TherapistProfileFactory, clinic_setup, work_every_day
from tests.factories import TEST_PASSWORD, ClientFactory
from therapists.models import Condition


@pytest.mark.django_db(transaction=True)
def test_new_client_books_a_tmj_therapist(live_server, page):
    tmj, _ = Condition.objects.get_or_create(slug="tmj", defaults={"name": "TMJ (jaw) dysfunction"})
    back, _ = Condition.objects.get_or_create(
        slug="back-pain", defaults={"name": "Chronic back pain"}
    )
    location, service, (back_only,) = clinic_setup()
    back_only.conditions.set([back])
    jaw = TherapistProfileFactory(locations=[location], display_name="Jo Jaw")
    jaw.conditions.set([tmj])
    work_every_day(jaw, location)
    client = ClientFactory(email="new@example.test")

    page.goto(f"{live_server.url}/accounts/login/?next=/booking/")
    page.get_by_label("E-mail address").fill(client.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("What brings you in?").select_option(label="TMJ (jaw) dysfunction")
    page.get_by_label("Service").select_option(str(service.pk))
    page.get_by_role("button", name="Find a therapist and a time").click()

    matches = page.locator(".match")
    expect(matches).to_have_count(1)
    expect(matches.first).to_contain_text("Jo Jaw")
    expect(matches.first).to_contain_text("treats TMJ (jaw) dysfunction")
    page.get_by_role("link", name="Times with Jo Jaw").click()
    expect(page.get_by_role("link", name="Times with Jo Jaw")).to_have_attribute(
        "aria-current", "true"
    )
    page.locator(".time-list a").first.click()

    expect(page.get_by_role("heading", name="Cancellation policy")).to_be_visible()
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("heading", name="Appointment confirmed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Jo Jaw")
    expect(page.locator("main")).to_contain_text("intake due")
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    appointment = Appointment.objects.get(client=client)
    assert appointment.therapist == jaw
    assert appointment.status == AppointmentStatus.BOOKED
