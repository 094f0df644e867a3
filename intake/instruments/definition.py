"""Outcome-instrument definitions: the JSON format, parsed and checked into plain dataclasses.

Pure: no ORM. A definition says which items an instrument has (ids, answer ranges), how it is
scored (a rule kind from spec §4 with its parameters) and what counts as a meaningful change.
Licensed instruments reach the platform only as the clinic's own JSON copy; see README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

ITEM_TYPES = ("integer", "boolean", "choice", "text")
RULE_KINDS = (
    "value",
    "mean",
    "sum",
    "percent_of_max",
    "imputed_sum",
    "weighted_sum",
    "domain_sum",
    "subscales",
)
DIRECTIONS = ("lower_is_better", "higher_is_better")
MULTIPLE_POLICIES = ("reject", "highest")
TEXT_MAX_LENGTH = 200


class DefinitionError(ValueError):
    """A definition is malformed; ``errors`` lists every problem as a readable sentence."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Option:
    code: str
    text: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    type: str = "integer"
    min: int | None = None
    max: int | None = None
    text: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    anchors: tuple[tuple[int, str], ...] = ()

    @property
    def scored(self) -> bool:
        return self.type != "text"


@dataclass(frozen=True)
class Band:
    """A named score range; ``upper`` is inclusive and ``None`` means no upper bound."""

    label: str
    upper: Decimal | None


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    items: tuple[str, ...]
    divisor: Decimal


@dataclass(frozen=True)
class Rule:
    kind: str
    items: tuple[str, ...] = ()
    min_answered: int | None = None
    multiple: str = "reject"
    bands: tuple[Band, ...] = ()
    percent_multiplier: Decimal | None = None
    weights: Mapping[str, int] = field(default_factory=dict)
    domains: tuple[Domain, ...] = ()
    subscales: tuple[Subscale, ...] = ()
    primary: str = ""


@dataclass(frozen=True)
class Subscale:
    id: str
    name: str
    rule: Rule


@dataclass(frozen=True)
class MeaningfulChange:
    points: Decimal | None = None
    percent: Decimal | None = None
    item_points: Decimal | None = None
    responder_values: tuple[int, ...] = ()


@dataclass(frozen=True)
class InstrumentDefinition:
    id: str
    name: str
    version: str
    licence_required: bool
    items: tuple[Item, ...]
    scoring: Rule
    direction: str = "lower_is_better"
    unit: str = "points"
    meaningful_change: MeaningfulChange = field(default_factory=MeaningfulChange)

    def item(self, item_id: str) -> Item:
        return self.items_by_id[item_id]

    @property
    def items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}


