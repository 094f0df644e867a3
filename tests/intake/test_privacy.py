"""Who sees intake answers: the client, their therapists, clinic admins. Nobody else, anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent

SECRET = "Stiff, aching lower back"  # part of the demo reason-for-visit answer


@pytest.fixture
def flagged(personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    return submit_intake(personas.client, "hold")


def _pages(response_id: int) -> list[str]:
    return [
        reverse("intake:review-detail", args=[response_id]),
        reverse("intake:fhir", args=[response_id]),
    ]


def _api(response_id: int) -> list[str]:
    return [
        reverse("api:intake-response", args=[response_id]),
        reverse("api:intake-response-fhir", args=[response_id]),
    ]


def test_front_desk_gets_no_answers_from_any_page_or_endpoint(client, personas, flagged, api_as):
    client.force_login(personas.front_desk)
    for url in [*_pages(flagged.pk), reverse("intake:review-queue"), reverse("intake:home")]:
        page = client.get(url)
        assert page.status_code in (403, 404), url
        assert SECRET not in page.content.decode()
    statuses = client.get(reverse("intake:statuses"))
    assert statuses.status_code == 200
    assert "Flagged" in statuses.content.decode()
    assert SECRET not in statuses.content.decode()
    api = api_as(personas.front_desk)
    for url in [*_api(flagged.pk), reverse("api:intake-responses"), reverse("api:intake-me")]:
        answer = api.get(url)
        assert answer.status_code in (403, 404), url
        assert SECRET not in answer.content.decode()
    assert api.get(reverse("api:intake-statuses"), {"client": flagged.client_id}).json() == {
        str(flagged.client_id): "flagged"
    }


def test_other_client_gets_404_and_no_answers(client, personas, flagged, api_as):
    client.force_login(personas.other_client)
    assert client.get(reverse("intake:fhir", args=[flagged.pk])).status_code == 404
    assert client.get(reverse("intake:review-detail", args=[flagged.pk])).status_code == 403
    own = client.get(reverse("intake:home"))
    assert SECRET not in own.content.decode()
    api = api_as(personas.other_client)
    assert api.get(reverse("api:intake-response-fhir", args=[flagged.pk])).status_code == 404
    assert api.get(reverse("api:intake-me")).status_code == 404
    assert api.get(reverse("api:intake-me-screening")).status_code == 404


def test_other_therapist_gets_404(client, personas, flagged, api_as):
    client.force_login(personas.other_therapist)
    assert client.get(reverse("intake:review-detail", args=[flagged.pk])).status_code == 404
    assert SECRET not in client.get(reverse("intake:review-queue")).content.decode()
    api = api_as(personas.other_therapist)
    assert api.get(reverse("api:intake-response", args=[flagged.pk])).status_code == 404
    assert api.get(reverse("api:intake-responses")).json() == []
    denied = AuditEvent.objects.filter(actor=personas.other_therapist, outcome="denied")
    assert denied.count() == 2


@pytest.mark.parametrize("who", ["client", "therapist", "clinic_admin"])
def test_each_read_leaves_exactly_one_audit_record(client, personas, flagged, who):
    user = getattr(personas, who)
    url = (
        reverse("intake:fhir", args=[flagged.pk])
        if who == "client"
        else reverse("intake:review-detail", args=[flagged.pk])
    )
    client.force_login(user)
    before = AuditEvent.objects.count()
    page = client.get(url)
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    events = AuditEvent.objects.order_by("id")[before:]
    assert len(events) == 1
    event = events[0]
    assert (event.actor, event.subject, event.object_id, event.outcome) == (
        user,
        personas.client,
        str(flagged.pk),
        "allowed",
    )
    assert SECRET not in event.detail


def test_api_read_leaves_one_audit_record(personas, flagged, api_as):
    api = api_as(personas.therapist)
    before = AuditEvent.objects.count()
    body = api.get(reverse("api:intake-response", args=[flagged.pk])).json()
    assert body["answers"]["reason"].startswith(SECRET)
    assert body["level"] == "hold"
    assert AuditEvent.objects.count() == before + 1


def test_anonymous_is_sent_to_login(client, flagged):
    for url in [reverse("intake:home"), *_pages(flagged.pk), reverse("intake:review-queue")]:
        page = client.get(url)
        assert page.status_code == 302, url
        assert "/accounts/login/" in page["Location"], url


def test_wrong_role_gets_403(client, personas):
    client.force_login(personas.therapist)
    assert client.get(reverse("intake:home")).status_code == 403
    assert client.get(reverse("intake:statuses")).status_code == 403
    client.force_login(personas.client)
    assert client.get(reverse("intake:review-queue")).status_code == 403
    assert client.get(reverse("intake:statuses")).status_code == 403
