"""Red flags follow the body: marking a region on the pain map asks that region's red flags."""

from __future__ import annotations

import importlib
import json

import pytest
from django.urls import reverse

from clinic.exceptions import ValidationFailed
from intake import questionnaire_logic as ql
from intake import services
from intake.demo import scenario_answers
from intake.models import Questionnaire, ScreeningResult
from intake.questionnaire_items import parsed_items
from intake.questionnaires import DATA_DIR, active_questionnaire

BACK = {"rf_back_emergency", "rf_back_urgent", "rf_back_review"}
NECK = {"rf_neck_trauma", "rf_neck_emergency"}
HEAD = {"rf_head_emergency", "rf_head_review"}
JAW = {"rf_jaw_chewing", "rf_jaw_review"}
ALL_REGION_FLAGS = BACK | NECK | HEAD | JAW | {"rf_heel_rest", "rf_carpal_constant"}

# Region → the red-flag questions clinical spec §3 ties to it (the calf's DVT question is asked
# of everyone). Regions marked "safer" are where the spec is silent.
REGION_FLAGS: dict[str, set[str]] = {
    "lower-back": BACK,
    "sacrum-si": BACK,  # safer
    "buttock": BACK,  # safer: sciatica
    "neck-front": NECK,
    "neck-back": NECK,
    "head-front": HEAD | NECK,  # as for headache: artery dissection, injury to head or neck
    "head-back": HEAD | NECK,
    "temple": HEAD | NECK,
    "jaw": JAW,
    "face": JAW,  # safer: facial numbness
    "calf": set(),
    "heel-sole": {"rf_heel_rest"},
    "wrist-hand": {"rf_carpal_constant"},
    "shoulder": set(),
}


def _mark(region: str) -> dict[str, str]:
    from intake.painmap import REGION_BY_SLUG

    return {"region": region, "side": REGION_BY_SLUG[region].sides[0]}


@pytest.mark.parametrize("region", REGION_FLAGS)
def test_marking_a_region_asks_its_red_flags(db, region):
    items = parsed_items(active_questionnaire())
    answers = {"conditions": ["stress"], "pain_map": [_mark(region)]}
    enabled = ql.enabled_link_ids(items, answers)
    assert enabled & ALL_REGION_FLAGS == REGION_FLAGS[region]
    if region == "calf":
        assert {"calf_swelling"} <= enabled  # asked of everyone
    # and they are required: a client cannot skip them
    errors = ql.validate_answers(items, answers)
    assert REGION_FLAGS[region] <= set(errors)


def test_back_red_flag_fires_for_chronic_pain_marked_on_the_lower_back(personas, submit_intake):
    response = submit_intake(
        personas.client,
        conditions=["chronic-pain"],
        pain_map=[{"region": "lower-back", "side": "midline"}],
        rf_back_emergency=["saddle"],
    )
    result = ScreeningResult.objects.get(response=response)
    assert result.level == "emergency"
    assert [t["rule"] for t in result.triggers] == ["rf-cauda-equina"]


def test_neck_red_flags_are_required_when_the_neck_is_marked(personas):
    answers = scenario_answers(
        "clear", conditions=["stress"], pain_map=[{"region": "neck-back", "side": "midline"}]
    )
    services.intake_start(client=personas.client)
    services.intake_save_answers(client=personas.client, answers=answers)
    with pytest.raises(ValidationFailed) as refused:
        services.intake_submit(client=personas.client)
    assert {"rf_neck_trauma", "rf_neck_emergency"} <= set(refused.value.extra["fields"])


def test_red_flag_step_shows_the_back_questions_for_a_marked_lower_back(client, personas):
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    client.post(
        reverse("intake:step", args=["about"]),
        {"reason": "x", "age": "30", "conditions": ["stress"]},
    )
    page = client.get(reverse("intake:step", args=["red_flags"])).content.decode()
    assert page.split('data-link-id="back_flags"')[1].split(">")[0].strip().endswith("hidden")
    client.post(
        reverse("intake:step", args=["pain"]),
        {
            "pain_map": ["lower-back:midline"],
            "pain_now": "4",
            "pain_best": "1",
            "pain_worst": "8",
            "onset": "gradual",
            "duration": "gt1y",
        },
    )
    page = client.get(reverse("intake:step", args=["red_flags"])).content.decode()
    assert not page.split('data-link-id="back_flags"')[1].split(">")[0].strip().endswith("hidden")


def test_pain_map_condition_compares_regions():
    marks = [{"region": "jaw", "side": "left", "intensity": 3}]
    assert ql.condition_holds(ql.EnableWhen("pain_map", "=", "jaw"), {"pain_map": marks})
    assert not ql.condition_holds(ql.EnableWhen("pain_map", "=", "neck-back"), {"pain_map": marks})
    assert ql.condition_holds(ql.EnableWhen("pain_map", "!=", "neck-back"), {"pain_map": marks})
    assert ql.condition_holds(ql.EnableWhen("pain_map", "exists", True), {"pain_map": marks})


def test_migration_published_v2_and_kept_v1(db):
    migration = importlib.import_module("intake.migrations.0005_red_flags_follow_the_body")
    v1 = json.loads((DATA_DIR / "default_intake_v1.json").read_text(encoding="utf-8"))
    v2 = json.loads((DATA_DIR / "default_intake_v2.json").read_text(encoding="utf-8"))
    # What the migration publishes for a clinic still on v1 is exactly the v2 it shipped.
    assert migration.add_body_conditions(v1["items"]) == v2["items"]
    # ...and applying it twice changes nothing.
    assert migration.add_body_conditions(v2["items"]) == v2["items"]
    kept = Questionnaire.objects.get(slug="mfr-intake", version=2)
    assert (kept.status, kept.items) == ("retired", v2["items"])  # v3 followed (0007)
    old = Questionnaire.objects.get(slug="mfr-intake", version=1)
    assert (old.status, old.items) == ("retired", v1["items"])