class _Reader:
    """Collects every problem instead of stopping at the first, so an import lists them all."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(where, f"'{key}' must be a non-empty string")
            return ""
        return value.strip()

    def integer(self, data: Mapping[str, Any], key: str, where: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"'{key}' must be a whole number")
            return None
        return value

    def decimal(self, data: Mapping[str, Any], key: str, where: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(where, f"'{key}' must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(where, f"'{key}' must be a number")
            return None
        if not number.is_finite():
            self.fail(where, f"'{key}' must be a finite number")
            return None
        return number

    def mapping(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.fail(where, f"'{key}' must be an object")
            return {}
        return value

    def sequence(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(where, f"'{key}' must be a list")
            return []
        return value


def _parse_item(reader: _Reader, raw: Any, index: int) -> Item | None:
    where = f"items[{index}]"
    if not isinstance(raw, Mapping):
        reader.fail(where, "each item must be an object")
        return None
    item_id = reader.text(raw, "id", where)
    where = f"item '{item_id}'" if item_id else where
    item_type = raw.get("type", "integer")
    if item_type not in ITEM_TYPES:
        reader.fail(where, f"type must be one of {', '.join(ITEM_TYPES)}")
        return None
    low, high = reader.integer(raw, "min", where), reader.integer(raw, "max", where)
    if item_type == "integer" and (low is None or high is None or low > high):
        reader.fail(where, "an integer item needs 'min' and 'max' with min <= max")
    options: list[Option] = []
    for position, option in enumerate(reader.sequence(raw, "options", where)):
        if not isinstance(option, Mapping) or not isinstance(option.get("code"), str):
            reader.fail(where, f"options[{position}] needs a string 'code'")
            continue
        options.append(Option(code=option["code"], text=str(option.get("text", ""))))
    if item_type == "choice" and not options:
        reader.fail(where, "a choice item needs 'options'")
    if len({option.code for option in options}) != len(options):
        reader.fail(where, "option codes must be unique")
    anchors = []
    for anchor in reader.sequence(raw, "anchors", where):
        if isinstance(anchor, Mapping) and isinstance(anchor.get("value"), int):
            anchors.append((anchor["value"], str(anchor.get("label", ""))))
        else:
            reader.fail(where, "each anchor needs a whole-number 'value' and a 'label'")
    return Item(
        id=item_id,
        type=item_type,
        min=low if item_type == "integer" else None,
        max=high if item_type == "integer" else None,
        text=str(raw.get("text", "")),
        required=bool(raw.get("required", False)),
        options=tuple(options),
        anchors=tuple(anchors),
    )


def _parse_bands(reader: _Reader, raw: list[Any], where: str) -> tuple[Band, ...]:
    bands: list[Band] = []
    for index, band in enumerate(raw):
        if not isinstance(band, Mapping):
            reader.fail(where, f"bands[{index}] must be an object")
            continue
        label = reader.text(band, "label", f"{where} bands[{index}]")
        bands.append(Band(label=label, upper=reader.decimal(band, "upper", where)))
    if bands and not _bands_rise(bands):
        reader.fail(where, "bands must rise, each with an 'upper' bound except the last")
    return tuple(bands)


def _bands_rise(bands: list[Band]) -> bool:
    bounded = [band.upper for band in bands[:-1]]
    if bands[-1].upper is not None or any(upper is None for upper in bounded):
        return False
    return all(low < high for low, high in pairwise(bounded))  # type: ignore[operator]


def _parse_rule(reader: _Reader, raw: Mapping[str, Any], where: str) -> Rule:
    kind = raw.get("kind")
    if kind not in RULE_KINDS:
        reader.fail(where, f"'kind' must be one of {', '.join(RULE_KINDS)}")
        return Rule(kind="value")
    items = reader.sequence(raw, "items", where)
    if not all(isinstance(item, str) for item in items):
        reader.fail(where, "'items' must be a list of item ids")
        items = []
    multiple = raw.get("multiple", "reject")
    if multiple not in MULTIPLE_POLICIES:
        reader.fail(where, f"'multiple' must be one of {', '.join(MULTIPLE_POLICIES)}")
    weights = reader.mapping(raw, "weights", where)
    if not all(isinstance(w, int) and not isinstance(w, bool) for w in weights.values()):
        reader.fail(where, "'weights' must map option codes to whole numbers")
    domains = []
    for index, domain in enumerate(reader.sequence(raw, "domains", where)):
        dwhere = f"{where} domains[{index}]"
        if not isinstance(domain, Mapping):
            reader.fail(dwhere, "must be an object")
            continue
        divisor = reader.decimal(domain, "divisor", dwhere) or Decimal(1)
        if divisor <= 0:
            reader.fail(dwhere, "'divisor' must be positive")
        domains.append(
            Domain(
                id=reader.text(domain, "id", dwhere),
                name=str(domain.get("name", "")),
                items=tuple(str(i) for i in reader.sequence(domain, "items", dwhere)),
                divisor=divisor,
            )
        )
    subscales = []
    for index, sub in enumerate(reader.sequence(raw, "subscales", where)):
        swhere = f"{where} subscales[{index}]"
        if not isinstance(sub, Mapping):
            reader.fail(swhere, "must be an object")
            continue
        sub_rule = _parse_rule(reader, reader.mapping(sub, "rule", swhere), swhere)
        if sub_rule.kind == "subscales":
            reader.fail(swhere, "subscales cannot nest")
        sub_id = reader.text(sub, "id", swhere)
        subscales.append(Subscale(id=sub_id, name=str(sub.get("name", sub_id)), rule=sub_rule))
    return Rule(
        kind=kind,
        items=tuple(items),
        min_answered=reader.integer(raw, "min_answered", where),
        multiple=multiple if multiple in MULTIPLE_POLICIES else "reject",
        bands=_parse_bands(reader, reader.sequence(raw, "bands", where), where),
        percent_multiplier=reader.decimal(raw, "percent_multiplier", where),
        weights=dict(weights),
        domains=tuple(domains),
        subscales=tuple(subscales),
        primary=str(raw.get("primary", "")),
    )


def _parse_change(reader: _Reader, raw: Mapping[str, Any]) -> MeaningfulChange:
    where = "meaningful_change"
    responders = reader.sequence(raw, "responder_values", where)
    if not all(isinstance(v, int) for v in responders):
        reader.fail(where, "'responder_values' must be whole numbers")
        responders = []
    return MeaningfulChange(
        points=reader.decimal(raw, "points", where),
        percent=reader.decimal(raw, "percent", where),
        item_points=reader.decimal(raw, "item_points", where),
        responder_values=tuple(responders),
    )


def definition_parse(data: Any) -> InstrumentDefinition:
    """Turn a JSON-decoded definition into an :class:`InstrumentDefinition` or raise DefinitionError."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise DefinitionError(["definition: must be a JSON object"])
    items = [
        item
        for index, raw in enumerate(reader.sequence(data, "items", "definition"))
        if (item := _parse_item(reader, raw, index)) is not None
    ]
    direction = data.get("direction", "lower_is_better")
    if direction not in DIRECTIONS:
        reader.fail("definition", f"'direction' must be one of {', '.join(DIRECTIONS)}")
    unit = data.get("unit", "points")
    if unit not in ("points", "percent"):
        reader.fail("definition", "'unit' must be 'points' or 'percent'")
    definition = InstrumentDefinition(
        id=reader.text(data, "id", "definition"),
        name=reader.text(data, "name", "definition"),
        version=str(data.get("version", "")).strip(),
        licence_required=bool(data.get("licence_required", False)),
        items=tuple(items),
        scoring=_parse_rule(reader, reader.mapping(data, "scoring", "definition"), "scoring"),
        direction=direction,
        unit=unit,
        meaningful_change=_parse_change(
            reader, reader.mapping(data, "meaningful_change", "definition")
        ),
    )
    if not definition.version:
        reader.fail("definition", "'version' must be given")
    if not definition.items:
        reader.fail("definition", "'items' must list at least one item")
    if len({item.id for item in items}) != len(items):
        reader.fail("definition", "item ids must be unique")
    if not reader.errors:
        _check_rule_items(reader, definition.scoring, definition.items_by_id, "scoring")
    if reader.errors:
        raise DefinitionError(reader.errors)
    return definition


