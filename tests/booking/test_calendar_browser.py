"""A new client books through the calendar, is warned about a late-change time, reschedules and
cancels with a confirmation: on a desktop and on a 390 x 844 phone, with axe-core finding no
serious or critical violation on any page of the journey.

Parametrized by viewport and by language: the words the test looks for are in TEXT. The Dutch
run also checks that no English is left on any page of the journey: not in the text a person
sees or a screen reader reads, nor in an aria-label, title, alt or placeholder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import Page, expect

from booking.models import Appointment, AppointmentStatus
from tests.axe import assert_accessible
from tests.booking.factories import (
    ServiceFactory,
    TherapistProfileFactory,
    open_every_day,
    work_every_day,
)
from tests.factories import (
    TEST_PASSWORD,
    ClientFactory,
    ClinicAdminFactory,
    FrontDeskFactory,
    LocationFactory,
    RoomFactory,
)
from tests.mfa import enter_code_in_browser, totp_device_for

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LANGUAGES = ["en", "nl"]
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "email": "E-mail address",
        "sign_in": "Sign in",
        "service": "Service",
        "find": "Find a therapist and a time",
        "next_month": "Next month",
        "first_available": "First available",
        "late_tag": "can't be changed online",
        "openings": r"\d+ openings?",
        "confirm": "Confirm booking",
        "confirmed": "Appointment confirmed",
        "back_to_calendar": "Choose another time",
        "reschedule": "Choose another time",
        "move_question": "Move this appointment?",
        "move_yes": "Yes, move the appointment",
        "moved": "The appointment has moved.",
        "cancel": "Cancel appointment…",
        "cancel_question": "Cancel this appointment?",
        "not_late": "not a late cancellation",
        "cancel_yes": "Yes, cancel the appointment",
        "cancelled": "The appointment is cancelled.",
        "menu": "Menu",
        "my_appointments": "My appointments",
    },
    "nl": {
        "email": "E-mailadres",
        "sign_in": "Aanmelden",
        "service": "Behandeling",
        "find": "Zoek een therapeut en een tijd",
        "next_month": "Volgende maand",
        "first_available": "Eerste vrije plek",
        "late_tag": "niet online te wijzigen",
        "openings": r"\d+ vrije plek(ken)?",
        "confirm": "Boeking bevestigen",
        "confirmed": "Afspraak bevestigd",
        "back_to_calendar": "Kies een andere tijd",
        "reschedule": "Kies een andere tijd",
        "move_question": "Deze afspraak verzetten?",
        "move_yes": "Ja, verzet de afspraak",
        "moved": "De afspraak is verzet.",
        "cancel": "Afspraak annuleren…",
        "cancel_question": "Deze afspraak annuleren?",
        "not_late": "geen late annulering",
        "cancel_yes": "Ja, annuleer de afspraak",
        "cancelled": "De afspraak is geannuleerd.",
        "menu": "Menu",
        "my_appointments": "Mijn afspraken",
    },
}

# English words that must not be left on a page shown in another language (whole words, case
# as written). Names of people, places and the service are the clinic's data, and the
# language switcher names each language in itself ("English"): neither is looked at.
ENGLISH = (
    "the", "and", "Book", "Cancel", "appointment", "Appointment", "your", "Your", "Choose",
    "with", "at", "next", "treats", "time", "times", "openings",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
PROPER_NOUNS = ("Zoë Zuid", "Cas Centrum", "Centrum", "Zuid", "Myofascial release, 60 minutes")
ENGLISH_WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")

# Everything a person or a screen reader meets: the rendered text (visually hidden text too,
# but not what is hidden from everyone) and the attributes read out or shown as hints.
_PAGE_TEXT = """() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
    if (el.closest(".language-switcher")) continue;
    for (const name of ["aria-label", "title", "alt", "placeholder"]) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join("\\n");
}"""


@pytest.fixture
def journey(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Page, str]]:
    """A fresh browser context with the viewport and the language (Accept-Language) asked for."""
    viewport, language = request.param
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale=language, is_mobile=viewport == "phone"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, language
    context.close()


def _clinic() -> tuple[Any, Any, Any]:
    """Two locations in Amsterdam; the chosen one has a therapist working around the clock, so
    there is always a time inside the 24-hour window and one a week ahead."""
    near = LocationFactory(name="Centrum", slug="centrum", time_zone="Europe/Amsterdam")
    far = LocationFactory(name="Zuid", slug="zuid", time_zone="Europe/Amsterdam")
    for location in (near, far):
        RoomFactory(location=location)
        open_every_day(location)
    service = ServiceFactory(name="Myofascial release, 60 minutes", locations=[near, far])
    therapist = TherapistProfileFactory(locations=[far], display_name="Zoë Zuid")
    work_every_day(therapist, far, start=dt.time(0, 0), end=dt.time(23, 59))
    other = TherapistProfileFactory(locations=[near], display_name="Cas Centrum")
    work_every_day(other, near, start=dt.time(9), end=dt.time(17))
    return far, service, therapist


def _fits(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling at 390 px."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _no_english(page: Page, where: str, proper_nouns: tuple[str, ...]) -> None:
    text = page.evaluate(_PAGE_TEXT)
    for noun in proper_nouns:
        text = text.replace(noun, " ")
    found = sorted({m.group(0) for m in ENGLISH_WORD.finditer(text)})
    assert not found, f"{where}: English left on the page: {found}"


def _check(page: Page, where: str, language: str = "en") -> None:
    page.wait_for_load_state("load")
    _fits(page)
    assert_accessible(page, where)
    if language != "en":
        _no_english(page, where, PROPER_NOUNS)
    assert page.locator("html").get_attribute("lang") == language, where


def _day_name(day: dt.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "l j F")


def _tap_size(locator: Any) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["height"] >= 44, box


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "journey",
    [(viewport, language) for viewport in VIEWPORTS for language in LANGUAGES],
    indirect=True,
    ids=lambda p: "-".join(p),
)
def test_client_books_is_warned_reschedules_and_cancels(live_server, journey):
    page, language = journey
    text = TEXT[language]
    location, service, therapist = _clinic()
    # The sign-in page follows the browser's language; once signed in, the client's own.
    client = ClientFactory(email="calendar@example.test", profile__preferred_language=language)

    page.goto(f"{live_server.url}/accounts/login/?next=/booking/")
    _check(page, "sign-in", language)
    page.get_by_label(text["email"]).fill(client.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name=text["sign_in"]).click()

    _check(page, "start", language)
    page.get_by_label(text["service"]).select_option(str(service.pk))
    page.get_by_role("button", name=text["find"]).click()
    _check(page, "calendar", language)

    # A chosen location: the calendar narrows to it (htmx swaps the steps in place).
    page.get_by_role("link", name=location.name, exact=True).click()
    expect(page.get_by_role("link", name=location.name, exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    _check(page, "calendar at a location", language)

    # The soonest day has times inside the 24-hour window: marked, and warned about again.
    page.get_by_role("link", name=text["first_available"]).click()
    expect(page.locator("#times-heading")).to_be_focused()
    _check(page, "first available day", language)
    late = page.locator(".time-list a", has_text=text["late_tag"]).first
    expect(late).to_be_visible()
    _tap_size(late)
    late.click()
    expect(page.locator("#late-warning")).to_be_visible()
    _check(page, "confirm, late", language)
    page.get_by_role("link", name=text["back_to_calendar"]).click()
    _check(page, "calendar again", language)

    # A day next week, chosen on the calendar by its accessible name.
    today = timezone.now().astimezone(location.zone).date()
    target = today + dt.timedelta(days=7)
    if target.month != today.month:
        page.get_by_role("link", name=text["next_month"]).click()
        expect(page.locator(".month-name")).to_contain_text(str(target.year))
    day_link = page.get_by_role(
        "link", name=re.compile(f"^{_day_name(target, language)}, {text['openings']}$")
    )
    _tap_size(day_link)
    day_link.click()
    expect(day_link).to_have_attribute("aria-current", "date")
    expect(page.locator("#times-heading")).to_be_focused()
    _check(page, "chosen day", language)
    page.locator(".time-list a", has_text="14:00").first.click()
    expect(page.locator("#late-warning")).to_have_count(0)
    _check(page, "confirm", language)
    page.get_by_role("button", name=text["confirm"]).click()
    expect(page.get_by_role("heading", name=text["confirmed"])).to_be_visible()
    _check(page, "confirmed", language)
    booked = Appointment.objects.get(client=client)
    assert booked.therapist == therapist
    assert booked.local_start == dt.datetime.combine(target, dt.time(14), tzinfo=location.zone)

    # Reschedule: only acceptable times, then a confirmation step of its own.
    page.get_by_role("link", name=text["reschedule"]).click()
    _check(page, "reschedule", language)
    # The calendar opens on the appointment's own day, with its other times.
    expect(page.locator("#times-heading")).to_contain_text(_day_name(target, language))
    page.locator(".time-list a", has_text="16:00").click()
    expect(page.get_by_role("heading", name=text["move_question"])).to_be_visible()
    _check(page, "reschedule question", language)
    page.get_by_role("button", name=text["move_yes"]).click()
    expect(page.get_by_text(text["moved"])).to_be_visible()
    _check(page, "moved", language)
    booked.refresh_from_db()
    assert booked.local_start.hour == 16

    # Cancel: asked first, told it is on time.
    page.get_by_role("link", name=text["cancel"]).click()
    expect(page.get_by_role("heading", name=text["cancel_question"])).to_be_visible()
    expect(page.locator("#on-time-cancel")).to_contain_text(text["not_late"])
    _check(page, "cancel question", language)
    page.get_by_role("button", name=text["cancel_yes"]).click()
    expect(page.get_by_text(text["cancelled"])).to_be_visible()
    _check(page, "cancelled", language)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED

    # The main navigation: folded behind Menu on the phone, there all along on a desktop.
    menu = page.get_by_role("button", name=text["menu"])
    if page.viewport_size and page.viewport_size["width"] < 600:
        expect(page.get_by_role("link", name=text["my_appointments"])).to_be_hidden()
        expect(menu).to_have_attribute("aria-expanded", "false")
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
    else:
        expect(menu).to_be_hidden()
    link = page.get_by_role("link", name=text["my_appointments"])
    _tap_size(link)
    link.click()
    _check(page, "appointment list", language)


@pytest.mark.django_db(transaction=True)
def test_every_step_works_without_javascript(live_server, browser):
    location, service, therapist = _clinic()
    client = ClientFactory(email="no-js@example.test")
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/booking/")
    page.get_by_label("E-mail address").fill(client.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Service").select_option(str(service.pk))
    page.get_by_role("button", name="Find a therapist and a time").click()
    # Without the script the navigation is a wrapping list, not folded behind a Menu button.
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="My appointments")).to_be_visible()
    page.get_by_role("link", name=location.name, exact=True).click()
    page.get_by_role("link", name="Times with Zoë Zuid").click()
    expect(page).to_have_url(re.compile(f"therapist={therapist.pk}"))
    page.get_by_role("link", name="First available").click()
    page.get_by_role("link", name="Next month").click()
    page.get_by_role("link", name=re.compile(r", \d+ openings?$")).first.click()
    expect(page.get_by_role("link", name=re.compile(r", \d+ openings?$")).first).to_have_attribute(
        "aria-current", "date"
    )
    page.locator(".time-list a", has_text="10:00").first.click()
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.get_by_role("heading", name="Appointment confirmed")).to_be_visible()
    assert Appointment.objects.get(client=client).therapist == therapist
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("factory", [FrontDeskFactory, ClinicAdminFactory], ids=["desk", "admin"])
def test_staff_navigation_fits_a_phone(live_server, browser, factory):
    """The longest navigations (front desk, clinic admin) fold behind Menu and never overflow."""
    user = factory(email="staff-phone@example.test")
    totp_device_for(user)
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("E-mail address").fill(user.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_code_in_browser(page, user)
    page.wait_for_load_state("load")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    _fits(page)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    _fits(page)
    links = page.locator("#site-nav-list > li > a")
    for index in range(links.count()):
        _tap_size(links.nth(index))
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    context.close()


def test_the_axe_helper_reports_what_it_finds(page):
    page.set_content(
        '<html lang="en"><body><main><img src="x.png"><a href="/"></a></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)"):
        assert_accessible(page, "a page with an unlabelled image")
