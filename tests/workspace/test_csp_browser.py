"""Under the Content-Security-Policy, in a real browser: the board still lays out its blocks,
the day sheet prints, and Swagger UI draws the API, with no violation reported.

Lives beside the board's other browser tests for the ``clinic`` fixture.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.mfa import enter_code_in_browser, totp_device_for

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def _sign_in(page, live_server, user, path):
    totp_device_for(user)  # staff sign in with a code: the authenticator exists beforehand
    page.goto(f"{live_server.url}/accounts/login/?{urlencode({'next': path})}")
    page.get_by_label("E-mail address").fill(user.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.role != "client":
        enter_code_in_browser(page, user)


def test_board_blocks_are_placed_by_the_static_script(live_server, page, clinic, personas):
    violations = _watch_violations(page)
    day = timezone.now().astimezone(clinic.location.zone).date() + dt.timedelta(days=1)
    starts = dt.datetime.combine(day, dt.time(13), tzinfo=clinic.location.zone)
    appointment = clinic.appointment(personas.client, status="booked", starts_at=starts)
    board = f"/booking/board/?location={clinic.location.slug}&day={day}"

    _sign_in(page, live_server, personas.front_desk, board)
    block = page.locator(f"a[data-appointment='{appointment.pk}']")
    expect(block).to_be_visible()

    # 13:00 lies well inside the day's frame: the block sits below the top of its track.
    top = block.evaluate("el => el.offsetTop")
    track = block.evaluate("el => el.parentElement.clientHeight")
    assert 0.2 * track < top < 0.9 * track
    assert block.evaluate("el => el.style.height").endswith("%")

    page.goto(f"{live_server.url}/booking/board/sheet/?location={clinic.location.slug}&day={day}")
    # A function, so Playwright does not call the stub it would otherwise get back.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") == 1
    assert violations == []


def test_swagger_ui_draws_the_api_under_the_policy(live_server, page):
    violations = _watch_violations(page)

    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.get_by_role("heading", name="Unwind API")).to_be_visible()
    expect(page.locator(".opblock-tag").first).to_be_visible()
    assert violations == []
