"""Outcome instruments as data: the built-in ones and the scoring rules of licensed ones.

``builtin/`` holds NPRS, PSFS and PGIC with their items (free to use). ``rules/`` holds, for
each licensed instrument of spec §4, only its scoring rule and item ids/ranges, never item
text: the clinic imports the items from its own licensed copy (``examples/`` shows the
format) and the shipped rule is merged in when its copy has no ``scoring`` of its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intake.instruments.definition import (
    DefinitionError,
    InstrumentDefinition,
    definition_parse,
)

HERE = Path(__file__).resolve().parent
BUILTIN_IDS = ("nprs", "psfs", "pgic")
# Keys a clinic's copy may leave out and take from the shipped rule.
RULE_KEYS = ("scoring", "direction", "unit", "meaningful_change")


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def builtin_definition_data() -> list[dict[str, Any]]:
    """The JSON of every built-in instrument, in display order."""
    return [_read(HERE / "builtin" / f"{key}.json") for key in BUILTIN_IDS]


def shipped_rule_data(instrument_id: str) -> dict[str, Any] | None:
    """The shipped scoring rule (no item text) for a licensed instrument, if there is one."""
    path = HERE / "rules" / f"{instrument_id}.json"
    if not instrument_id.isidentifier() or not path.is_file():
        return None
    return _read(path)


def shipped_rule_ids() -> list[str]:
    return sorted(path.stem for path in (HERE / "rules").glob("*.json"))


def _item_mismatches(items: list[Any], skeleton: list[dict[str, Any]]) -> list[str]:
    given = {item.get("id"): item for item in items if isinstance(item, dict)}
    errors = []
    for expected in skeleton:
        item = given.get(expected["id"])
        if item is None:
            errors.append(f"item '{expected['id']}': missing; the scoring rule needs it")
            continue
        for key in ("type", "min", "max"):
            if item.get(key, "integer" if key == "type" else None) != expected.get(key):
                errors.append(
                    f"item '{expected['id']}': {key} is {item.get(key)!r} but the scoring "
                    f"rule expects {expected.get(key)!r}"
                )
        codes = [
            str(option.get("code"))
            for option in item.get("options", [])
            if isinstance(option, dict)
        ]
        expected_codes = [option["code"] for option in expected.get("options", [])]
        if expected_codes and sorted(codes) != sorted(expected_codes):
            errors.append(
                f"item '{expected['id']}': option codes must be {', '.join(expected_codes)}"
            )
    return errors


def definition_for_import(data: Any) -> tuple[dict[str, Any], InstrumentDefinition]:
    """Check a clinic's JSON copy of an instrument; return the JSON to store and its parse.

    A copy without ``scoring`` takes the shipped rule for its ``id``; its items must then
    match the rule's item ids and ranges. Raises DefinitionError listing every problem.
    """
    if not isinstance(data, dict):
        raise DefinitionError(["definition: must be a JSON object"])
    merged = dict(data)
    if "scoring" not in data:
        rule = shipped_rule_data(str(data.get("id", "")))
        if rule is None:
            known = ", ".join(shipped_rule_ids())
            raise DefinitionError(
                [f"definition: no 'scoring' given and no shipped rule for id "
                 f"{data.get('id')!r} (shipped: {known})"]
            )  # fmt: skip
        errors = _item_mismatches(data.get("items") or [], rule["items"])
        if errors:
            raise DefinitionError(errors)
        for key in RULE_KEYS:
            merged.setdefault(key, rule[key])
        # The instrument is licensed whatever the copy says.
        merged["licence_required"] = bool(rule["licence_required"] or data.get("licence_required"))
    return merged, definition_parse(merged)


__all__ = [
    "BUILTIN_IDS",
    "DefinitionError",
    "InstrumentDefinition",
    "builtin_definition_data",
    "definition_for_import",
    "definition_parse",
    "shipped_rule_data",
    "shipped_rule_ids",
]
