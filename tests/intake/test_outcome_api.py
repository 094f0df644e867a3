"""Outcome API: submission validation, permissions, trend, due, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from intake.models import OutcomeResponse
from tests.intake.test_outcomes import session_with  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

SUBMIT = reverse("api:outcome-submit")
TREND = reverse("api:outcome-trend")
DUE = reverse("api:outcome-due")


def test_client_submits_own_nprs(personas, api_as):
    reply = api_as(personas.client).post(
        SUBMIT, {"instrument": "nprs", "answers": {"pain_now": 6, "pain_worst": 8}}
    )
    assert reply.status_code == 201, reply.data
    assert (reply.data["score"], reply.data["valid"], reply.data["source"]) == (
        "6.00", True, "follow_up",
    )  # fmt: skip
    assert OutcomeResponse.objects.get().client == personas.client


def test_out_of_range_is_400_naming_the_item(personas, api_as):
    reply = api_as(personas.client).post(
        SUBMIT, {"instrument": "nprs", "answers": {"pain_now": 11}}
    )
    assert reply.status_code == 400
    assert reply.data["fields"] == {
        "answers.pain_now": ["must be a whole number from 0 to 10, not 11"]
    }
    assert "pain_now" in reply.data["message"]
    assert not OutcomeResponse.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "nprs"}, "answers"),
        ({"instrument": "nprs", "answers": {}}, "answers"),
        ({"instrument": "nope", "answers": {"x": 1}}, "instrument"),
        ({"instrument": "psfs", "answers": {"activity_1": 3}}, "answers.activity_2"),
        ({"instrument": "nprs", "answers": {"pain_now": 3}, "condition": 999999}, "condition"),
        ({"instrument": "nprs", "answers": {"pain_now": 3}, "source": "x"}, "source"),
    ],
)
def test_bad_submissions_are_400_with_a_field(personas, api_as, body, field):
    reply = api_as(personas.client).post(SUBMIT, body)
    assert reply.status_code == 400
    assert field in reply.data["fields"]


def test_client_cannot_submit_for_another_client(personas, api_as):
    reply = api_as(personas.other_client).post(
        SUBMIT, {"instrument": "nprs", "answers": {"pain_now": 3}, "client": personas.client.pk}
    )
    assert reply.status_code == 404
    assert not OutcomeResponse.objects.exists()


def test_therapist_submits_for_own_client_and_outsider_gets_404(personas, api_as, session_with):  # noqa: F811 (fixture)
    session_with(personas.client)
    body = {"instrument": "pgic", "answers": {"change": 2}, "client": personas.client.pk}
    reply = api_as(personas.therapist).post(SUBMIT, body)
    assert reply.status_code == 201
    assert reply.data["source"] == "session"
    assert api_as(personas.other_therapist).post(SUBMIT, body).status_code == 404


def test_staff_must_name_the_client(personas, api_as):
    reply = api_as(personas.clinic_admin).post(
        SUBMIT, {"instrument": "nprs", "answers": {"pain_now": 1}}
    )
    assert reply.status_code == 400
    assert "client" in reply.data["fields"]


@pytest.mark.parametrize("url", [SUBMIT, TREND, DUE])
def test_front_desk_is_forbidden(personas, api_as, url):
    client = api_as(personas.front_desk)
    reply = (
        client.post(url, {}) if url == SUBMIT else client.get(url, {"client": personas.client.pk})
    )
    assert reply.status_code == 403


@pytest.mark.parametrize("url", [TREND, DUE])
def test_anonymous_is_refused(api_client, url):
    assert api_client.get(url).status_code in (401, 403)


def submit(api, value, condition=None):
    body = {"instrument": "nprs", "answers": {"pain_now": value}}
    if condition:
        body["condition"] = condition
    assert api.post(SUBMIT, body).status_code == 201


def test_client_reads_own_trend(personas, api_as):
    api = api_as(personas.client)
    for value in (8, 6, 3):
        submit(api, value)
    reply = api.get(TREND)
    assert reply.status_code == 200
    (series,) = reply.data
    assert series["instrument"] == "nprs"
    assert [p["value"] for p in series["points"]] == ["8.00", "6.00", "3.00"]
    assert (series["low"], series["high"]) == ("0.00", "10.00")


def test_client_asking_for_another_clients_trend_gets_404(personas, api_as):
    submit(api_as(personas.client), 5)
    reply = api_as(personas.other_client).get(TREND, {"client": personas.client.pk})
    assert reply.status_code == 404


@pytest.mark.parametrize("who", ["other_therapist"])
def test_therapist_not_treating_gets_404(personas, api_as, who):
    submit(api_as(personas.client), 5)
    reply = api_as(getattr(personas, who)).get(TREND, {"client": personas.client.pk})
    assert reply.status_code == 404


def test_therapist_reads_own_clients_trend_audited(personas, api_as, session_with):  # noqa: F811 (fixture)
    session_with(personas.client)
    submit(api_as(personas.client), 5)
    before = AuditEvent.objects.filter(detail="outcomes: trend").count()
    reply = api_as(personas.therapist).get(TREND, {"client": personas.client.pk})
    assert reply.status_code == 200
    assert len(reply.data[0]["points"]) == 1
    assert AuditEvent.objects.filter(detail="outcomes: trend").count() == before + 1


def test_trend_query_count_is_fixed(personas, api_as, django_assert_num_queries):
    api = api_as(personas.client)
    submit(api, 4)
    with django_assert_num_queries(3):
        assert api.get(TREND).status_code == 200
    for value in range(8):
        submit(api, value)
    with django_assert_num_queries(3):
        reply = api.get(TREND)
    assert len(reply.data[0]["points"]) == 9


def test_due_lists_intake_measures(personas, api_as):
    reply = api_as(personas.client).get(DUE)
    assert reply.status_code == 200
    assert {(d["instrument"], d["reason"]) for d in reply.data} == {
        ("nprs", "intake"), ("psfs", "intake"),
    }  # fmt: skip


def test_due_read_is_audited_and_an_outsider_is_refused(personas, api_as):
    assert api_as(personas.client).get(DUE).status_code == 200
    event = AuditEvent.objects.get(detail="outcomes: due")
    assert (event.actor, event.subject) == (personas.client, personas.client)
    assert (
        api_as(personas.other_therapist).get(DUE, {"client": personas.client.pk}).status_code == 404
    )
    assert AuditEvent.objects.filter(actor=personas.other_therapist, outcome="denied").exists()


@pytest.mark.parametrize(
    ("claim", "fields"),
    [
        ({"source": "session"}, {"source"}),
        ({"source": "follow_up"}, {"source"}),
        ({"source": "intake"}, {"source"}),
        ({"appointment_id": 12345}, {"appointment_id"}),
        ({"source": "session", "appointment_id": 12345}, {"source", "appointment_id"}),
    ],
)
def test_a_client_cannot_claim_a_source_or_an_appointment(personas, api_as, claim, fields):
    reply = api_as(personas.client).post(
        SUBMIT, {"instrument": "nprs", "answers": {"pain_now": 6}, **claim}, format="json"
    )
    assert reply.status_code == 400
    assert set(reply.data["fields"]) == fields
    assert not OutcomeResponse.objects.exists()


def test_a_client_may_say_the_answer_is_their_own(personas, api_as):
    reply = api_as(personas.client).post(
        SUBMIT, {"instrument": "nprs", "answers": {"pain_now": 6}, "source": "self"}, format="json"
    )
    assert reply.status_code == 201
    assert (reply.data["source"], reply.data["appointment_id"]) == ("follow_up", None)


def test_staff_cannot_claim_the_clients_own_answer(personas, api_as, session_with):  # noqa: F811 (fixture)
    session_with(personas.client)
    reply = api_as(personas.therapist).post(
        SUBMIT,
        {"instrument": "nprs", "answers": {"pain_now": 6}, "client": personas.client.pk,
         "source": "self"},
        format="json",
    )  # fmt: skip
    assert reply.status_code == 400
    assert set(reply.data["fields"]) == {"source"}
