"""In a real browser: the demo client signs in and sees the client home."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_demo_client_signs_in_and_sees_the_client_home(live_server, page):
    call_command("seed_demo", stdout=io.StringIO())

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("client1@demo.unwind.test")
    page.get_by_label("Password").fill("unwind-demo")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(live_server.url + "/client/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Emma"
    assert page.get_by_role("link", name="Book an appointment").is_visible()
    assert page.get_by_text("client1@demo.unwind.test").is_visible()
    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
