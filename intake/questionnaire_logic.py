"""Pure FHIR-like questionnaire logic: parse items, evaluate enableWhen, validate answers.

No ORM here. A questionnaire is a list of item dicts (as stored in Questionnaire.items):
``link_id``, ``type``, ``text``, ``required``, ``repeats``, ``options`` ([{value, label}]),
``enable_when`` ([{question, operator, answer}]; on a pain map the answer is a region slug),
``enable_behavior`` ("all" | "any"),
``items`` (children of a group). Top-level groups are the steps of the form.

Answers are a dict ``{link_id: value}``; a repeating item's value is a list. Semantics follow
FHIR R4: an answer to a disabled item counts as no answer, ``=`` holds when any answer equals,
``!=`` when none does, ``exists`` compares presence with the expected boolean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

from intake import painmap

ITEM_TYPES = frozenset(
    {
        "group",
        "display",
        "boolean",
        "choice",
        "open-choice",
        "integer",
        "decimal",
        "string",
        "text",
        "date",
        "pain-map",
        "consent",
    }
)
OPERATORS = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})
ANSWERLESS = frozenset({"group", "display"})


class QuestionnaireDefinitionError(ValueError):
    """The questionnaire data itself is malformed (a clinic editing mistake)."""


@dataclass(frozen=True)
class EnableWhen:
    question: str
    operator: str
    answer: Any = None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    exclusive: bool = False


@dataclass
class Item:
    link_id: str
    type: str
    text: str = ""
    required: bool = False
    repeats: bool = False
    options: list[Option] = field(default_factory=list)
    enable_when: list[EnableWhen] = field(default_factory=list)
    enable_behavior: str = "all"
    items: list[Item] = field(default_factory=list)
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    help_text: str = ""
    answer_value_set: str = ""
    consent_kind: str = ""
    must_be_true: bool = False

    def walk(self) -> Iterator[Item]:
        yield self
        for child in self.items:
            yield from child.walk()


def parse_items(
    raw: Sequence[Mapping[str, Any]], *, value_sets: Mapping[str, list[Option]] | None = None
) -> list[Item]:
    """Turn stored item dicts into Items, checking types, operators and references."""
    items = [_parse_item(entry, value_sets or {}) for entry in raw]
    seen: set[str] = set()
    for item in iter_items(items):
        if item.link_id in seen:
            raise QuestionnaireDefinitionError(f"Duplicate link_id {item.link_id!r}.")
        seen.add(item.link_id)
    for item in iter_items(items):
        for cond in item.enable_when:
            if cond.question not in seen:
                raise QuestionnaireDefinitionError(
                    f"{item.link_id}: enable_when refers to unknown item {cond.question!r}."
                )
    return items


def _parse_item(entry: Mapping[str, Any], value_sets: Mapping[str, list[Option]]) -> Item:
    link_id = str(entry.get("link_id") or "")
    item_type = entry.get("type")
    if not link_id or item_type not in ITEM_TYPES:
        raise QuestionnaireDefinitionError(f"Item {link_id or '?'} has a bad type {item_type!r}.")
    conds = []
    for cond in entry.get("enable_when") or []:
        if cond.get("operator") not in OPERATORS:
            raise QuestionnaireDefinitionError(f"{link_id}: bad operator {cond.get('operator')!r}.")
        conds.append(EnableWhen(str(cond["question"]), cond["operator"], cond.get("answer")))
    behavior = entry.get("enable_behavior", "all")
    if behavior not in ("all", "any"):
        raise QuestionnaireDefinitionError(f"{link_id}: enable_behavior must be all or any.")
    value_set = str(entry.get("answer_value_set") or "")
    options = [
        Option(str(o["value"]), str(o.get("label", o["value"])), bool(o.get("exclusive")))
        for o in entry.get("options") or []
    ]
    if value_set:
        options = list(value_sets.get(value_set, [])) + options
    return Item(
        link_id=link_id,
        type=item_type,
        text=str(entry.get("text", "")),
        required=bool(entry.get("required")),
        repeats=bool(entry.get("repeats")),
        options=options,
        enable_when=conds,
        enable_behavior=behavior,
        items=[_parse_item(child, value_sets) for child in entry.get("items") or []],
        min_value=entry.get("min_value"),
        max_value=entry.get("max_value"),
        max_length=entry.get("max_length"),
        help_text=str(entry.get("help_text", "")),
        answer_value_set=value_set,
        consent_kind=str(entry.get("consent_kind", "")),
        must_be_true=bool(entry.get("must_be_true")),
    )


def iter_items(items: list[Item]) -> Iterator[Item]:
    for item in items:
        yield from item.walk()


def find_item(items: list[Item], link_id: str) -> Item | None:
    return next((i for i in iter_items(items) if i.link_id == link_id), None)


def has_answer(value: Any) -> bool:
    if value is None or value == "":
        return False
    return not (isinstance(value, list | dict) and not value)


def _values(value: Any) -> list[Any]:
    """The comparable answers: a pain-map mark compares as its region, so a red-flag group can
    be enabled by ``{"question": "pain_map", "operator": "=", "answer": "lower-back"}``."""
    if not has_answer(value):
        return []
    values = list(value) if isinstance(value, list) else [value]
    return [v.get("region") if isinstance(v, Mapping) and "region" in v else v for v in values]


def _compare(left: Any, operator: str, right: Any) -> bool:
    try:
        if operator == "=":
            return left == right
        if operator == ">":
            return left > right
        if operator == "<":
            return left < right
        if operator == ">=":
            return left >= right
        if operator == "<=":
            return left <= right
    except TypeError:
        return False
    raise QuestionnaireDefinitionError(f"Bad operator {operator!r}.")


def condition_holds(cond: EnableWhen, answers: Mapping[str, Any]) -> bool:
    """One enableWhen test against the (already enable-filtered) answers."""
    values = _values(answers.get(cond.question))
    if cond.operator == "exists":
        return bool(values) == bool(cond.answer)
    if cond.operator == "!=":
        return bool(values) and all(v != cond.answer for v in values)
    return any(_compare(v, cond.operator, cond.answer) for v in values)


def _enabled_once(
    items: list[Item], answers: Mapping[str, Any], parent_on: bool, out: set[str]
) -> None:
    for item in items:
        results = [condition_holds(c, answers) for c in item.enable_when]
        own = not results or (all(results) if item.enable_behavior == "all" else any(results))
        on = parent_on and own
        if on:
            out.add(item.link_id)
        _enabled_once(item.items, answers, on, out)


def enabled_link_ids(items: list[Item], answers: Mapping[str, Any]) -> set[str]:
    """Link ids of the items shown for these answers (disabled answers count as absent)."""
    enabled = {i.link_id for i in iter_items(items)}
    # Iterate to a fixpoint: hiding an item removes its answer, which may hide others.
    for _round in range(len(enabled) + 1):
        visible = {k: v for k, v in answers.items() if k in enabled}
        now: set[str] = set()
        _enabled_once(items, visible, True, now)
        if now == enabled:
            break
        enabled = now
    return enabled


def effective_answers(items: list[Item], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers with those to disabled or unknown items dropped."""
    enabled = enabled_link_ids(items, answers)
    return {k: v for k, v in answers.items() if k in enabled and has_answer(v)}


