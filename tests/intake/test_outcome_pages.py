"""Outcome pages: own progress chart, answer form, therapist view; access and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from intake import outcomes
from intake.models import OutcomeResponse, OutcomeSource
from tests.intake.test_outcomes import session_with  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MINE = reverse("intake:my-outcomes")


def nprs(client, value):
    outcomes.outcome_record(
        actor=client, client=client, instrument_code="nprs",
        answers={"pain_now": value}, source=OutcomeSource.FOLLOW_UP,
    )  # fmt: skip


def theirs(personas):
    return reverse("intake:client-outcomes", args=[personas.client.pk])


def test_client_sees_own_chart_and_numbers(personas, client):
    for value in (8, 5):
        nprs(personas.client, value)
    client.force_login(personas.client)
    page = client.get(MINE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "<polyline" in html
    assert "8.00" in html
    assert "5.00" in html
    assert 'href="/intake/outcomes/answer/psfs/"' in html  # due at intake


def test_anonymous_is_sent_to_sign_in(client, personas):
    for url in (MINE, theirs(personas), reverse("intake:answer-outcome", args=["nprs"])):
        reply = client.get(url)
        assert reply.status_code == 302
        assert reply.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "url_name", "status"),
    [
        ("front_desk", "mine", 403),
        ("front_desk", "theirs", 403),
        ("other_client", "theirs", 403),
        ("therapist", "mine", 403),
        ("other_therapist", "theirs", 404),
    ],
)
def test_wrong_role_403_and_outsider_404(personas, client, who, url_name, status):
    nprs(personas.client, 4)
    client.force_login(getattr(personas, who))
    url = MINE if url_name == "mine" else theirs(personas)
    assert client.get(url).status_code == status


def test_treating_therapist_and_admin_see_the_clients_chart(personas, client, session_with):  # noqa: F811 (fixture)
    session_with(personas.client)
    nprs(personas.client, 6)
    for who in (personas.therapist, personas.clinic_admin):
        client.force_login(who)
        page = client.get(theirs(personas))
        assert page.status_code == 200
        assert "6.00" in page.content.decode()
    assert AuditEvent.objects.filter(detail="outcomes: trend").count() == 2


def test_page_query_count_does_not_grow(personas, client, django_assert_max_num_queries):
    client.force_login(personas.client)
    nprs(personas.client, 3)
    client.get(MINE)
    for value in range(10):
        nprs(personas.client, value)
    # Session, user, trend (client, responses, audit), due (policy, sessions, care plan,
    # last answers, instruments, conditions, intake profile) -- none per response.
    with django_assert_max_num_queries(20) as captured:
        client.get(MINE)
    few = len(captured.captured_queries)
    for value in range(10):
        nprs(personas.client, value)
    with django_assert_max_num_queries(few):
        client.get(MINE)


def test_answer_form_saves_and_returns_to_progress(personas, client):
    client.force_login(personas.client)
    url = reverse("intake:answer-outcome", args=["nprs"])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="pain_now"' in form.content.decode()
    reply = client.post(url, {"pain_now": "4", "pain_best": "2", "pain_worst": ""})
    assert reply.status_code == 302
    saved = OutcomeResponse.objects.get()
    assert (saved.score, saved.source, saved.answers) == (
        4,
        "intake",
        {"pain_now": "4", "pain_best": "2"},
    )


def test_answer_form_shows_the_error_at_the_item_and_keeps_answers(personas, client):
    client.force_login(personas.client)
    url = reverse("intake:answer-outcome", args=["nprs"])
    reply = client.post(url, {"pain_now": "11", "pain_best": "2"})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert 'id="o-pain_now-err"' in html
    assert "Must be a whole number from 0 to 10, not 11" in html
    assert '<option value="2" selected>' in html
    assert not OutcomeResponse.objects.exists()


def test_unknown_measure_is_404(personas, client):
    client.force_login(personas.client)
    assert client.get(reverse("intake:answer-outcome", args=["odi"])).status_code == 404
