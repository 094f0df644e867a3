"""A front-desk day in a real browser on a 1280 px screen: the week grid, a walk-in booking,
check-in inside the window (and its undo), a no-show after the start, an offer to the
waitlist. The clock is pinned (ticking) to 09:30 in New York on a day ahead."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Appointment, AppointmentStatus, WaitlistEntry, WaitlistOffer
from tests.factories import TEST_PASSWORD
from tests.mfa import enter_code_in_browser, totp_device_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def day(clinic):
    """Tomorrow in New York; the test runs at 09:30 local time on it."""
    return timezone.now().astimezone(clinic.location.zone).date() + dt.timedelta(days=1)


def _at(clinic, day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic.location.zone)


def _open(page, appointment):
    page.locator(f"a[data-appointment='{appointment.pk}']").first.click()
    expect(page.locator("#panel #panel-title")).to_be_visible()


def test_a_front_desk_day(live_server, page, clinic, personas, day):
    arriving = clinic.appointment(personas.client, status="booked", starts_at=_at(clinic, day, 10))
    missed = clinic.appointment(personas.other_client, status="booked",
                                starts_at=_at(clinic, day, 8, 30))  # fmt: skip
    freed = clinic.appointment(personas.other_client, status="cancelled",
                               starts_at=_at(clinic, day, 15))  # fmt: skip
    WaitlistEntry.objects.create(client=personas.client, service=clinic.service)
    page.set_viewport_size({"width": 1280, "height": 800})
    with time_machine.travel(_at(clinic, day, 9, 30), tick=True):
        board = f"/booking/board/?location={clinic.location.slug}&day={day}"
        totp_device_for(personas.front_desk)  # staff sign in with a code
        page.goto(f"{live_server.url}/accounts/login/?{urlencode({'next': board + '&view=week'})}")
        page.get_by_label("E-mail address").fill(personas.front_desk.email)
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        enter_code_in_browser(page, personas.front_desk)

        # The week: one grid, days as columns, therapists as rows, fitting the screen.
        grid = page.locator("table.week-grid")
        expect(grid).to_be_visible()
        expect(grid.locator("thead th")).to_have_count(8)
        expect(grid.locator("tbody tr")).to_have_count(2)
        assert page.evaluate("document.documentElement.scrollHeight") < 3000

        # A walk-in: find the client, book them with the other therapist later today.
        page.goto(f"{live_server.url}{board}")
        page.get_by_role("link", name="Find or add a client").click()
        page.get_by_label("Find a client (name, phone or e-mail)").fill("Olive")
        page.get_by_label("Find a client (name, phone or e-mail)").press("Enter")
        page.get_by_role("link", name="Book for Olive").click()
        page.get_by_label("Service").select_option(str(clinic.service.pk))
        page.get_by_label("Therapist").select_option(str(clinic.other_profile.pk))
        page.get_by_label("Start (local time)").fill(
            _at(clinic, day, 11).strftime("%Y-%m-%dT%H:%M")
        )
        page.get_by_role("button", name="Book").click()
        expect(page.locator(".messages")).to_contain_text("is booked with Tara Therapist")

        # Check-in inside the window (from 08:00 for 10:00), then undo and redo it.
        _open(page, arriving)
        page.get_by_role("button", name="Check in").click()
        expect(page.locator("#panel-status")).to_have_text("Checked in")
        expect(page.locator("#panel")).to_contain_text("You can undo this for 10 minutes.")
        page.get_by_role("button", name="Undo check-in").click()
        expect(page.locator("#panel-status")).to_have_text("Booked")
        page.get_by_role("button", name="Check in").click()
        expect(page.locator("#panel-status")).to_have_text("Checked in")

        # No-show after the start (08:30 has passed).
        _open(page, missed)
        page.get_by_role("button", name="Mark no-show").click()
        expect(page.locator("#panel-status")).to_have_text("No-show")

        # The cancelled 15:00 goes to the waitlist, and shows as a hold on the board.
        _open(page, freed)
        page.get_by_role("button", name="Offer this time to the waitlist").click()
        expect(page.locator("#panel")).to_contain_text("Offered to")
        page.goto(f"{live_server.url}{board}")
        expect(
            page.locator(f"[data-column='t{clinic.profile.pk}'] [data-kind='hold']")
        ).to_contain_text("waitlist offer")

    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses[arriving.pk] == AppointmentStatus.CHECKED_IN
    assert statuses[missed.pk] == AppointmentStatus.NO_SHOW
    assert Appointment.objects.get(therapist=clinic.other_profile).client == personas.other_client
    assert WaitlistOffer.objects.get().entry.client == personas.client
