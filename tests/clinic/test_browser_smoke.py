from __future__ import annotations

import pytest


@pytest.mark.django_db(transaction=True)
def test_front_page_renders_in_a_real_browser(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("main").is_visible()
