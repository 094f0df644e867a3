"""Bad or unusual input to the intake API is a 4xx in the error shape, never a 500."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_therapist_review_queue_lists_entries_by_intake_id(api_as, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    treats(personas.therapist, personas.other_client)
    clear = submit_intake(personas.client)
    flagged = submit_intake(personas.other_client, "urgent")

    response = api_as(personas.therapist).get("/api/v1/intake/responses/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [flagged.pk, clear.pk]
    assert {row["client_id"] for row in response.json()} == {
        personas.client.pk,
        personas.other_client.pk,
    }


@pytest.mark.parametrize("persona", ["therapist", "other_therapist", "clinic_admin"])
def test_every_reviewer_gets_the_queue_without_a_server_error(
    api_as, personas, submit_intake, treats, persona
):
    treats(personas.therapist, personas.client)
    submit_intake(personas.client)
    assert api_as(getattr(personas, persona)).get("/api/v1/intake/responses/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        '{"answers": {"pain_now": "bad\\u0000"}}',
        '{"answers": {"pain_now\\u0001": 3}}',
        '{"answers": {"pain_now": 1e400}}',
        '{"answers": ' + "[" * 200 + "]" * 200 + "}",
    ],
)
def test_draft_answers_with_bad_json_are_400(api_as, personas, body):
    api = api_as(personas.client)
    response = api.patch("/api/v1/intake/me/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("url", ["/api/v1/outcomes/trend/", "/api/v1/outcomes/due/"])
@pytest.mark.parametrize("client_id", ["1.5", "9" * 30, "²", "-1", "0"])
def test_outcome_reads_with_a_bad_client_id_are_4xx(api_as, personas, url, client_id):
    response = api_as(personas.therapist).get(url, {"client": client_id})
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("value", [1.5, "1", True, 2**70])
def test_outcome_submit_refuses_ids_that_are_not_whole_numbers(api_as, personas, value):
    body = json.dumps({"instrument": "nprs", "answers": {"q": 1}, "condition": value})
    response = api_as(personas.client).post(
        "/api/v1/outcomes/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "condition" in response.json()["fields"]


@pytest.mark.parametrize("value", ["1.5", "9" * 30, "²", "0", "1,x"])
def test_intake_statuses_refuse_ids_that_are_not_whole_numbers(api_as, personas, value):
    response = api_as(personas.front_desk).get("/api/v1/intake/statuses/", {"client": value})
    assert response.status_code == 400
    assert "client" in response.json()["fields"]
