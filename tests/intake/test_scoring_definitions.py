"""Instrument definitions: the shipped data is valid and a clinic's import is checked clearly."""

from __future__ import annotations

import copy
import json

import pytest

from intake.instruments import (
    HERE,
    DefinitionError,
    builtin_definition_data,
    definition_for_import,
    definition_parse,
    shipped_rule_data,
    shipped_rule_ids,
)
from intake.scoring import score


def example_odi() -> dict:
    with (HERE / "examples" / "odi-import.example.json").open() as handle:
        return json.load(handle)


def test_builtins_are_nprs_psfs_pgic_and_free_to_use():
    parsed = [definition_parse(data) for data in builtin_definition_data()]
    assert [d.id for d in parsed] == ["nprs", "psfs", "pgic"]
    assert not any(d.licence_required for d in parsed)
    assert all(item.text for d in parsed for item in d.items)


def test_every_instrument_of_spec_section_four_has_a_shipped_rule():
    assert set(shipped_rule_ids()) == {
        "odi", "rmdq", "ndi", "hit6", "fiqr", "jfls8", "ffi", "faam", "lefs", "bctq",
    }  # fmt: skip
    for instrument_id in shipped_rule_ids():
        assert definition_parse(shipped_rule_data(instrument_id)).licence_required


def test_shipped_rules_carry_no_item_text():
    for instrument_id in shipped_rule_ids():
        for item in shipped_rule_data(instrument_id)["items"]:
            assert "text" not in item
            assert "anchors" not in item
            assert all(set(option) == {"code"} for option in item.get("options", []))


def test_clinic_copy_without_scoring_takes_the_shipped_rule():
    copy_saying_free = example_odi() | {"licence_required": False}
    stored, definition = definition_for_import(copy_saying_free)
    assert stored["scoring"]["kind"] == "percent_of_max"
    assert stored["meaningful_change"] == {"points": 10, "percent": 30}
    assert definition.licence_required
    assert definition.items[0].text.startswith("<Section 1")
    result = score(definition, {f"s{i}": 2 for i in range(1, 11)})
    assert (str(result.value), result.band) == ("40.00", "21-40%")


def test_clinic_copy_missing_an_item_lists_it():
    data = example_odi()
    data["items"] = data["items"][:9]
    with pytest.raises(DefinitionError) as caught:
        definition_for_import(data)
    assert caught.value.errors == ["item 's10': missing; the scoring rule needs it"]


def test_clinic_copy_with_a_wrong_range_is_refused():
    data = example_odi()
    data["items"][2]["max"] = 6
    with pytest.raises(DefinitionError) as caught:
        definition_for_import(data)
    assert caught.value.errors == ["item 's3': max is 6 but the scoring rule expects 5"]


def test_unknown_instrument_without_scoring_is_refused():
    with pytest.raises(DefinitionError) as caught:
        definition_for_import({"id": "sf36", "name": "x", "version": "1", "items": []})
    assert "no shipped rule for id 'sf36'" in caught.value.errors[0]


def test_a_custom_instrument_with_its_own_rule_is_accepted():
    data = {
        "id": "stiffness", "name": "Morning stiffness", "version": "1",
        "items": [{"id": "a", "min": 0, "max": 4}, {"id": "b", "min": 0, "max": 4}],
        "scoring": {"kind": "sum"},
    }  # fmt: skip
    _, definition = definition_for_import(data)
    assert str(score(definition, {"a": 1, "b": 3}).value) == "4.00"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda d: d.pop("version"), "definition: 'version' must be given"),
        (lambda d: d["scoring"].update(kind="median"), "scoring: 'kind' must be one of"),
        (lambda d: d["scoring"].update(items=["nope"]), "scoring: refers to unknown item 'nope'"),
        (lambda d: d["items"][0].update(min=5, max=1), "item 's1': an integer item needs"),
        (lambda d: d["items"].append({"id": "s1", "min": 0, "max": 5}), "item ids must be unique"),
        (lambda d: d["scoring"].update(min_answered=11), "'min_answered' must be between 1 and 10"),
        (lambda d: d.update(direction="up"), "'direction' must be one of"),
        (
            lambda d: d["scoring"].update(bands=[{"label": "high"}, {"label": "low", "upper": 5}]),
            "bands must rise",
        ),
    ],
)
def test_malformed_definitions_name_the_problem(change, error):
    data = copy.deepcopy(shipped_rule_data("odi"))
    change(data)
    with pytest.raises(DefinitionError) as caught:
        definition_parse(data)
    assert any(error in message for message in caught.value.errors), caught.value.errors


def test_weighted_rule_needs_a_weight_for_every_option():
    data = copy.deepcopy(shipped_rule_data("hit6"))
    del data["scoring"]["weights"]["always"]
    with pytest.raises(DefinitionError) as caught:
        definition_parse(data)
    assert caught.value.errors == ["scoring: no weight for option(s) always"]


def test_not_json_object_is_refused():
    with pytest.raises(DefinitionError):
        definition_for_import(["odi"])
