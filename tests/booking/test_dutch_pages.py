"""A client who reads Dutch sees every booking page in Dutch: the appointment pages, the waitlist
(with a held offer) and the care plans, with Dutch day and month names and no English word left
in the text or in the attributes a screen reader reads (aria-label, title, alt, placeholder).

The browser journey (tests/booking/test_calendar_browser.py) covers booking itself; this covers
the pages around it without a browser.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.utils import translation

from booking.careplans import care_plan_create
from booking.changes import appointment_cancel
from booking.messages import appointment_context
from booking.scheduling import appointment_book
from booking.waitlist import waitlist_join
from clinic.models import ClinicPolicy
from tests.booking.factories import clinic_setup, past_session
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 1 June, 14:00 in Amsterdam

# Day abbreviations differ ("Tue", "di"); "Jun" is also Dutch (Django title-cases "jun").
ENGLISH = (
    "the", "and", "Book", "Cancel", "appointment", "Appointment", "your", "Your", "Choose",
    "with", "time", "times", "openings", "session", "sessions", "waitlist", "Waitlist",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "January", "February", "March", "April",
    "June", "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ENGLISH_WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_SWITCHER = re.compile(r'<form class="language-switcher".*?</form>', re.S)
_READ_ATTRIBUTE = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', re.I)
_TAG = re.compile(r"<[^>]*>", re.S)


def page_text(content: str) -> str:
    """What a reader meets on the page: its text and the attributes read out or shown."""
    content = _SWITCHER.sub(" ", _HIDDEN.sub(" ", content))
    attributes = _READ_ATTRIBUTE.findall(content)
    return html.unescape(" ".join([_TAG.sub(" ", content), *attributes]))


def english_words(content: str, proper_nouns: list[str]) -> list[str]:
    text = page_text(content)
    for noun in sorted(proper_nouns, key=len, reverse=True):
        text = text.replace(noun, " ")
    return sorted({m.group(0) for m in ENGLISH_WORD.finditer(text)})


def test_the_check_finds_english_and_skips_names_and_the_language_switcher():
    content = (
        '<title>Afspraken</title><p>Uw afspraak met Book Smith</p><button aria-label="Cancel it">'
        '</button><script>var the = 1;</script><form class="language-switcher"><option>English'
        "</option><button>Change the language</button></form><p>dinsdag 2 juni, Tuesday</p>"
    )
    assert english_words(content, ["Book Smith"]) == ["Cancel", "Tuesday"]


@pytest.fixture
def world(personas):
    """A Dutch-reading client with a booked visit, a held waitlist offer and a care plan."""
    with time_machine.travel(NOW, tick=False):
        location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
        therapist.user = personas.therapist
        therapist.save()
        profile = personas.client.client_profile
        profile.preferred_language = "nl"
        profile.save()
        visit = appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=dt.datetime(2026, 6, 9, 11, 0, tzinfo=location.zone),
            actor=personas.client,
        )
        # A freed Wednesday time offered to the client from the waitlist.
        third = ClientFactory()
        freed = appointment_book(
            client=third,
            service=service,
            therapist=therapist,
            start=dt.datetime(2026, 6, 3, 10, 0, tzinfo=location.zone),
            actor=third,
        )
        waitlist_join(
            client=personas.client,
            service=service,
            windows=[{"weekday": 2, "start": "09:00", "end": "12:00"}],
        )
        appointment_cancel(appointment=freed, actor=third)
        past_session(personas.client, therapist, service, location)
        plan = care_plan_create(
            actor=therapist.user,
            client=personas.client,
            therapist=therapist,
            service=service,
            sessions_per_week=2,
            weeks=3,
            reassessment_at_session=6,
            starts_on=dt.date(2026, 6, 3),
        )
    nouns = [
        location.name,
        location.address,
        service.name,
        therapist.display_name,
        personas.client.get_full_name(),
        personas.client.email,
        "Unwind",
    ]
    return visit, plan, nouns


def test_every_client_booking_page_is_in_dutch(client, personas, world):
    visit, plan, nouns = world
    with time_machine.travel(NOW, tick=False):
        client.force_login(personas.client)
        offer_page = client.get("/booking/waitlist/")
        (offer,) = offer_page.context["offers"]
        pages = {
            "/booking/": "Vertel ons waarvoor u komt",
            "/booking/appointments/": "Afspraken",
            f"/booking/appointments/{visit.pk}/": "dinsdag 9 juni 2026, 11:00",
            f"/booking/appointments/{visit.pk}/cancel/": "Deze afspraak annuleren?",
            f"/booking/appointments/{visit.pk}/reschedule/": "Kies een andere tijd",
            "/booking/waitlist/": "woensdag 09:00 tot 12:00",
            "/booking/waitlist/join/": "Tijden die u passen",
            f"/booking/waitlist/offers/{offer.pk}/": "Een tijd voor u vastgehouden",
            "/booking/care-plans/": "2 per week gedurende 3 weken",
            f"/booking/care-plans/{plan.pk}/": "herbeoordeling bij sessie 6",
            f"/booking/care-plans/{plan.pk}/book/": "Alle sessies boeken",
        }
        for url, dutch in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            content = response.content.decode()
            assert '<html lang="nl"' in content, url
            assert dutch in content, url
            assert english_words(content, nouns) == [], url


def test_the_visit_preparation_text_and_the_policy_are_in_dutch(client, personas, world):
    visit, _plan, _nouns = world
    with time_machine.travel(NOW, tick=False):
        client.force_login(personas.client)
        content = client.get(f"/booking/appointments/{visit.pk}/").content.decode()
    assert "Wat aan te trekken en mee te nemen" in content
    assert "Myofasciale release gebeurt direct op de huid" in content
    assert "Myofascial release is done directly on the skin" not in content
    assert "voor uw afspraak online verzetten of annuleren" in content


def test_staff_booking_pages_follow_the_language_switcher(client, personas, world, settings):
    """Staff have no stored preference: the switcher's cookie puts their pages in Dutch."""
    visit, plan, nouns = world
    location = visit.location
    nouns += [u.get_full_name() for u in vars(personas).values() if hasattr(u, "get_full_name")]
    nouns += [u.email for u in vars(personas).values() if hasattr(u, "email")]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    pages = {
        personas.front_desk: {
            "/booking/appointments/": "Afspraken filteren",
            f"/booking/appointments/{visit.pk}/": "Markeren als niet verschenen",
            f"/booking/waitlist/desk/?location={location.pk}": "Vrijgekomen tijden",
            "/booking/care-plans/": "Alleen cliënten tonen die achterlopen",
            f"/booking/care-plans/{plan.pk}/": "herbeoordeling bij sessie 6",
        },
        personas.clinic_admin: {
            f"/booking/reports/?location={location.slug}&first_day=2026-05-01"
            "&last_day=2026-06-30": "Bezetting per therapeut",
        },
        personas.therapist: {
            "/booking/calendar-feed/": "Uw agendafeed",
            "/booking/care-plans/": "Een plan opstellen voor een van uw cliënten",
            f"/booking/clients/{personas.client.pk}/care-plans/new/": "Plannen tot nu toe",
        },
    }
    with time_machine.travel(NOW, tick=False):
        for user, urls in pages.items():
            client.force_login(user)
            for url, dutch in urls.items():
                response = client.get(url)
                assert response.status_code == 200, url
                content = response.content.decode()
                assert '<html lang="nl"' in content, url
                assert dutch in content, url
                assert english_words(content, nouns) == [], url


def test_messages_carry_the_visit_preparation_text_in_the_clients_language(world):
    """Messages are composed inside the recipient's language: the shipped preparation text too,
    while a text the clinic wrote itself is sent as written."""
    visit, _plan, _nouns = world
    with translation.override("nl"):
        assert appointment_context(visit)["preparation"].startswith("Myofasciale release gebeurt")
    policy = ClinicPolicy.load()
    policy.visit_preparation_text = "Bring a towel."
    policy.save()
    with translation.override("nl"):
        assert appointment_context(visit)["preparation"] == "Bring a towel."
