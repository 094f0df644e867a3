"""A therapist reviews a flagged intake in a real browser; the client's booking block lifts."""

from __future__ import annotations

import pytest

from intake.gate import BookingGate, booking_gate_for
from tests.factories import TEST_PASSWORD
from tests.mfa import enter_code_in_browser, totp_device_for


@pytest.mark.django_db(transaction=True)
def test_therapist_clears_flagged_intake_in_browser(
    live_server, page, personas, submit_intake, treats
):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "urgent")
    assert booking_gate_for(personas.client) == BookingGate.BLOCKED  # URGENT refuses (issue 11)

    totp_device_for(personas.therapist)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(personas.therapist.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Staff then type the code from their authenticator app.
    enter_code_in_browser(page, personas.therapist)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intake reviews").click()

    row = page.locator("tr.needs-review")
    assert row.count() == 1
    row.get_by_role("link", name=str(personas.client)).click()
    page.wait_for_url(f"**/intake/review/{response.pk}/")
    assert page.locator("#screening-level").inner_text() == "Urgent: same-day physician first"
    # The trigger shows in the screening summary (and again among the open findings).
    assert page.get_by_text("Possible DVT: one-sided calf swelling").first.is_visible()

    page.get_by_label("Cleared with precautions").check()
    page.get_by_label("Areas to avoid (one per line)").fill("left calf")
    page.get_by_label("Note").fill("GP ruled out DVT on the phone; avoid the left calf for now.")
    page.get_by_role("button", name="Record decision").click()

    assert page.locator("#booking-gate").inner_text() == "May book online"
    assert page.get_by_text("avoid: left calf").is_visible()
    assert booking_gate_for(personas.client) == BookingGate.CLEAR