def validate_answers(
    items: list[Item], answers: Mapping[str, Any], *, only: set[str] | None = None
) -> dict[str, list[str]]:
    """Field errors for enabled items (optionally only those in ``only``); empty when valid."""
    enabled = enabled_link_ids(items, answers)
    errors: dict[str, list[str]] = {}
    for item in iter_items(items):
        if item.type in ANSWERLESS or item.link_id not in enabled:
            continue
        if only is not None and item.link_id not in only:
            continue
        problems = validate_item(item, answers.get(item.link_id))
        if problems:
            errors[item.link_id] = problems
    for low, high, message in ORDERED_ANSWERS:
        if low not in enabled or high not in enabled or low in errors or high in errors:
            continue
        if only is not None and low not in only and high not in only:
            continue
        lower, upper = answers.get(low), answers.get(high)
        if isinstance(lower, int | float) and isinstance(upper, int | float) and lower > upper:
            errors[low] = [gettext(message) % {"low": lower, "high": upper}]
    return errors


# Answers that must not contradict each other, by link id (stable across questionnaire
# versions): (lower, upper, message shown on the lower one when it is the higher).
ORDERED_ANSWERS = (
    (
        "pain_best",
        "pain_worst",
        gettext_noop("Pain at its best (%(low)s) can't be higher than at its worst (%(high)s)."),
    ),
)


