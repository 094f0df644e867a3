"""Each screening level, walked from the client's answers to the stored outcome."""

from __future__ import annotations

import pytest

from intake.gate import BookingGate, IntakeStatus, booking_gate_for, intake_status_for
from intake.models import ScreeningResult, StaffAlert


@pytest.mark.parametrize(
    ("overrides", "level", "rule", "gate"),
    [
        ({}, "clear", None, BookingGate.CLEAR),
        (
            {"contra": ["wound"], "area_site": "Right knee"},
            "area",
            "contra-wound",
            BookingGate.CLEAR,
        ),
        ({"contra": ["fever-infection"]}, "stop", "contra-fever-infection", BookingGate.BLOCKED),
        (
            {"anticoagulants": True, "anticoagulant_drug": "Apixaban 5 mg"},
            "hold",
            "contra-anticoagulants",
            BookingGate.REQUEST,
        ),
        ({"rf_back_review": ["weight-loss"]}, "review", "rf-back-review", BookingGate.REQUEST),
        (
            {"calf_swelling": True, "calf_chest": ["none"]},
            "urgent",
            "rf-calf-dvt",
            BookingGate.BLOCKED,
        ),
        (
            {"calf_swelling": True, "calf_chest": ["breathless"]},
            "emergency",
            "rf-calf-pe",
            BookingGate.EMERGENCY,
        ),
        ({"rf_back_emergency": ["saddle"]}, "emergency", "rf-cauda-equina", BookingGate.EMERGENCY),
        (
            {"conditions": ["tmj"], "age": 63, "rf_jaw_chewing": True, "rf_jaw_review": ["none"]},
            "urgent",
            "rf-jaw-gca",
            BookingGate.BLOCKED,
        ),
        (
            {
                "conditions": ["neck-pain"],
                "rf_neck_trauma": True,
                "rf_neck_trauma_detail": ["none"],
                "rf_neck_emergency": ["none"],
            },
            "review",
            "rf-neck-trauma",
            BookingGate.REQUEST,
        ),
        (
            {
                "conditions": ["whiplash"],
                "age": 70,
                "rf_neck_trauma": True,
                "rf_neck_trauma_detail": ["none"],
                "rf_neck_emergency": ["none"],
            },
            "urgent",
            "rf-neck-trauma-high-risk",
            BookingGate.BLOCKED,
        ),
    ],
)
def test_answers_lead_to_screening_level(personas, submit_intake, overrides, level, rule, gate):
    response = submit_intake(personas.client, **overrides)
    result = ScreeningResult.objects.get(response=response)
    assert result.level == level
    rules = [t["rule"] for t in result.triggers]
    if rule is None:
        assert rules == []
    else:
        assert rule in rules
        trigger = next(t for t in result.triggers if t["rule"] == rule)
        assert trigger["answers"], "the triggering answers are kept in the safety record"
        assert all(a["link_id"] and a["question"] for a in trigger["answers"])
    assert booking_gate_for(personas.client) == gate
    blocked = level in ("review", "hold", "stop", "urgent", "emergency")
    assert StaffAlert.objects.filter(client=personas.client).exists() is blocked
    assert intake_status_for(personas.client) == (
        IntakeStatus.FLAGGED if blocked else IntakeStatus.SUBMITTED
    )


def test_area_outcome_lists_areas_and_precautions(personas, submit_intake):
    response = submit_intake(personas.client, "area")
    result = ScreeningResult.objects.get(response=response)
    assert result.areas == ["Right knee (arthroscopy scar, 6 weeks)"]
    assert any("healed incision" in p for p in result.precautions)


def test_hidden_red_flag_answers_do_not_trigger(personas, submit_intake):
    """A cauda-equina answer left over from choosing back pain is ignored once back pain is unticked
    (and no back region is marked on the pain map, which would ask the question too)."""
    response = submit_intake(
        personas.client,
        conditions=["stress"],
        pain_map=[{"region": "shoulder", "side": "left"}],
        rf_back_emergency=["saddle"],
    )
    assert "rf_back_emergency" not in response.answers
    assert ScreeningResult.objects.get(response=response).level == "clear"


def test_stop_rule_is_its_own_level_that_waits_for_the_client_and_a_clinician(
    personas, submit_intake
):
    """STOP in the spec: not a hold (a request) but a refusal until it has passed and is cleared."""
    response = submit_intake(personas.client, contra=["dvt"])
    result = ScreeningResult.objects.get(response=response)
    assert result.level == "stop"
    assert any("confirms it has passed" in p for p in result.precautions)
    assert booking_gate_for(personas.client) == BookingGate.BLOCKED
