"""Pure enableWhen and validation logic, on the shipped default intake (no database)."""

from __future__ import annotations

import json

import pytest

from intake import painmap
from intake import questionnaire_logic as ql
from intake.questionnaires import DEFAULT_INTAKE

CONDITIONS = [
    "back-pain",
    "sciatica",
    "disc-problems",
    "neck-pain",
    "whiplash",
    "headache",
    "migraine",
    "tmj",
    "plantar-fasciitis",
    "carpal-tunnel",
    "stress",
]


@pytest.fixture(scope="module")
def items() -> list[ql.Item]:
    data = json.loads(DEFAULT_INTAKE.read_text())
    sets = {"clinic:conditions": [ql.Option(c, c) for c in CONDITIONS], "clinic:languages": []}
    return ql.parse_items(data["items"], value_sets=sets)


@pytest.mark.parametrize(
    ("conditions", "shown"),
    [
        (["sciatica"], True),
        (["back-pain"], True),
        (["disc-problems", "stress"], True),
        (["neck-pain"], False),
        (["stress"], False),
        ([], False),
    ],
)
def test_cauda_equina_questions_show_only_for_back_sciatica_or_disc(items, conditions, shown):
    enabled = ql.enabled_link_ids(items, {"conditions": conditions})
    assert ("rf_back_emergency" in enabled) is shown
    assert ("back_flags" in enabled) is shown


def test_condition_specific_red_flags(items):
    enabled = ql.enabled_link_ids(items, {"conditions": ["tmj", "carpal-tunnel"]})
    assert {"rf_jaw_chewing", "rf_carpal_constant"} <= enabled
    assert not {"rf_heel_rest", "rf_head_emergency", "rf_neck_trauma"} & enabled


def test_follow_up_questions_and_chained_hiding(items):
    assert "rf_neck_trauma_detail" not in ql.enabled_link_ids(items, {"conditions": ["whiplash"]})
    answers = {"conditions": ["whiplash"], "rf_neck_trauma": True}
    assert "rf_neck_trauma_detail" in ql.enabled_link_ids(items, answers)
    # Unticking whiplash hides rf_neck_trauma, whose answer then no longer shows the follow-up.
    answers["conditions"] = ["stress"]
    assert "rf_neck_trauma_detail" not in ql.enabled_link_ids(items, answers)
    assert "rf_neck_trauma" not in ql.effective_answers(items, answers)


@pytest.mark.parametrize(
    ("operator", "expected", "value", "holds"),
    [
        ("exists", True, 3, True),
        ("exists", False, None, True),
        ("exists", True, None, False),
        ("=", "a", ["a", "b"], True),
        ("!=", "a", ["a", "b"], False),
        ("!=", "c", ["a", "b"], True),
        ("!=", "c", None, False),
        (">", 50, 51, True),
        (">", 50, 50, False),
        (">=", 65, 65, True),
        ("<", 20, 19, True),
        ("<=", 20, 21, False),
        (">", 50, "x", False),
    ],
)
def test_operators(operator, expected, value, holds):
    cond = ql.EnableWhen("q", operator, expected)
    assert ql.condition_holds(cond, {"q": value} if value is not None else {}) is holds


def test_enable_behavior_any_and_all():
    items = ql.parse_items(
        [
            {"link_id": "a", "type": "boolean"},
            {"link_id": "b", "type": "boolean"},
            {
                "link_id": "any",
                "type": "string",
                "enable_behavior": "any",
                "enable_when": [
                    {"question": "a", "operator": "=", "answer": True},
                    {"question": "b", "operator": "=", "answer": True},
                ],
            },
            {
                "link_id": "all",
                "type": "string",
                "enable_when": [
                    {"question": "a", "operator": "=", "answer": True},
                    {"question": "b", "operator": "=", "answer": True},
                ],
            },
        ]
    )
    assert ql.enabled_link_ids(items, {"a": True}) == {"a", "b", "any"}
    assert ql.enabled_link_ids(items, {"a": True, "b": True}) == {"a", "b", "any", "all"}


def test_validation_messages(items):
    errors = ql.validate_answers(
        items,
        {
            "age": 200,
            "conditions": ["sciatica"],
            "rf_back_emergency": ["none", "saddle"],
            "pain_now": "high",
            "consent_health_data": False,
            "pain_map": [{"region": "knee", "side": "midline"}],
        },
    )
    assert errors["age"] == ["Enter a number from 0 to 120."]
    assert "cannot be combined" in errors["rf_back_emergency"][0]
    assert errors["pain_now"] == ["Enter a number."]
    assert errors["consent_health_data"] == ["This consent is needed to continue."]
    assert "choose a side" in errors["pain_map"][0]
    assert errors["reason"] == ["This question needs an answer."]
    assert "rf_head_emergency" not in errors  # hidden questions are never required


def test_pain_at_its_best_cannot_be_above_its_worst(items):
    errors = ql.validate_answers(items, {"pain_best": 8, "pain_worst": 3})
    assert errors["pain_best"] == ["Pain at its best (8) can't be higher than at its worst (3)."]
    assert "pain_worst" not in errors
    assert "pain_best" not in ql.validate_answers(items, {"pain_best": 3, "pain_worst": 3})
    # Only once both are numbers: a bad entry gets its own message, not this one.
    assert ql.validate_answers(items, {"pain_best": "x", "pain_worst": 3})["pain_best"] == [
        "Enter a number."
    ]


def test_bad_definitions_are_refused():
    with pytest.raises(ql.QuestionnaireDefinitionError, match="unknown item"):
        ql.parse_items(
            [
                {
                    "link_id": "a",
                    "type": "string",
                    "enable_when": [{"question": "zz", "operator": "=", "answer": 1}],
                }
            ]
        )
    with pytest.raises(ql.QuestionnaireDefinitionError, match="Duplicate"):
        ql.parse_items([{"link_id": "a", "type": "string"}, {"link_id": "a", "type": "text"}])
    with pytest.raises(ql.QuestionnaireDefinitionError, match="bad type"):
        ql.parse_items([{"link_id": "a", "type": "slider"}])


def test_pain_map_regions_and_wpi():
    assert len(painmap.WPI_AREAS) == 19
    marks = [
        {"region": "jaw", "side": "left", "intensity": 5},
        {"region": "buttock", "side": "right"},
        {"region": "hip", "side": "right"},
        {"region": "sacrum-si", "side": "midline"},
        {"region": "lower-back", "side": "left"},
        {"region": "knee", "side": "left"},
        {"region": "thigh-front", "side": "left", "scar": True},
    ]
    assert painmap.validate_marks(marks) == []
    assert painmap.wpi_areas(marks) == {"left jaw", "right hip", "lower back"}
    every_area = {r.wpi for r in painmap.REGIONS if r.wpi}
    assert every_area == set(painmap.WPI_BILATERAL) | set(painmap.WPI_AXIAL)
    assert painmap.validate_marks([{"region": "jaw", "side": "left", "intensity": 11}]) == [
        "Jaw / TMJ, left: intensity must be 0 to 10."
    ]
    # Every region/side the list offers has a shape on the diagram, and the other way round.
    offered = {(r.slug, s) for r in painmap.REGIONS for s in r.sides}
    assert {(s.region, s.side) for s in painmap.SHAPES} == offered
