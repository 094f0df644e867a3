"""Monotone until reviewed: a flag holds, whatever the client answers next, until a clinician decides."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from intake.demo import scenario_answers
from intake.findings import highest_level, open_level_for
from intake.gate import (
    BookingGate,
    IntakeSnapshot,
    IntakeStatus,
    booking_gate_for,
    effective_level_for,
    gate_from_snapshot,
    intake_status_for,
)
from intake.models import AlertReason, IntakeResponse, ScreeningResult, StaffAlert

# One flag per level the spec names. URGENT and STOP refuse booking (issue 11), EMERGENCY too.
FLAGS: dict[str, tuple[dict[str, Any], str, BookingGate]] = {
    "emergency": ({"rf_back_emergency": ["saddle"]}, "emergency", BookingGate.EMERGENCY),
    "urgent": ({"calf_swelling": True, "calf_chest": ["none"]}, "urgent", BookingGate.BLOCKED),
    "stop-fever": ({"contra": ["fever-infection"]}, "stop", BookingGate.BLOCKED),
    "stop-clot": ({"contra": ["dvt"]}, "stop", BookingGate.BLOCKED),
    "hold": ({"contra": ["pregnancy"], "pregnancy_trimester": "2"}, "hold", BookingGate.REQUEST),
    "review": ({"rf_back_review": ["night-pain"]}, "review", BookingGate.REQUEST),
}

# Every answer the flags above could have set, back to "none" (None clears an answer).
NONE_ANSWERS: dict[str, Any] = {
    "contra": ["none"],
    "pregnancy_trimester": None,
    "calf_swelling": False,
    "calf_chest": None,
    "rf_back_emergency": ["none"],
    "rf_back_urgent": ["none"],
    "rf_back_review": ["none"],
    "signature": "Casey Client",  # each submission is signed again
}


def _web_resubmit_none(client: Any) -> None:
    """Update the intake through the HTML pages, answering "none" to every screening question."""
    assert client.post(reverse("intake:start")).status_code == 302
    screen = client.post(
        reverse("intake:step", args=["screen"]), {"contra": ["none"], "calf_swelling": "no"}
    )
    assert screen.status_code == 302, screen.content.decode()[:2000]
    flags = client.post(
        reverse("intake:step", args=["red_flags"]),
        {"rf_back_emergency": ["none"], "rf_back_urgent": ["none"], "rf_back_review": ["none"]},
    )
    assert flags.status_code == 302, flags.content.decode()[:2000]
    signed = client.post(
        reverse("intake:step", args=["consent"]),
        {"consent_health_data": "yes", "consent_hands_on": "yes", "signature": "Casey Client"},
    )
    assert signed.status_code == 302
    assert "Submit my intake" in client.get(reverse("intake:check")).content.decode()
    assert client.post(reverse("intake:submit"))["Location"] == reverse("intake:home")


@pytest.mark.parametrize("flag", FLAGS)
def test_web_resubmitting_none_keeps_the_flag_until_a_clinician_clears(
    client, personas, submit_intake, treats, flag
):
    overrides, level, gate = FLAGS[flag]
    treats(personas.therapist, personas.client)
    flagged = submit_intake(personas.client, **overrides)
    assert booking_gate_for(personas.client) == gate

    client.force_login(personas.client)
    _web_resubmit_none(client)

    calm = IntakeResponse.objects.get(client=personas.client, status="submitted")
    assert calm.pk != flagged.pk
    record = ScreeningResult.objects.get(response=calm)
    assert (record.level, record.effective_level) == ("clear", level)
    # The earlier submission and what it triggered are kept, still open.
    first = ScreeningResult.objects.get(response=flagged)
    assert first.level == level
    assert first.resolved_by is None
    assert booking_gate_for(personas.client) == gate
    assert effective_level_for(personas.client) == level
    assert intake_status_for(personas.client) == IntakeStatus.FLAGGED
    home = client.get(reverse("intake:home")).content.decode()
    assert str(gate.label) in home
    if level == "emergency":
        assert "Please seek emergency care now" in home
    # The correction itself raises a review; the original alert stays open.
    changed = StaffAlert.objects.get(screening=record)
    assert (changed.reason, changed.level) == (AlertReason.ANSWERS_CHANGED, level)
    assert StaffAlert.objects.get(screening=first).resolved_at is None

    client.force_login(personas.therapist)
    page = client.get(reverse("intake:review-detail", args=[calm.pk])).content.decode()
    assert 'id="open-findings"' in page
    assert level.upper() in page
    if level == "stop":
        # STOP needs the client's "it has passed" *and* a clinician's clearance.
        early = client.post(
            reverse("intake:review-detail", args=[calm.pk]),
            {"action": "cleared", "note": "Spoke with the client."},
        )
        assert "has not yet confirmed that it has passed" in early.content.decode()
        assert booking_gate_for(personas.client) == gate
        client.force_login(personas.client)
        assert client.post(reverse("intake:stop-passed")).status_code == 302
        assert booking_gate_for(personas.client) == gate  # the client's word alone lifts nothing
        client.force_login(personas.therapist)
    done = client.post(
        reverse("intake:review-detail", args=[calm.pk]),
        {"action": "cleared", "note": "Spoke with the client; answered in error."},
    )
    assert done.status_code == 302
    assert booking_gate_for(personas.client) == BookingGate.CLEAR
    assert open_level_for(personas.client.pk) is None
    first.refresh_from_db()
    assert first.resolved_by is not None
    assert first.resolved_by.reviewer == personas.therapist
    assert not StaffAlert.objects.filter(client=personas.client, resolved_at=None).exists()


@pytest.mark.parametrize("flag", FLAGS)
def test_api_resubmitting_none_keeps_the_flag_until_a_clinician_clears(
    personas, api_as, treats, flag
):
    overrides, level, gate = FLAGS[flag]
    treats(personas.therapist, personas.client)
    api = api_as(personas.client)
    api.post(reverse("api:intake-me"))
    api.patch(
        reverse("api:intake-me"),
        {"answers": scenario_answers("clear", **overrides)},
        format="json",
    )
    first = api.post(reverse("api:intake-me-submit")).json()
    assert (first["level"], first["booking_gate"]) == (level, gate.value)

    assert api.post(reverse("api:intake-me")).status_code == 201
    saved = api.patch(reverse("api:intake-me"), {"answers": NONE_ANSWERS}, format="json")
    assert saved.json()["errors"] == {}
    again = api.post(reverse("api:intake-me-submit"))
    assert again.status_code == 200
    body = again.json()
    assert (body["submission_level"], body["level"], body["booking_gate"]) == (
        "clear",
        level,
        gate.value,
    )
    assert ("911" in body["emergency_advice"]) is (level == "emergency")
    assert api.get(reverse("api:intake-me-screening")).json()["booking_gate"] == gate.value

    reviewer = api_as(personas.therapist)
    current = body["intake_id"]
    seen = reviewer.get(reverse("api:intake-response", args=[current])).json()
    assert seen["level"] == "clear"
    assert seen["effective_level"] == level
    assert [f["level"] for f in seen["open_findings"]] == [level]
    assert seen["open_findings"][0]["intake_id"] != current
    if level == "stop":
        early = reviewer.post(
            reverse("api:intake-response-decisions", args=[current]),
            {"action": "cleared", "note": "Checked by phone."},
            format="json",
        )
        assert (early.status_code, early.json()["code"]) == (400, "stop_not_passed")
        confirmed = api_as(personas.client).post(reverse("api:intake-me-stop-passed"))
        assert confirmed.json() == {"confirmed": 1, "booking_gate": gate.value}
        reviewer = api_as(personas.therapist)
    decided = reviewer.post(
        reverse("api:intake-response-decisions", args=[current]),
        {"action": "cleared", "note": "Checked by phone."},
        format="json",
    )
    assert decided.status_code == 201
    assert decided.json()["booking_gate"] == BookingGate.CLEAR.value


def test_a_lower_flag_does_not_replace_a_higher_open_one(personas, submit_intake):
    submit_intake(personas.client, rf_back_emergency=["saddle"])
    submit_intake(personas.client, rf_back_review=["night-pain"])
    assert effective_level_for(personas.client) == "emergency"
    assert booking_gate_for(personas.client) == BookingGate.EMERGENCY
    assert ScreeningResult.objects.filter(client=personas.client, resolved_by=None).count() == 2


def test_needs_call_does_not_resolve_and_survives_a_resubmission(
    personas, submit_intake, treats, api_as
):
    treats(personas.therapist, personas.client)
    flagged = submit_intake(personas.client, "hold")
    api_as(personas.therapist).post(
        reverse("api:intake-response-decisions", args=[flagged.pk]),
        {"action": "needs_call", "note": "Call first."},
        format="json",
    )
    assert open_level_for(personas.client.pk) == "hold"
    submit_intake(personas.client)
    assert booking_gate_for(personas.client) == BookingGate.REQUEST


def test_refer_out_survives_a_resubmission(personas, submit_intake, treats, api_as):
    treats(personas.therapist, personas.client)
    flagged = submit_intake(personas.client, "urgent")
    api_as(personas.therapist).post(
        reverse("api:intake-response-decisions", args=[flagged.pk]),
        {"action": "refer_out", "note": "To the GP today."},
        format="json",
    )
    submit_intake(personas.client)
    assert booking_gate_for(personas.client) == BookingGate.REFERRED
    assert intake_status_for(personas.client) == IntakeStatus.FLAGGED


def test_a_clearance_does_not_cover_a_later_flag(personas, submit_intake, treats, api_as):
    treats(personas.therapist, personas.client)
    first = submit_intake(personas.client, "hold")
    api_as(personas.therapist).post(
        reverse("api:intake-response-decisions", args=[first.pk]),
        {"action": "cleared"},
        format="json",
    )
    assert booking_gate_for(personas.client) == BookingGate.CLEAR
    submit_intake(personas.client, "review")
    assert booking_gate_for(personas.client) == BookingGate.REQUEST
    submit_intake(personas.client)  # and answering "none" again does not lift it
    assert booking_gate_for(personas.client) == BookingGate.REQUEST


def test_a_decision_on_a_replaced_version_is_refused(personas, submit_intake, treats, api_as):
    treats(personas.therapist, personas.client)
    old = submit_intake(personas.client, "emergency")
    submit_intake(personas.client)
    refused = api_as(personas.therapist).post(
        reverse("api:intake-response-decisions", args=[old.pk]),
        {"action": "cleared"},
        format="json",
    )
    assert refused.status_code == 409
    assert booking_gate_for(personas.client) == BookingGate.EMERGENCY


def test_highest_level_and_a_hand_built_snapshot_are_safe_by_default():
    import datetime as dt

    assert highest_level(None, "", "review", "area") == "review"
    assert highest_level() == "clear"
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    snap = IntakeSnapshot(submitted_at=now, level="hold", last_action="cleared")
    assert gate_from_snapshot(snap, now=now, validity_months=12) == BookingGate.REQUEST
    snap = IntakeSnapshot(submitted_at=now, level="clear", open_level="urgent")
    assert gate_from_snapshot(snap, now=now, validity_months=12) == BookingGate.BLOCKED