def rule_item_ids(rule: Rule, items: Mapping[str, Item]) -> tuple[str, ...]:
    """The items a rule scores; an empty 'items' list means every scored item."""
    if rule.kind == "domain_sum":
        return tuple(i for domain in rule.domains for i in domain.items)
    if rule.kind == "subscales":
        return tuple(i for sub in rule.subscales for i in rule_item_ids(sub.rule, items))
    return rule.items or tuple(item_id for item_id, item in items.items() if item.scored)


def _check_rule_items(reader: _Reader, rule: Rule, items: Mapping[str, Item], where: str) -> None:
    used = rule_item_ids(rule, items)
    for item_id in used:
        if item_id not in items:
            reader.fail(where, f"refers to unknown item '{item_id}'")
        elif not items[item_id].scored:
            reader.fail(where, f"item '{item_id}' is free text and cannot be scored")
    if reader.errors:
        return
    if rule.kind == "value" and len(used) != 1:
        reader.fail(where, "a 'value' rule scores exactly one item")
    if rule.min_answered is not None and not 0 < rule.min_answered <= len(used):
        reader.fail(where, f"'min_answered' must be between 1 and {len(used)}")
    types = {items[item_id].type for item_id in used}
    if rule.kind == "weighted_sum":
        if types != {"choice"}:
            reader.fail(where, "a 'weighted_sum' rule scores choice items only")
        missing = {o.code for i in used for o in items[i].options} - set(rule.weights)
        if missing:
            reader.fail(where, f"no weight for option(s) {', '.join(sorted(missing))}")
    elif "choice" in types and rule.kind != "subscales":
        reader.fail(where, "choice items can only be scored by a 'weighted_sum' rule")
    if rule.kind == "percent_of_max" and any(
        items[i].type == "integer" and items[i].min != 0 for i in used
    ):
        reader.fail(where, "a 'percent_of_max' rule needs items that start at 0")
    if rule.kind == "domain_sum" and not rule.domains:
        reader.fail(where, "a 'domain_sum' rule needs 'domains'")
    if rule.kind == "subscales":
        if not rule.subscales:
            reader.fail(where, "a 'subscales' rule needs 'subscales'")
        ids = [sub.id for sub in rule.subscales]
        if rule.primary and rule.primary not in ids:
            reader.fail(where, f"'primary' must be one of {', '.join(ids)}")
        for sub in rule.subscales:
            _check_rule_items(reader, sub.rule, items, f"{where} subscale '{sub.id}'")
