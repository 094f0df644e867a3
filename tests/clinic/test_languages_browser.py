"""In a real browser: a client switches to Dutch in the footer and keeps it at the next sign-in."""

from __future__ import annotations

import pytest

from clinic.models import ClientProfile
from tests.factories import TEST_PASSWORD, ClientFactory


def _sign_in(page, base: str, email: str, button: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(base + "/client/")


@pytest.mark.django_db(transaction=True)
def test_a_client_switches_to_dutch_and_keeps_it(live_server, page):
    client = ClientFactory(email="lotte@example.test", first_name="Lotte")
    _sign_in(page, live_server.url, client.email, "Sign in")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Lotte"

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Lotte"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert ClientProfile.objects.get(user=client).preferred_language == "nl"

    # A new browser session: the preference, not the browser's English, decides.
    page.context.clear_cookies()
    _sign_in(page, live_server.url, client.email, "Sign in")
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Lotte"
