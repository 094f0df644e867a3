"""Every shipped screening rule proves itself: each answer that should trigger it does, at the
exact level the clinical spec gives, with the booking outcome that level means.

The expected levels are a table keyed by rule code; the suite fails when a rule is added,
removed or re-levelled without this table changing with it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from intake import questionnaire_logic as ql
from intake import screening_logic
from intake.demo import scenario_answers
from intake.gate import BookingGate, booking_gate_for
from intake.models import ScreeningResult, ScreeningRule
from intake.questionnaire_items import parsed_items
from intake.questionnaires import active_questionnaire

DATA = Path(__file__).resolve().parents[2] / "intake" / "data"
SHIPPED = json.loads((DATA / "default_screening.json").read_text(encoding="utf-8"))["rules"]
SHIPPED_FORM = json.loads((DATA / "default_intake.json").read_text(encoding="utf-8"))["items"]

# Rule code → level, from clinical spec §2 (contraindications) and §3 (red flags).
EXPECTED_LEVEL: dict[str, str] = {
    "contra-cancer": "hold",
    "contra-aneurysm": "hold",
    "contra-inflammatory-flare": "hold",
    "contra-fever-infection": "stop",  # STOP in the spec
    "contra-local-infection": "hold",  # HOLD or AREA: the safer one
    "contra-dvt": "stop",  # STOP in the spec
    "contra-anticoagulants": "hold",
    "contra-wound": "area",
    "contra-fracture": "hold",
    "contra-osteoporosis": "hold",
    "contra-circulatory": "hold",
    "contra-diabetes": "hold",
    "contra-skin-sensitive": "area",
    "contra-skin-contagious": "hold",  # "defer if contagious"
    "contra-pregnancy": "hold",
    "contra-heart": "hold",
    "contra-nerve-damage": "area",
    "note-trauma-history": "clear",  # a note on consent and draping, no block
    "rf-calf-dvt": "urgent",
    "rf-calf-pe": "emergency",
    "rf-cauda-equina": "emergency",
    "rf-back-urgent": "urgent",
    "rf-back-review": "review",
    "rf-neck-trauma-high-risk": "urgent",
    "rf-neck-trauma": "review",
    "rf-artery-dissection": "emergency",
    "rf-headache-emergency": "emergency",
    "rf-headache-review": "review",
    "rf-jaw-gca": "urgent",
    "rf-jaw-review": "review",
    "rf-heel-rest": "review",
    "rf-carpal-constant": "review",
}

# Level → what online booking does (the gate) while the finding is open.
LEVEL_GATE: dict[str, BookingGate] = {
    "clear": BookingGate.CLEAR,
    "area": BookingGate.CLEAR,
    "review": BookingGate.REQUEST,
    "hold": BookingGate.REQUEST,
    "stop": BookingGate.BLOCKED,
    "urgent": BookingGate.BLOCKED,
    "emergency": BookingGate.EMERGENCY,
}

# Conditions that ask every condition-specific red-flag group, so each rule can be reached.
ALL_FLAG_CONDITIONS = [
    "back-pain",
    "neck-pain",
    "headache",
    "tmj",
    "plantar-fasciitis",
    "carpal-tunnel",
]


def _form_items() -> dict[str, ql.Item]:
    return {i.link_id: i for i in ql.iter_items(ql.parse_items(SHIPPED_FORM))}


def _leaf_answer(item: ql.Item, operator: str, answer: Any) -> Any:
    """An answer to ``item`` that makes ``{operator, answer}`` hold."""
    value = answer
    if operator in (">", "<"):
        value = answer + (1 if operator == ">" else -1)
    return [value] if item.repeats else value


def _trigger_cases(node: Mapping[str, Any], items: Mapping[str, ql.Item]) -> list[dict]:
    """Minimal answer sets that make ``node`` hold: one per option of an ``any``, and every
    combination of the children of an ``all``."""
    if "any" in node:
        return [case for child in node["any"] for case in _trigger_cases(child, items)]
    if "all" in node:
        combos = itertools.product(*(_trigger_cases(child, items) for child in node["all"]))
        return [{k: v for part in combo for k, v in part.items()} for combo in combos]
    item = items[node["question"]]
    return [{node["question"]: _leaf_answer(item, node["operator"], node.get("answer"))}]


def _cases() -> list[Any]:
    items = _form_items()
    found = []
    for rule in SHIPPED:
        for n, case in enumerate(_trigger_cases(rule["when"], items)):
            found.append(pytest.param(rule["code"], case, id=f"{rule['code']}-{n}"))
    return found


def _neutral(item: ql.Item) -> Any:
    """A calm answer to a required question the case left open (it must trigger nothing)."""
    if item.type == "boolean":
        return False
    if item.type == "choice":
        values = [o.value for o in item.options]
        pick = "none" if "none" in values else values[0]
        return [pick] if item.repeats else pick
    return "n/a"


def _ancestors(items: list[ql.Item], link_id: str) -> list[ql.Item]:
    for item in items:
        if item.link_id == link_id:
            return [item]
        below = _ancestors(item.items, link_id)
        if below:
            return [item, *below]
    return []


def _enable(
    items: list[ql.Item], by_id: dict[str, ql.Item], answers: dict[str, Any], wanted: set[str]
) -> None:
    """Answer what shows the ``wanted`` questions (a rule on calf_chest needs calf_swelling)."""
    for _round in range(5):
        enabled = ql.enabled_link_ids(items, answers)
        hidden = [q for q in wanted if q not in enabled]
        if not hidden:
            return
        for link_id in hidden:
            for item in _ancestors(items, link_id):
                if item.link_id in enabled or not item.enable_when:
                    continue
                cond = next(c for c in item.enable_when if c.operator == "=")
                source = by_id[cond.question]
                answers[cond.question] = [cond.answer] if source.repeats else cond.answer
    raise AssertionError(f"cannot show {sorted(wanted)}")


def _complete(case: dict[str, Any]) -> dict[str, Any]:
    """The calm demo intake, every red-flag group asked and answered "none", then ``case``;
    questions the case makes required are filled calmly, so the intake validates."""
    items = parsed_items(active_questionnaire())
    answers = scenario_answers("clear", conditions=ALL_FLAG_CONDITIONS)
    for item in ql.iter_items(items):
        if item.link_id.startswith("rf_") and item.required:
            answers[item.link_id] = _neutral(item)
    answers.update(case)
    by_id = {i.link_id: i for i in ql.iter_items(items)}
    _enable(items, by_id, answers, set(case))
    for _round in range(5):
        errors = ql.validate_answers(items, answers)
        missing = [k for k, v in errors.items() if v == ["This question needs an answer."]]
        if not missing:
            break
        for link_id in missing:
            answers[link_id] = _neutral(by_id[link_id])
    assert ql.validate_answers(items, answers) == {}, "the case must be a valid intake"
    return answers


def test_every_shipped_rule_has_an_expected_level():
    assert set(EXPECTED_LEVEL) == {r["code"] for r in SHIPPED}
    assert {r["code"]: r["level"] for r in SHIPPED} == EXPECTED_LEVEL


def test_the_clinics_rules_are_the_shipped_ones(db):
    stored = {r.code: (r.level, r.when, r.is_active) for r in ScreeningRule.objects.all()}
    assert stored == {r["code"]: (r["level"], r["when"], True) for r in SHIPPED}


@pytest.mark.parametrize(("code", "case"), _cases())
def test_each_answer_triggers_its_rule_at_the_exact_level(personas, submit_intake, code, case):
    expected = EXPECTED_LEVEL[code]
    response = submit_intake(personas.client, **_complete(case))
    result = ScreeningResult.objects.get(response=response)
    fired = {t["rule"]: t["level"] for t in result.triggers}
    assert fired.get(code) == expected, f"{code} did not fire at {expected}: {fired}"
    assert result.level == expected, f"{code}: screened {result.level}, from {fired}"
    assert booking_gate_for(personas.client) == LEVEL_GATE[expected]


def test_a_calm_complete_intake_triggers_nothing(personas, submit_intake):
    response = submit_intake(personas.client, **_complete({}))
    assert ScreeningResult.objects.get(response=response).triggers == []
    assert booking_gate_for(personas.client) == BookingGate.CLEAR


@pytest.mark.parametrize(
    ("age", "level", "rule"),
    [(64, "review", "rf-neck-trauma"), (65, "urgent", "rf-neck-trauma-high-risk")],
)
def test_neck_trauma_age_boundary(personas, submit_intake, age, level, rule):
    case = {"age": age, "rf_neck_trauma": True, "rf_neck_trauma_detail": ["none"]}
    response = submit_intake(personas.client, **_complete(case))
    result = ScreeningResult.objects.get(response=response)
    assert (result.level, result.triggers[0]["rule"]) == (level, rule)
    assert booking_gate_for(personas.client) == LEVEL_GATE[level]


@pytest.mark.parametrize(("age", "level"), [(50, "clear"), (51, "urgent")])
def test_jaw_pain_on_chewing_age_boundary(personas, submit_intake, age, level):
    response = submit_intake(personas.client, **_complete({"age": age, "rf_jaw_chewing": True}))
    result = ScreeningResult.objects.get(response=response)
    assert result.level == level
    assert ("rf-jaw-gca" in {t["rule"] for t in result.triggers}) is (level == "urgent")
    assert booking_gate_for(personas.client) == LEVEL_GATE[level]


def test_every_rule_code_exists_in_the_published_questionnaire(db):
    items = parsed_items(active_questionnaire())
    problems = [
        p
        for rule in ScreeningRule.objects.filter(is_active=True)
        for p in screening_logic.reference_problems(
            code=rule.code, when=rule.when, area_question=rule.area_question, items=items
        )
    ]
    assert problems == []


def test_every_shipped_rule_code_exists_in_the_shipped_questionnaire():
    items = ql.parse_items(SHIPPED_FORM)
    problems = [
        p
        for rule in SHIPPED
        for p in screening_logic.reference_problems(
            code=rule["code"],
            when=rule["when"],
            area_question=rule.get("area_question", ""),
            items=items,
        )
    ]
    assert problems == []
