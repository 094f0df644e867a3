"""Every front-desk action in a real browser, driven from the board with the keyboard.

The board loads panels and posts actions through htmx; each test checks the page and the
database. Runs against Debian's Chromium (see tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import (
    Appointment,
    AppointmentStatus,
    ClinicianTask,
    WaitlistEntry,
    WaitlistOffer,
)
from clinic.models import User
from intake.gate import BookingGate
from tests.factories import TEST_PASSWORD
from tests.mfa import enter_code_in_browser, totp_device_for
from therapists.models import TimeOff

pytestmark = pytest.mark.django_db(transaction=True)


def _at(clinic, days, hour):
    day = timezone.now().astimezone(clinic.location.zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clinic.location.zone)


def _sign_in(page, live_server, user, path):
    totp_device_for(user)
    page.goto(f"{live_server.url}/accounts/login/?{urlencode({'next': path})}")
    page.get_by_label("E-mail address").fill(user.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Staff then type the code from their authenticator app.
    enter_code_in_browser(page, user)


def _board(clinic, days):
    day = _at(clinic, days, 9).date()
    return f"/booking/board/?location={clinic.location.slug}&day={day}"


def _open(page, appointment):
    # htmx wires up the board's links when the page has loaded; pressing Enter on a link
    # before then opens the plain-HTML appointment page instead of the side panel.
    page.wait_for_load_state("load")
    # After an action the board reloads itself (HX-Trigger: board-changed); a key pressed on
    # a link the reload is about to replace is lost. Wait until htmx has nothing in flight.
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    link = page.locator(f"a[data-appointment='{appointment.pk}']")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel #panel-title")).to_be_visible()
    # htmx wires up the swapped-in forms when the swap settles (about 20 ms later); a click
    # before that would submit the form as a plain page load instead of into the panel.
    expect(page.locator("#panel")).not_to_have_class(re.compile(r"\bhtmx-settling\b"))


def test_check_in_no_show_and_cancel_from_the_board(live_server, page, clinic, personas):
    arriving = clinic.appointment(personas.client, status="booked", starts_at=_at(clinic, 1, 10))
    cancelling = clinic.appointment(
        personas.other_client, status="booked", starts_at=_at(clinic, 1, 13)
    )
    missed = clinic.appointment(personas.client, status="booked", starts_at=_at(clinic, -1, 10))
    tomorrow_board, yesterday_board = _board(clinic, 1), _board(clinic, -1)
    # Check-in opens on the appointment's day (two hours before by default): run the
    # board at 09:30 tomorrow, the clock ticking.
    with time_machine.travel(_at(clinic, 1, 9) + dt.timedelta(minutes=30), tick=True):
        _sign_in(page, live_server, personas.front_desk, tomorrow_board)
        expect(
            page.get_by_role("heading", name=f"Schedule board · {clinic.location.name}")
        ).to_be_visible()

        _open(page, arriving)
        page.get_by_role("button", name="Check in").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#panel-status")).to_have_text("Checked in")
        expect(page.locator(f"a[data-appointment='{arriving.pk}']")).to_contain_text("Checked in")

        _open(page, cancelling)
        page.get_by_label("Reason for cancelling").fill("Client has a cold")
        page.get_by_label("Reason for cancelling").press("Enter")
        expect(page.locator("#panel-status")).to_contain_text("Cancelled (Client has a cold)")

        page.goto(f"{live_server.url}{yesterday_board}")
        _open(page, missed)
        page.get_by_role("button", name="Mark no-show").click()
        expect(page.locator("#panel-status")).to_have_text("No-show")

    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses[arriving.pk] == AppointmentStatus.CHECKED_IN
    assert statuses[cancelling.pk] == AppointmentStatus.CANCELLED
    assert statuses[missed.pk] == AppointmentStatus.NO_SHOW


def test_move_and_decide_requests_from_the_board(live_server, page, clinic, personas):
    moving = clinic.appointment(personas.client, status="booked", starts_at=_at(clinic, 1, 10))
    approve, decline, route = (
        clinic.appointment(personas.other_client, status="requested", starts_at=_at(clinic, 1, h))
        for h in (12, 14, 16)
    )
    _sign_in(page, live_server, personas.front_desk, _board(clinic, 1))

    _open(page, moving)
    page.get_by_label("New start (local time)").fill(_at(clinic, 1, 11).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Move").click()
    expect(page.locator("#panel")).to_contain_text("Moved.")
    expect(page.locator("#panel")).to_contain_text("11:00")

    # Issue 11: front desk cannot approve a request; the panel offers routing instead.
    _open(page, approve)
    expect(page.locator("#panel")).to_contain_text("only a therapist")
    expect(page.get_by_role("button", name="Approve (override, audited)")).to_have_count(0)

    _open(page, decline)
    # The previous panel is a request too: wait until this one is shown before acting on it.
    expect(page.locator("#panel")).to_contain_text("14:00")
    page.get_by_label("Reason for declining").fill("Client withdrew")
    page.get_by_role("button", name="Decline request").click()
    expect(page.locator("#panel-status")).to_contain_text("Cancelled")

    _open(page, route)
    page.get_by_label("Route to clinician").select_option(str(personas.other_therapist.pk))
    page.get_by_role("button", name="Route to clinician").click()
    expect(page.locator("#panel")).to_contain_text("Routed to the clinician.")

    moving.refresh_from_db()
    assert moving.starts_at == _at(clinic, 1, 11)
    assert Appointment.objects.get(pk=approve.pk).status == AppointmentStatus.REQUESTED
    assert Appointment.objects.get(pk=decline.pk).status == AppointmentStatus.CANCELLED
    assert ClinicianTask.objects.get(appointment=route).assigned_to == personas.other_therapist


def test_find_create_and_book_a_client_with_and_without_override(
    live_server, page, clinic, personas
):
    _sign_in(page, live_server, personas.front_desk, _board(clinic, 1))
    page.get_by_role("link", name="Find or add a client").click()
    page.get_by_label("Find a client (name, phone or e-mail)").fill("Casey")
    page.get_by_label("Find a client (name, phone or e-mail)").press("Enter")
    expect(page.locator("#client-results")).to_contain_text("client@example.test")

    page.get_by_role("link", name="Register a new client").click()
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("New")
    page.get_by_label("E-mail address").fill("nina@example.test")
    page.get_by_role("button", name="Register and book").click()
    page.get_by_label("Service").select_option(str(clinic.service.pk))
    page.get_by_label("Therapist").select_option(str(clinic.profile.pk))
    page.get_by_label("Start (local time)").fill(_at(clinic, 1, 10).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Book").click()
    expect(page.locator(".messages")).to_contain_text("is booked with Theo Therapist")
    nina = User.objects.get(email="nina@example.test")
    assert Appointment.objects.get(client=nina).status == AppointmentStatus.BOOKED

    with mock.patch("booking.scheduling.booking_gate_for", return_value=BookingGate.REQUEST):
        page.goto(
            f"{live_server.url}/booking/board/book/?location={clinic.location.slug}&client={personas.client.pk}"
        )
        page.get_by_label("Service").select_option(str(clinic.service.pk))
        page.get_by_label("Therapist").select_option(str(clinic.profile.pk))
        page.get_by_label("Start (local time)").fill(_at(clinic, 1, 13).strftime("%Y-%m-%dT%H:%M"))
        # Issue 11: no "approved by" override any more; the booking stays a request.
        expect(
            page.get_by_label("Clinician who approved booking a clinical request (override)")
        ).to_have_count(0)
        page.get_by_role("button", name="Book").click()
        expect(page.locator(".messages")).to_contain_text("is requested with")
    booked = Appointment.objects.get(client=personas.client)
    assert booked.status == AppointmentStatus.REQUESTED
    assert booked.approved_by is None


def test_block_time_offer_waitlist_and_day_sheet(live_server, page, clinic, personas):
    freed = clinic.appointment(personas.client, status="cancelled", starts_at=_at(clinic, 1, 15))
    WaitlistEntry.objects.create(client=personas.other_client, service=clinic.service)
    _sign_in(page, live_server, personas.front_desk, _board(clinic, 1))

    page.get_by_role("link", name="Block time").click()
    page.get_by_label("Therapist").select_option(str(clinic.profile.pk))
    page.get_by_label("From (local time)").fill(_at(clinic, 1, 8).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Until (local time)").fill(_at(clinic, 1, 9).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Reason").fill("Team meeting")
    page.get_by_role("button", name="Block time").click()
    expect(page.locator(".messages")).to_contain_text("Time blocked for Theo Therapist")
    expect(page.locator(f"[data-column='t{clinic.profile.pk}'] .blk-time_off")).to_contain_text(
        "Admin time"
    )
    assert TimeOff.objects.get(therapist=clinic.profile).starts_at == _at(clinic, 1, 8)

    _open(page, freed)
    page.get_by_role("button", name="Offer this time to the waitlist").click()
    expect(page.locator("#panel")).to_contain_text("Offered to")
    assert WaitlistOffer.objects.get().entry.client == personas.other_client

    page.get_by_role("link", name="Back to the board").click()
    page.get_by_role("link", name="Day sheet (print)").click()
    expect(page.get_by_role("heading", name="Day sheet")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Casey")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("day-sheet-")
