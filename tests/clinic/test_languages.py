"""The language switcher and the signed-in client's preferred language (clinic.languages)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from clinic.models import ClientProfile
from tests.clinic.test_accounts import registration_data

pytestmark = pytest.mark.django_db

SWITCH = reverse("set-language")


def _lang(response) -> str:
    body = response.content.decode()
    start = body.index('<html lang="') + len('<html lang="')
    return body[start : body.index('"', start)]


def test_every_page_has_the_switcher(client):
    response = client.get("/")
    body = response.content.decode()
    assert f'action="{SWITCH}"' in body
    assert '<option value="nl" lang="nl">Nederlands</option>' in body


def test_a_visitor_gets_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")
    assert _lang(response) == "nl"
    assert response["Content-Language"] == "nl"
    assert "Naar de hoofdinhoud" in response.content.decode()


def test_a_visitor_switches_with_the_cookie(client):
    response = client.post(SWITCH, {"language": "es", "next": "/therapists/"})
    assert response.status_code == 302
    assert response["Location"] == "/therapists/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="nl")) == "es"


def test_the_switcher_never_sends_anyone_to_another_site(client):
    response = client.post(SWITCH, {"language": "nl", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_an_unknown_language_is_a_400_with_the_field(client, personas):
    client.force_login(personas.client)
    response = client.post(SWITCH, {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert b"language" in response.content
    profile = ClientProfile.objects.get(user=personas.client)
    assert profile.preferred_language == "en"


def test_a_client_choosing_a_language_stores_it_as_preferred(client, personas):
    client.force_login(personas.client)
    client.post(SWITCH, {"language": "nl", "next": "/"})
    assert ClientProfile.objects.get(user=personas.client).preferred_language == "nl"
    # The preference beats the browser's language and the cookie.
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "nl"


def test_a_client_signing_in_gets_their_preferred_language(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(personas.client)
    response = client.get(reverse("client-home"), HTTP_ACCEPT_LANGUAGE="nl")
    assert _lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_signing_out_returns_to_the_browser_language(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="es")
    client.force_login(personas.client)
    client.post(reverse("logout"))
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="nl")) == "nl"


def test_a_profile_change_of_language_applies_at_once(client, personas):
    client.force_login(personas.client)
    response = client.post(
        reverse("client-profile"),
        {"phone": "", "preferred_language": "nl", "reminder_channel": "email"},
    )
    assert response.status_code == 302
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "nl"


def test_staff_switch_by_cookie_and_get_no_client_profile(client, personas):
    client.force_login(personas.therapist)
    response = client.post(SWITCH, {"language": "nl", "next": "/"})
    assert response.status_code == 302
    assert not ClientProfile.objects.filter(user=personas.therapist).exists()
    assert _lang(client.get("/")) == "nl"


def test_the_switcher_answers_only_post(client):
    assert client.get(SWITCH).status_code == 405


def test_a_client_registering_keeps_the_language_they_registered_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("register"), registration_data(), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"
        )
    assert response.status_code == 302
    profile = ClientProfile.objects.get(user__email="robin.hale@example.test")
    assert profile.preferred_language == "es"
    # The verification e-mail is in that language too.
    assert mailoutbox[0].subject.startswith("Confirme su dirección")


def test_pages_show_the_dutch_text_and_dates(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="nl")
    client.force_login(personas.client)
    body = client.get(reverse("client-home")).content.decode()
    assert "Wat wilt u doen?" in body
    assert "What would you like to do?" not in body
    assert "17 mei 1980" in body  # the date of birth in the Dutch date format
