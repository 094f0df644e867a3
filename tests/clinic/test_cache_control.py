"""``Cache-Control: no-store`` on every response that may carry health data."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from clinic.cache_control import NoStoreMiddleware
from clinic.tokens import api_token_issue

pytestmark = pytest.mark.django_db

PAGES = [
    ("therapist", "/intake/review/"),
    ("therapist", "/therapists/workspace/"),
    ("therapist", "/intake/outcomes/"),
    ("client", "/intake/outcomes/"),
    ("client", "/intake/"),
    ("client", "/intake/questionnaire/fhir.json"),
    ("client", "/booking/appointments/"),
    ("client", "/booking/portal/"),
    ("front_desk", "/booking/board/"),
    ("front_desk", "/booking/board/sheet/?format=csv"),
    ("front_desk", "/booking/reports/?format=csv"),
    ("clinic_admin", "/admin/clinic/auditevent/"),
    ("client", "/api/v1/intake/responses/"),
    ("client", "/api/v1/appointments/"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_signed_in_pages_are_no_store(client, personas, persona, url):
    client.force_login(getattr(personas, persona))
    response = client.get(url)
    assert response.status_code < 500
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/api/v1/intake/responses/", "/api/v1/appointments/"])
def test_api_calls_with_a_token_are_no_store(api_client, personas, url):
    _token, key = api_token_issue(user=personas.client, second_factor=False)
    response = api_client.get(url, HTTP_AUTHORIZATION=f"Token {key}")
    # A refusal is marked too: the client is known even when the role is wrong.
    assert response.status_code in (200, 403)
    assert response["Cache-Control"] == "no-store"


def test_the_token_answer_and_other_api_responses_are_no_store(api_client, personas):
    response = api_client.post(
        "/api/v1/auth/token/", {"email": personas.client.email, "password": personas.password}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert api_client.get("/api/v1/")["Cache-Control"] == "no-store"


def test_a_calendar_feed_opened_by_its_token_is_no_store(client, db):
    response = client.get("/booking/feeds/not-a-real-token.ics")
    assert response["Cache-Control"] == "no-store"


def test_public_pages_for_anonymous_visitors_keep_their_caching(client, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_no_store_replaces_whatever_caching_a_view_asked_for(personas):
    def view(request):
        response = HttpResponse("notes")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = RequestFactory().get("/therapists/workspace/")
    request.user = personas.therapist
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "no-store"
