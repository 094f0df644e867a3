"""Therapist review: decisions lift or keep the booking block; queue order and query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from intake.gate import BookingGate, IntakeStatus, booking_gate_for, intake_status_for
from intake.models import ReviewDecision, StaffAlert


def test_therapist_clears_flagged_intake_and_gate_goes_request_to_clear(
    client, personas, submit_intake, treats
):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "hold")
    assert booking_gate_for(personas.client) == BookingGate.REQUEST
    client.force_login(personas.therapist)
    page = client.post(
        reverse("intake:review-detail", args=[response.pk]),
        {"action": "cleared_with_precautions", "areas": "abdomen\n", "note": "Side-lying only."},
    )
    assert page.status_code == 302
    decision = ReviewDecision.objects.get(response=response)
    assert (decision.reviewer, decision.action, decision.areas) == (
        personas.therapist,
        "cleared_with_precautions",
        ["abdomen"],
    )
    assert booking_gate_for(personas.client) == BookingGate.CLEAR
    assert intake_status_for(personas.client) == IntakeStatus.CLEARED
    assert not StaffAlert.objects.filter(resolved_at__isnull=True).exists()
    from intake.gate import client_precautions

    assert "Avoid: abdomen" in client_precautions(personas.client)


def test_emergency_cleared_through_api(personas, submit_intake, treats, api_as):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "emergency")
    assert booking_gate_for(personas.client) == BookingGate.EMERGENCY
    api = api_as(personas.therapist)
    made = api.post(
        reverse("api:intake-response-decisions", args=[response.pk]),
        {"action": "cleared", "note": "Seen in ED, nothing found."},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["booking_gate"] == "clear"


@pytest.mark.parametrize(
    ("action", "gate"), [("needs_call", BookingGate.REQUEST), ("refer_out", BookingGate.REFERRED)]
)
def test_needs_call_and_refer_out_keep_booking_blocked(
    personas, submit_intake, treats, api_as, action, gate
):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client)  # even a clear intake
    made = api_as(personas.therapist).post(
        reverse("api:intake-response-decisions", args=[response.pk]),
        {"action": action, "note": "Talk first."},
        format="json",
    )
    assert made.status_code == 201
    assert booking_gate_for(personas.client) == gate
    assert intake_status_for(personas.client) == IntakeStatus.FLAGGED


def test_bad_decisions_get_field_errors_and_save_nothing(
    client, personas, submit_intake, treats, api_as
):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "hold")
    api = api_as(personas.therapist)
    url = reverse("api:intake-response-decisions", args=[response.pk])
    bad = api.post(url, {"action": "cleared_with_precautions"}, format="json")
    assert bad.status_code == 400
    assert "areas" in bad.json()["fields"]
    unknown = api.post(url, {"action": "shrug"}, format="json")
    assert unknown.status_code == 400
    assert "action" in unknown.json()["fields"]
    client.force_login(personas.therapist)
    page = client.post(reverse("intake:review-detail", args=[response.pk]), {"action": "refer_out"})
    assert page.status_code == 200
    assert "Say why" in page.content.decode()
    assert not ReviewDecision.objects.exists()
    assert booking_gate_for(personas.client) == BookingGate.REQUEST


def test_queue_lists_flagged_first_and_only_upcoming_clients(
    client, personas, submit_intake, treats
):
    treats(personas.therapist, personas.client)
    treats(personas.therapist, personas.other_client)
    clear = submit_intake(personas.client)
    flagged = submit_intake(personas.other_client, "urgent")
    from intake.selectors import review_queue_for

    assert [r.pk for r in review_queue_for(personas.therapist)] == [flagged.pk, clear.pk]
    assert review_queue_for(personas.other_therapist) == []
    assert len(review_queue_for(personas.clinic_admin)) == 2


def test_queue_query_count_does_not_grow(
    client, personas, submit_intake, treats, django_assert_num_queries
):
    from tests.factories import ClientFactory

    client.force_login(personas.therapist)
    url = reverse("intake:review-queue")

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    people = [ClientFactory() for _ in range(4)]
    treats(personas.therapist, people[0])
    submit_intake(people[0], "hold")
    few = count()
    for person in people[1:]:
        treats(personas.therapist, person)
        submit_intake(person, "review")
    with django_assert_num_queries(few):
        client.get(url)


def test_front_desk_status_list_query_count_is_fixed(
    client, personas, submit_intake, django_assert_num_queries
):
    from tests.factories import ClientFactory

    client.force_login(personas.front_desk)
    url = reverse("intake:statuses")
    submit_intake(personas.client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for _ in range(5):
        submit_intake(ClientFactory(), "hold")
    with django_assert_num_queries(len(ctx.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Flagged") == 5


@pytest.mark.parametrize("path", ["page", "api"])
def test_a_refused_decision_is_kept_in_the_audit_trail(
    client, personas, submit_intake, treats, api_as, path
):
    """The refusal happens inside the decision's transaction; its audit record outlives it."""
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "hold")
    if path == "page":
        client.force_login(personas.other_therapist)
        answer = client.post(
            reverse("intake:review-detail", args=[response.pk]), {"action": "cleared"}
        )
    else:
        answer = api_as(personas.other_therapist).post(
            reverse("api:intake-response-decisions", args=[response.pk]),
            {"action": "cleared"},
            format="json",
        )
    assert answer.status_code == 404
    assert not ReviewDecision.objects.exists()
    denied = AuditEvent.objects.get(actor=personas.other_therapist)
    assert (denied.outcome, denied.action, denied.subject, denied.detail) == (
        "denied",
        "decide",
        personas.client,
        "review: cleared",
    )
    assert denied.object_id == str(response.pk)


def test_a_decision_refused_by_role_is_kept_in_the_audit_trail(personas, submit_intake, api_as):
    response = submit_intake(personas.client, "hold")
    answer = api_as(personas.front_desk).post(
        reverse("api:intake-response-decisions", args=[response.pk]),
        {"action": "cleared"},
        format="json",
    )
    assert answer.status_code in (403, 404)
    denied = AuditEvent.objects.get(actor=personas.front_desk)
    assert denied.outcome == "denied"


@pytest.mark.parametrize(
    ("action", "gate_label"),
    [("cleared", "May book online"), ("needs_call", "Booking becomes a request")],
)
def test_a_review_decision_is_confirmed_in_a_status_message(
    client, personas, submit_intake, treats, action, gate_label
):
    treats(personas.therapist, personas.client)
    response = submit_intake(personas.client, "hold")
    client.force_login(personas.therapist)
    page = client.post(
        reverse("intake:review-detail", args=[response.pk]),
        {"action": action, "note": "Called about the blood thinner."},
        follow=True,
    )
    body = page.content.decode()
    label = ReviewDecision.objects.get(response=response).get_action_display()
    assert f"Decision saved: {label}. Online booking for this client: {gate_label}." in body
    assert '<div class="messages" role="status"' in body
