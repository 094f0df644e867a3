"""In a real browser: a client whose language is Dutch fills in the intake and reads it back.

Every page (each step, the check page, the intake page after submitting and the submitted,
read-only view) shows Dutch questions, answer labels, step list and pain-map list, no English
from a small list of give-away words, and no serious or critical axe violation.
"""

from __future__ import annotations

import re

import pytest

from clinic.models import ClientProfile
from intake import services
from intake.demo import BASELINE_ANSWERS
from tests.axe import assert_accessible
from tests.factories import TEST_PASSWORD, ClientFactory

# The about and pain steps are typed in the browser; the rest is saved beforehand (in Dutch
# where it is free text) so the client steps through pages that already hold answers.
ABOUT_AND_PAIN = {
    "reason", "age", "conditions", "conditions_other", "pain_map", "pain_now", "pain_best",
    "pain_worst", "onset", "duration", "worse", "better",
}  # fmt: skip
DUTCH_FREE_TEXT = {
    "tried_outcome": "Hielp steeds een paar weken.",
    "psfs_activity_1": "Een werkdag zitten",
    "signature": "Sanne de Vries",
}
ENGLISH_WORDS = re.compile(r"\b(?:[Tt]he|[Aa]nd|[Yy]our|[Pp]ain|Next|Back|Submit)\b")


def _english_in_main(page) -> list[str]:
    text = page.locator("main").inner_text()
    return [line for line in text.splitlines() if ENGLISH_WORDS.search(line)]


def _check_page(page, heading: str) -> None:
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("html").get_attribute("lang") == "nl"
    assert _english_in_main(page) == [], page.url
    assert_accessible(page, heading)


@pytest.mark.django_db(transaction=True)
def test_a_dutch_client_fills_in_the_intake_in_dutch(live_server, page):
    client = ClientFactory(email="sanne@example.test", first_name="Sanne", last_name="de Vries")
    ClientProfile.objects.filter(user=client).update(preferred_language="nl")
    services.intake_start(client=client)
    later_steps = {k: v for k, v in BASELINE_ANSWERS.items() if k not in ABOUT_AND_PAIN}
    services.intake_save_answers(client=client, answers={**later_steps, **DUTCH_FREE_TEXT})

    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(client.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(base + "/client/")

    page.goto(base + "/intake/")
    _check_page(page, "Uw intake")
    page.get_by_role("button", name="Verder met mijn intake").click()

    _check_page(page, "Over uw bezoek")
    steps = page.get_by_role("navigation", name="Stappen van de intake")
    assert steps.get_by_role("link", name="Waar en hoeveel pijn u heeft").is_visible()
    assert steps.get_by_text("Toestemming en handtekening").is_visible()
    assert page.get_by_text("Stap 1 van 8").is_visible()
    page.get_by_label("Waarvoor komt u naar de praktijk?").fill("Stijve onderrug na lange dagen.")
    page.locator("input[name=conditions][value=back-pain]").check()
    page.get_by_role("button", name="Opslaan en verder").click()

    _check_page(page, "Waar en hoeveel pijn u heeft")
    pain_map = page.locator(".painmap-list")
    assert pain_map.get_by_text("Onderrug", exact=True).is_visible()
    assert pain_map.get_by_text("Kaak / kaakgewricht", exact=True).is_visible()
    page.locator("#pm-lower-back__midline").check()
    page.get_by_label("Pijnscore voor Onderrug, 0 tot 10").select_option("6")
    page.get_by_label("Pijn op dit moment (0 geen", exact=False).fill("5")
    page.get_by_label("Pijn op het minst pijnlijke moment van de afgelopen 24 uur").fill("2")
    page.get_by_label("Pijn op het ergste moment van de afgelopen 24 uur").fill("7")
    page.get_by_label("Geleidelijk").check()
    page.get_by_label("Langer dan een jaar").check()
    page.get_by_role("button", name="Opslaan en verder").click()

    for heading in (
        "Uw voorgeschiedenis en medicijnen",
        "Gezondheidscheck",
        "Nog een paar veiligheidsvragen",
        "Uw doelen",
        "Uw voorkeuren",
    ):
        _check_page(page, heading)
        page.get_by_role("button", name="Opslaan en verder").click()
    _check_page(page, "Toestemming en handtekening")
    page.get_by_role("button", name="Opslaan en mijn antwoorden controleren").click()

    _check_page(page, "Controleer uw antwoorden")
    assert page.get_by_text("Onderrug 6/10").is_visible()
    assert page.get_by_text("Geleidelijk").is_visible()
    page.get_by_role("button", name="Mijn intake indienen").click()

    _check_page(page, "Uw intake")
    assert page.get_by_text("Dank u: uw intake is ingediend.").is_visible()

    page.goto(base + "/intake/step/pain/")
    _check_page(page, "Uw ingediende intake")
    assert page.get_by_role("heading", name="Waar en hoeveel pijn u heeft").is_visible()
    assert page.get_by_text("Hoe is het begonnen?").is_visible()
    assert page.get_by_text("Onderrug 6/10").is_visible()