def validate_item(item: Item, value: Any) -> list[str]:
    if not has_answer(value):
        return [gettext("This question needs an answer.")] if item.required else []
    if item.repeats or item.type == "pain-map":
        if not isinstance(value, list):
            return [gettext("Expected a list of answers.")]
        values = value
    else:
        if isinstance(value, list):
            return [gettext("Give one answer.")]
        values = [value]
    if item.type == "pain-map":
        return painmap.validate_marks(values)
    problems: list[str] = []
    for single in values:
        problems += _validate_single(item, single)
    if not problems and item.type == "choice" and item.repeats:
        problems += _exclusive_problem(item, values)
    return problems


def _exclusive_problem(item: Item, values: list[Any]) -> list[str]:
    exclusive = {o.value for o in item.options if o.exclusive}
    chosen = set(values) & exclusive
    if chosen and len(values) > 1:
        label = next(o.label for o in item.options if o.value in chosen)
        # A shipped label is in the catalogues (intake.questionnaire_texts); a clinic's is not.
        return [
            gettext("“%(answer)s” cannot be combined with other answers.")
            % {"answer": gettext(label)}
        ]
    return []


def _validate_single(item: Item, value: Any) -> list[str]:
    kind = item.type
    if kind in ("boolean", "consent"):
        if not isinstance(value, bool):
            return [gettext("Answer yes or no.")]
        if item.must_be_true and value is not True:
            return [gettext("This consent is needed to continue.")]
        return []
    if kind in ("integer", "decimal"):
        return _validate_number(item, value)
    if kind == "choice":
        if value not in {o.value for o in item.options}:
            return [gettext("Choose one of the listed answers.")]
        return []
    if kind in ("string", "text", "open-choice"):
        if not isinstance(value, str):
            return [gettext("Expected text.")]
        limit = item.max_length or (200 if kind != "text" else 4000)
        if len(value) > limit:
            return [gettext("Keep this under %(limit)s characters.") % {"limit": limit}]
        return []
    if kind == "date":
        return _validate_date(value)
    return []


def _validate_number(item: Item, value: Any) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return [gettext("Enter a number.")]
    if item.type == "integer" and not isinstance(value, int):
        return [gettext("Enter a whole number.")]
    if item.min_value is not None and value < item.min_value:
        return [
            gettext("Enter a number from %(low)s to %(high)s.")
            % {"low": f"{item.min_value:g}", "high": f"{item.max_value:g}"}
            if item.max_value is not None
            else gettext("Enter at least %(low)s.") % {"low": f"{item.min_value:g}"}
        ]
    if item.max_value is not None and value > item.max_value:
        return [
            gettext("Enter a number from %(low)s to %(high)s.")
            % {"low": f"{item.min_value or 0:g}", "high": f"{item.max_value:g}"}
        ]
    return []


def _validate_date(value: Any) -> list[str]:
    if not isinstance(value, str):
        return [gettext("Enter a date as YYYY-MM-DD.")]
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return [gettext("Enter a date as YYYY-MM-DD.")]
    return []


def steps(items: list[Item]) -> list[Item]:
    """The top-level groups: one page each in the client's form."""
    return [i for i in items if i.type == "group"]


def step_link_ids(step: Item) -> set[str]:
    return {i.link_id for i in step.walk()}
