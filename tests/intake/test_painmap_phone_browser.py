"""On a phone the pain map's two figures stack, each the full width: regions twice as large
to tap as when the figures share one row, and the list alternative is still there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake import services
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _region_width_on(page, live_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + reverse("intake:step", args=["pain"]))
    page.wait_for_load_state("load")
    region = page.locator(".painmap-figures .pm-region").first
    box = region.bounding_box()
    assert box is not None
    return box["width"]


def test_pain_map_regions_are_larger_on_a_phone_and_the_list_stays(live_server, page, personas):
    services.intake_start(client=personas.client)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(personas.client.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/client/")

    desktop = _region_width_on(page, live_server, 1280, 800)
    phone = _region_width_on(page, live_server, 390, 844)

    assert phone >= 1.8 * desktop
    # Both figures are still drawn, and the keyboard list is the full alternative.
    assert page.locator(".painmap-figures svg").count() == 2
    assert page.locator(".painmap-list input[name=pain_map]").count() > 10
    # Nothing runs off the side of the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
