"""Pure screening engine: rules as data, evaluated against a submitted intake's answers.

A rule's ``when`` is a tree: ``{"any": [...]}``, ``{"all": [...]}`` or a leaf test
``{"question": link_id, "operator": "=", "answer": value}`` with the enableWhen operators.
The outcome is the most severe level among matching rules, plus every trigger (the rule and
the answers that made it match), the areas to adapt and the precautions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from intake.painmap import REGION_BY_SLUG
from intake.questionnaire_logic import (
    ANSWERLESS,
    OPERATORS,
    EnableWhen,
    Item,
    condition_holds,
    iter_items,
)

LEVELS = ("clear", "area", "review", "hold", "stop", "urgent", "emergency")
RANK = {level: rank for rank, level in enumerate(LEVELS)}


class RuleDefinitionError(ValueError):
    """A screening rule's data is malformed."""


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    level: str
    when: Mapping[str, Any]
    area_question: str = ""
    precautions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trigger:
    rule: str
    label: str
    level: str
    answers: tuple[tuple[str, Any], ...]  # (link_id, answer value) pairs that matched

    def as_dict(self, question_text: Mapping[str, str] | None = None) -> dict[str, Any]:
        texts = question_text or {}
        return {
            "rule": self.rule,
            "label": self.label,
            "level": self.level,
            "answers": [
                {"link_id": link_id, "question": texts.get(link_id, ""), "answer": value}
                for link_id, value in self.answers
            ],
        }


@dataclass
class Outcome:
    level: str = "clear"
    triggers: list[Trigger] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    precautions: list[str] = field(default_factory=list)


def check_condition(node: Any, *, path: str = "when") -> None:
    """Raise RuleDefinitionError when a condition tree is malformed."""
    if not isinstance(node, Mapping):
        raise RuleDefinitionError(f"{path}: expected an object.")
    for key in ("any", "all"):
        if key in node:
            children = node[key]
            if not isinstance(children, list) or not children:
                raise RuleDefinitionError(f"{path}.{key}: expected a non-empty list.")
            for i, child in enumerate(children):
                check_condition(child, path=f"{path}.{key}[{i}]")
            return
    if not node.get("question") or node.get("operator") not in OPERATORS:
        raise RuleDefinitionError(f"{path}: needs question and one of {sorted(OPERATORS)}.")


def matched_answers(
    node: Mapping[str, Any], answers: Mapping[str, Any]
) -> list[tuple[str, Any]] | None:
    """The (link_id, value) pairs that make ``node`` hold, or None when it does not hold."""
    if "any" in node:
        found = [m for child in node["any"] if (m := matched_answers(child, answers)) is not None]
        return [pair for m in found for pair in m] if found else None
    if "all" in node:
        collected: list[tuple[str, Any]] = []
        for child in node["all"]:
            m = matched_answers(child, answers)
            if m is None:
                return None
            collected += m
        return collected
    test = EnableWhen(str(node["question"]), str(node["operator"]), node.get("answer"))
    if not condition_holds(test, answers):
        return None
    if test.operator in ("=",) and isinstance(answers.get(test.question), list):
        return [(test.question, test.answer)]
    return [(test.question, answers.get(test.question))]


def _area_values(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v.get("region", v)) if isinstance(v, Mapping) else str(v) for v in value]
    return [str(value)]


def evaluate(rules: Sequence[Rule], answers: Mapping[str, Any]) -> Outcome:
    """Screen answers (already limited to enabled items) against the rules."""
    outcome = Outcome()
    for rule in rules:
        matched = matched_answers(rule.when, answers)
        if matched is None:
            continue
        pairs = tuple(dict.fromkeys((k, _hashable(v)) for k, v in matched))
        outcome.triggers.append(Trigger(rule.code, rule.label, rule.level, pairs))
        if RANK[rule.level] > RANK[outcome.level]:
            outcome.level = rule.level
        if rule.area_question:
            outcome.areas += _area_values(answers.get(rule.area_question))
        outcome.precautions += list(rule.precautions)
    outcome.areas = list(dict.fromkeys(outcome.areas))
    outcome.precautions = list(dict.fromkeys(outcome.precautions))
    outcome.triggers.sort(key=lambda t: -RANK[t.level])
    return outcome


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def condition_leaves(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The leaf tests of a condition tree, in order."""
    for key in ("any", "all"):
        if key in node:
            return [leaf for child in node[key] for leaf in condition_leaves(child)]
    return [node]


def _answer_fits(item: Item, operator: str, answer: Any) -> bool:
    """Whether a rule's expected answer is one this item can ever give."""
    if operator == "exists":
        return True
    if item.type in ("boolean", "consent"):
        return isinstance(answer, bool)
    if item.type in ("integer", "decimal"):
        return isinstance(answer, int | float) and not isinstance(answer, bool)
    if item.type == "choice":
        return answer in {o.value for o in item.options}
    if item.type == "pain-map":
        return answer in REGION_BY_SLUG
    return True  # free text and dates: any value may be typed


def reference_problems(
    *, code: str, when: Mapping[str, Any], area_question: str, items: Sequence[Item]
) -> list[str]:
    """Why rule ``code`` cannot fire on this questionnaire: each question or answer code it
    names that the questionnaire does not have (empty when every reference resolves)."""
    by_id = {i.link_id: i for i in iter_items(list(items)) if i.type not in ANSWERLESS}
    problems: list[str] = []
    for leaf in condition_leaves(when):
        question, operator, answer = leaf.get("question"), leaf.get("operator"), leaf.get("answer")
        item = by_id.get(str(question))
        if item is None:
            problems.append(f"Rule {code!r} refers to question {question!r}, which is missing.")
        elif not _answer_fits(item, str(operator), answer):
            problems.append(
                f"Rule {code!r} refers to answer {answer!r} of question {question!r}, "
                "which is missing."
            )
    if area_question and area_question not in by_id:
        problems.append(
            f"Rule {code!r} takes its area from question {area_question!r}, which is missing."
        )
    return problems
