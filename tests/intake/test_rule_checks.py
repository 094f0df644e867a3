"""Rules and questionnaires are checked against each other; a published version never changes."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intake.models import Questionnaire, QuestionnaireStatus, ScreeningRule
from intake.questionnaires import active_questionnaire, questionnaire_publish


def _items_without(items: list[dict[str, Any]], link_id: str, option: str | None = None) -> list:
    """A copy of ``items`` without question ``link_id`` (or only without one of its options)."""
    items = copy.deepcopy(items)

    def prune(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for node in nodes:
            if node["link_id"] == link_id:
                if option is None:
                    continue
                node["options"] = [o for o in node["options"] if o["value"] != option]
            node["items"] = prune(node.get("items") or [])
            kept.append(node)
        return kept

    return prune(items)


def _renamed(items: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    import json

    return json.loads(json.dumps(items).replace(f'"{old}"', f'"{new}"'))


def _publish(items: list[dict[str, Any]], **kwargs: Any) -> Questionnaire:
    current = active_questionnaire()
    return questionnaire_publish(slug=current.slug, title=current.title, items=items, **kwargs)


# --- saving a rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "area", "missing"),
    [
        (
            {"question": "rf_neck_emergncy", "operator": "=", "answer": "dissection"},
            "",
            "rf_neck_emergncy",
        ),
        (
            {"question": "rf_neck_emergency", "operator": "=", "answer": "disection"},
            "",
            "disection",
        ),
        ({"question": "calf_swelling", "operator": "=", "answer": "yes"}, "", "'yes'"),
        ({"question": "age", "operator": ">=", "answer": "65"}, "", "'65'"),
        ({"question": "pain_map", "operator": "=", "answer": "lower-bak"}, "", "lower-bak"),
        ({"question": "contra", "operator": "=", "answer": "wound"}, "area_sight", "area_sight"),
        (
            {
                "all": [
                    {"question": "age", "operator": ">", "answer": 50},
                    {"question": "rf_jaw", "operator": "exists", "answer": True},
                ]
            },
            "",
            "rf_jaw",
        ),
    ],
)
def test_saving_a_rule_with_a_missing_code_is_refused(db, when, area, missing):
    rule = ScreeningRule(
        code="new-rule", label="New", level="urgent", when=when, area_question=area
    )
    with pytest.raises(ValidationError) as refused:
        rule.save()
    assert "new-rule" in str(refused.value)
    assert missing in str(refused.value)
    with pytest.raises(ValidationError):
        rule.full_clean()
    assert not ScreeningRule.objects.filter(code="new-rule").exists()


def test_editing_a_shipped_rule_to_a_misspelt_code_is_refused(db):
    rule = ScreeningRule.objects.get(code="rf-artery-dissection")
    rule.when = {"question": "rf_neck_emergency", "operator": "=", "answer": "disection"}
    with pytest.raises(ValidationError, match=r"rf-artery-dissection.*disection"):
        rule.save()
    rule.refresh_from_db()
    assert rule.when["answer"] == "dissection"


def test_bulk_rule_writes_that_could_break_a_reference_are_refused(db):
    rules = ScreeningRule.objects.filter(code="rf-artery-dissection")
    with pytest.raises(ValidationError):
        rules.update(when={"question": "nope", "operator": "exists", "answer": True})
    with pytest.raises(ValidationError):
        rules.update(is_active=True)
    assert rules.update(is_active=False) == 1  # retiring a rule stays possible


def test_an_inactive_rule_is_checked_when_it_comes_back(db):
    rule = ScreeningRule(
        code="parked",
        label="Parked",
        level="review",
        when={"question": "gone", "operator": "exists", "answer": True},
        is_active=False,
    )
    rule.save()  # it cannot fire, so it may name what the form lacks
    rule.is_active = True
    with pytest.raises(ValidationError, match=r"parked.*gone"):
        rule.save()


def test_admin_shows_the_missing_code_and_saves_nothing(client, personas):
    personas.clinic_admin.is_superuser = True
    personas.clinic_admin.save()
    client.force_login(personas.clinic_admin)
    page = client.post(
        reverse("admin:intake_screeningrule_add"),
        {
            "code": "typo",
            "label": "Typo",
            "level": "emergency",
            "when": '{"question": "calf_chest", "operator": "=", "answer": "chest-pian"}',
            "sort_order": 1,
            "is_active": "on",
        },
    )
    assert page.status_code == 200
    assert "chest-pian" in page.content.decode()
    assert not ScreeningRule.objects.filter(code="typo").exists()


# --- publishing a version --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link_id", "option", "rule", "code"),
    [
        ("rf_neck_emergency", "dissection", "rf-artery-dissection", "dissection"),
        ("calf_chest", "coughing-blood", "rf-calf-pe", "coughing-blood"),
        ("contra", "dvt", "contra-dvt", "dvt"),
        ("rf_heel_rest", None, "rf-heel-rest", "rf_heel_rest"),
        ("area_site", None, "contra-wound", "area_site"),
    ],
)
def test_publishing_a_version_that_drops_a_red_flag_code_is_refused(
    db, link_id, option, rule, code
):
    before = active_questionnaire()
    with pytest.raises(ValidationError) as refused:
        _publish(_items_without(before.items, link_id, option))
    assert rule in str(refused.value)
    assert repr(code) in str(refused.value)
    after = active_questionnaire()
    assert (after.pk, after.version, after.status) == (before.pk, before.version, "active")


def test_publishing_a_renamed_question_is_refused(db):
    before = active_questionnaire()
    with pytest.raises(ValidationError, match=r"rf-calf-dvt.*calf_swelling"):
        _publish(_renamed(before.items, "calf_swelling", "calf_swell"))
    assert active_questionnaire().pk == before.pk


def test_a_rule_change_in_the_same_step_may_retire_a_red_flag_question(db):
    before = active_questionnaire()
    made = _publish(_items_without(before.items, "rf_heel_rest"), retire_rules=["rf-heel-rest"])
    assert made.version == before.version + 1
    assert not ScreeningRule.objects.get(code="rf-heel-rest").is_active


def test_a_rule_change_in_the_same_step_may_rename_a_code(db):
    before = active_questionnaire()
    made = _publish(
        _renamed(before.items, "calf_swelling", "calf_swell"),
        rule_changes=[
            {
                "code": "rf-calf-dvt",
                "when": {"question": "calf_swell", "operator": "=", "answer": True},
            }
        ],
    )
    assert made.status == "active"
    assert ScreeningRule.objects.get(code="rf-calf-dvt").when["question"] == "calf_swell"


def test_a_refused_rule_change_rolls_the_whole_step_back(db):
    before = active_questionnaire()
    with pytest.raises(ValidationError, match=r"rf-calf-dvt.*'yes'"):
        _publish(
            _renamed(before.items, "calf_swelling", "calf_swell"),
            retire_rules=["rf-heel-rest"],
            rule_changes=[
                {
                    "code": "rf-calf-dvt",
                    "when": {"question": "calf_swell", "operator": "=", "answer": "yes"},
                }
            ],
        )
    assert active_questionnaire().pk == before.pk
    assert ScreeningRule.objects.get(code="rf-heel-rest").is_active
    assert ScreeningRule.objects.get(code="rf-calf-dvt").when["question"] == "calf_swelling"


def test_admin_publish_action_reports_the_refusal(client, personas):
    personas.clinic_admin.is_superuser = True
    personas.clinic_admin.save()
    current = active_questionnaire()
    draft = Questionnaire.objects.create(
        slug=current.slug,
        version=99,
        title=current.title,
        items=_items_without(current.items, "rf_neck_emergency", "dissection"),
    )
    client.force_login(personas.clinic_admin)
    page = client.post(
        reverse("admin:intake_questionnaire_changelist"),
        {"action": "publish_as_new_version", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "rf-artery-dissection" in page.content.decode()
    assert active_questionnaire().pk == current.pk


# --- a published version is immutable --------------------------------------------------------


def test_a_published_version_refuses_save(db):
    active = active_questionnaire()
    active.items = _items_without(active.items, "rf_neck_emergency", "dissection")
    with pytest.raises(ValidationError, match="published"):
        active.save()
    active.refresh_from_db()
    active.title = "Shorter"
    with pytest.raises(ValidationError, match="published"):
        active.save()
    retired = Questionnaire.objects.get(slug=active.slug, version=1)
    retired.status = QuestionnaireStatus.ACTIVE
    with pytest.raises(ValidationError):
        retired.save()


def test_a_published_version_refuses_bulk_writes(db):
    published = Questionnaire.objects.filter(slug=active_questionnaire().slug)
    with pytest.raises(ValidationError):
        published.update(items=[])
    with pytest.raises(ValidationError):
        published.filter(version=1).update(status="active")
    one = published.get(version=1)
    one.title = "Renamed"
    with pytest.raises(ValidationError):
        Questionnaire.objects.bulk_update([one], ["title"])


def test_retiring_and_editing_a_draft_stay_possible(db):
    current = active_questionnaire()
    draft = Questionnaire.objects.create(
        slug=current.slug, version=50, title="Draft", items=current.items
    )
    draft.title = "Draft, edited"
    draft.save()
    Questionnaire.objects.filter(pk=draft.pk).update(items=[])
    made = _publish(current.items)
    current.refresh_from_db()
    assert (current.status, made.status) == ("retired", "active")
