"""Scoring outcome measures (spec §4): a definition and a set of answers in, a Score out.

Pure: plain dataclasses, no ORM, so every rule is unit-tested against worked examples.
Arithmetic is exact (fractions); only the reported value is rounded, to two decimals,
and a band is read from that rounded value so the number shown and its band agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext

from clinic.exceptions import ValidationFailed
from intake.instruments.definition import (
    TEXT_MAX_LENGTH,
    Band,
    InstrumentDefinition,
    Item,
    Rule,
    rule_item_ids,
)

TWO_PLACES = Decimal("0.01")
TRUE_STRINGS = frozenset({"true", "on", "yes", "1"})
FALSE_STRINGS = frozenset({"false", "off", "no", "0"})

Answer = Fraction | str  # a number for scored items, the option code or free text otherwise


class AnswersInvalid(ValidationFailed):
    """Some answers are not allowed by the instrument; ``extra['fields']`` names each item."""


@dataclass(frozen=True)
class Score:
    """The result of scoring: ``value`` is None when the answers do not allow a valid score."""

    value: Decimal | None
    unit: str
    valid: bool
    reason: str = ""
    percent: Decimal | None = None
    band: str = ""
    items_used: tuple[str, ...] = ()
    item_values: Mapping[str, Decimal] = field(default_factory=dict)
    subscores: tuple[Subscore, ...] = ()


@dataclass(frozen=True)
class Subscore:
    id: str
    name: str
    score: Score


@dataclass(frozen=True)
class Change:
    """How a follow-up score compares with a baseline; positive ``improvement`` is better."""

    meaningful: bool
    improvement: Decimal | None = None
    percent_improvement: Decimal | None = None
    reason: str = ""

    @property
    def improved(self) -> bool:
        return self.meaningful and self.improvement is not None and self.improvement > 0

    @property
    def worsened(self) -> bool:
        return self.meaningful and self.improvement is not None and self.improvement < 0


def to_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP
    )


# --- answers ------------------------------------------------------------------------------


def _is_blank(raw: Any) -> bool:
    return raw is None or raw == "" or raw == []


def _integer(item: Item, raw: Any) -> Fraction:
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValueError(
            gettext("must be a whole number from %(low)s to %(high)s")
            % {"low": item.min, "high": item.max}
        )
    if not item.min <= raw <= item.max:  # type: ignore[operator]
        raise ValueError(
            gettext("must be a whole number from %(low)s to %(high)s, not %(value)s")
            % {"low": item.min, "high": item.max, "value": raw}
        )
    return Fraction(raw)


def _boolean(raw: Any) -> Fraction:
    if isinstance(raw, str) and raw.strip().lower() in TRUE_STRINGS | FALSE_STRINGS:
        raw = raw.strip().lower() in TRUE_STRINGS
    if isinstance(raw, int) and raw in (0, 1):
        return Fraction(int(raw))
    raise ValueError(gettext("must be ticked (true) or not ticked (false)"))


def _one_answer(item: Item, raw: Any, multiple: str) -> Answer:
    if isinstance(raw, list):
        # Two boxes ticked in one section: spec §4 (ODI) scores the higher of them.
        if multiple != "highest" or item.type != "integer":
            raise ValueError(gettext("choose only one answer"))
        return max(_integer(item, value) for value in raw)
    if item.type == "integer":
        return _integer(item, raw)
    if item.type == "boolean":
        return _boolean(raw)
    if item.type == "choice":
        codes = [option.code for option in item.options]
        if raw not in codes:
            raise ValueError(gettext("must be one of %(codes)s") % {"codes": ", ".join(codes)})
        return str(raw)
    if not isinstance(raw, str) or len(raw) > TEXT_MAX_LENGTH:
        raise ValueError(
            gettext("must be text of at most %(limit)s characters") % {"limit": TEXT_MAX_LENGTH}
        )
    return raw.strip()


def answers_clean(definition: InstrumentDefinition, answers: Any) -> dict[str, Answer]:
    """Check answers against the definition and normalise them, or raise AnswersInvalid.

    Blank answers are left out; an unticked (absent) yes/no statement counts as "not ticked".
    """
    if not isinstance(answers, Mapping):
        raise AnswersInvalid(
            "Answers must be an object of item ids to answers.",
            extra={"fields": {"answers": [gettext("Must be an object of item ids to answers.")]}},
        )
    items = definition.items_by_id
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Answer] = {}
    for item_id in answers:
        if item_id not in items:
            errors[f"answers.{item_id}"] = ["is not an item of this instrument"]
    for item in definition.items:
        raw = answers.get(item.id)
        if _is_blank(raw):
            if item.type == "boolean":
                cleaned[item.id] = Fraction(0)
            elif item.required:
                errors[f"answers.{item.id}"] = ["this item is required"]
            continue
        try:
            cleaned[item.id] = _one_answer(item, raw, definition.scoring.multiple)
        except ValueError as error:
            errors[f"answers.{item.id}"] = [str(error)]
    if errors:
        name, messages = next(iter(errors.items()))
        raise AnswersInvalid(
            f"Answer '{name.removeprefix('answers.')}' {messages[0]}.",
            extra={"fields": errors},
        )
    return cleaned


# --- rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    definition: InstrumentDefinition
    answers: Mapping[str, Answer]

    def answered(self, item_ids: tuple[str, ...]) -> dict[str, Answer]:
        return {i: self.answers[i] for i in item_ids if i in self.answers}


def _band(bands: tuple[Band, ...], value: Decimal) -> str:
    for band in bands:
        if band.upper is None or value <= band.upper:
            return band.label
    return ""


def _invalid(unit: str, reason: str, used: tuple[str, ...] = ()) -> Score:
    return Score(value=None, unit=unit, valid=False, reason=reason, items_used=used)


def _numbers(values: Mapping[str, Answer]) -> dict[str, Fraction]:
    return {i: v for i, v in values.items() if isinstance(v, Fraction)}


def _valid(
    rule: Rule, value: Fraction, unit: str, used: Mapping[str, Answer], **extra: Any
) -> Score:
    rounded = to_decimal(value)
    return Score(
        value=rounded,
        unit=unit,
        valid=True,
        band=_band(rule.bands, rounded),
        items_used=tuple(used),
        item_values={i: to_decimal(v) for i, v in _numbers(used).items()},
        percent=rounded if unit == "percent" else extra.get("percent"),
        subscores=extra.get("subscores", ()),
    )


def _too_few(rule: Rule, ids: tuple[str, ...], answered: Mapping[str, Answer], default: int) -> str:
    needed = rule.min_answered if rule.min_answered is not None else default
    if len(answered) >= needed:
        return ""
    return f"{len(answered)} of {len(ids)} items answered; at least {needed} needed"


def _score_value(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    answered = ctx.answered(ids)
    if not answered:
        return _invalid("points", f"item '{ids[0]}' not answered")
    return _valid(rule, _numbers(answered)[ids[0]], "points", answered)


def _score_mean(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    answered = _numbers(ctx.answered(ids))
    if reason := _too_few(rule, ids, answered, default=1):
        return _invalid("points", reason, tuple(answered))
    return _valid(rule, sum(answered.values(), Fraction(0)) / len(answered), "points", answered)


def _score_sum(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    answered = _numbers(ctx.answered(ids))
    if reason := _too_few(rule, ids, answered, default=len(ids)):
        return _invalid("points", reason, tuple(answered))
    return _valid(rule, sum(answered.values(), Fraction(0)), "points", answered)


def _score_percent_of_max(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    answered = _numbers(ctx.answered(ids))
    if reason := _too_few(rule, ids, answered, default=1):
        return _invalid("percent", reason, tuple(answered))
    items = ctx.definition.items_by_id
    possible = sum(items[i].max or 1 for i in answered)  # a ticked statement is worth 1
    total = sum(answered.values(), Fraction(0))
    return _valid(rule, total / possible * 100, "percent", answered)


def _score_imputed_sum(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    answered = _numbers(ctx.answered(ids))
    if reason := _too_few(rule, ids, answered, default=1):
        return _invalid("points", reason, tuple(answered))
    total = sum(answered.values(), Fraction(0))
    # Each missing item adds the mean of the answered ones (spec §4, NDI).
    raw = total + (len(ids) - len(answered)) * (total / len(answered))
    percent = None
    if rule.percent_multiplier is not None:
        percent = to_decimal(raw * Fraction(rule.percent_multiplier))
    return _valid(rule, raw, "points", answered, percent=percent)


def _score_weighted_sum(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    answered = ctx.answered(ids)
    if reason := _too_few(rule, ids, answered, default=len(ids)):
        return _invalid("points", reason, tuple(answered))
    weights = {i: Fraction(rule.weights[str(code)]) for i, code in answered.items()}
    return _valid(rule, sum(weights.values(), Fraction(0)), "points", weights)


def _score_domain_sum(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    subscores, parts, used = [], [], {}
    for domain in rule.domains:
        answered = _numbers(ctx.answered(domain.items))
        if len(answered) < len(domain.items):
            missing = len(domain.items) - len(answered)
            return _invalid("points", f"{domain.name or domain.id}: {missing} item(s) not answered")
        part = sum(answered.values(), Fraction(0)) / Fraction(domain.divisor)
        parts.append(part)
        used.update(answered)
        sub = Score(value=to_decimal(part), unit="points", valid=True, items_used=tuple(answered))
        subscores.append(Subscore(id=domain.id, name=domain.name, score=sub))
    return _valid(rule, sum(parts, Fraction(0)), "points", used, subscores=tuple(subscores))


def _score_subscales(ctx: _Context, rule: Rule, ids: tuple[str, ...]) -> Score:
    subscores = tuple(
        Subscore(id=sub.id, name=sub.name, score=score_rule(ctx, sub.rule))
        for sub in rule.subscales
    )
    primary = next((s for s in subscores if s.id == rule.primary), subscores[0])
    invalid = [f"{s.name}: {s.score.reason}" for s in subscores if not s.score.valid]
    used = tuple(i for s in subscores for i in s.score.items_used)
    if invalid:
        return Score(
            value=None, unit=primary.score.unit, valid=False, reason="; ".join(invalid),
            items_used=used, subscores=subscores,
        )  # fmt: skip
    return Score(
        value=primary.score.value, unit=primary.score.unit, valid=True,
        percent=primary.score.percent, band=primary.score.band, items_used=used,
        item_values={k: v for s in subscores for k, v in s.score.item_values.items()},
        subscores=subscores,
    )  # fmt: skip


RULES = {
    "value": _score_value,
    "mean": _score_mean,
    "sum": _score_sum,
    "percent_of_max": _score_percent_of_max,
    "imputed_sum": _score_imputed_sum,
    "weighted_sum": _score_weighted_sum,
    "domain_sum": _score_domain_sum,
    "subscales": _score_subscales,
}


def score_rule(ctx: _Context, rule: Rule) -> Score:
    ids = rule_item_ids(rule, ctx.definition.items_by_id)
    return RULES[rule.kind](ctx, rule, ids)


def score(definition: InstrumentDefinition, answers: Any) -> Score:
    """Score raw answers by the definition's rule; raises AnswersInvalid for answers not allowed."""
    cleaned = answers_clean(definition, answers)
    return score_rule(_Context(definition=definition, answers=cleaned), definition.scoring)


def _item_range(item: Item) -> tuple[Fraction, Fraction]:
    if item.type == "integer":
        return Fraction(item.min or 0), Fraction(item.max or 0)
    return Fraction(0), Fraction(1)


def _rule_bounds(definition: InstrumentDefinition, rule: Rule) -> tuple[Fraction, Fraction]:
    items = definition.items_by_id
    ranges = [_item_range(items[i]) for i in rule_item_ids(rule, items)]
    if rule.kind == "percent_of_max":
        return Fraction(0), Fraction(100)
    if rule.kind in ("value", "mean"):
        return min(low for low, _ in ranges), max(high for _, high in ranges)
    if rule.kind == "weighted_sum":
        return Fraction(min(rule.weights.values()) * len(ranges)), Fraction(
            max(rule.weights.values()) * len(ranges)
        )
    if rule.kind == "domain_sum":
        bounds = [[_item_range(items[i]) for i in domain.items] for domain in rule.domains]
        divisors = [Fraction(domain.divisor) for domain in rule.domains]
        return (
            sum(
                (sum(r[0] for r in b) / d for b, d in zip(bounds, divisors, strict=True)),
                Fraction(0),
            ),
            sum(
                (sum(r[1] for r in b) / d for b, d in zip(bounds, divisors, strict=True)),
                Fraction(0),
            ),
        )
    if rule.kind == "subscales":
        primary = next((s for s in rule.subscales if s.id == rule.primary), rule.subscales[0])
        return _rule_bounds(definition, primary.rule)
    return sum((r[0] for r in ranges), Fraction(0)), sum((r[1] for r in ranges), Fraction(0))


def score_bounds(definition: InstrumentDefinition) -> tuple[Decimal, Decimal]:
    """The lowest and highest score the definition can give (a chart's axis)."""
    low, high = _rule_bounds(definition, definition.scoring)
    return to_decimal(low), to_decimal(high)


# --- change -------------------------------------------------------------------------------


def is_responder(definition: InstrumentDefinition, result: Score) -> bool:
    """PGIC-style: the answer is one the definition counts as a responder (1 or 2 for PGIC)."""
    wanted = definition.meaningful_change.responder_values
    return result.valid and result.value is not None and int(result.value) in wanted


def _item_change_meaningful(definition: InstrumentDefinition, before: Score, after: Score) -> bool:
    threshold = definition.meaningful_change.item_points
    if threshold is None:
        return False
    common = set(before.item_values) & set(after.item_values)
    return any(abs(after.item_values[i] - before.item_values[i]) >= threshold for i in common)


def change_assess(definition: InstrumentDefinition, before: Score, after: Score) -> Change:
    """Whether ``after`` differs from baseline ``before`` by the definition's meaningful change.

    Meaningful when the change reaches the points threshold, or the percent of baseline
    threshold, or (PSFS) one item moves by the per-item threshold; in either direction.
    """
    if not (before.valid and after.valid) or before.value is None or after.value is None:
        return Change(meaningful=False, reason="both scores must be valid to compare")
    rule = definition.meaningful_change
    difference = after.value - before.value
    improvement = -difference if definition.direction == "lower_is_better" else difference
    percent = None
    if before.value != 0:
        percent = (improvement / before.value * 100).quantize(TWO_PLACES, ROUND_HALF_UP)
    reasons = []
    if rule.points is not None and abs(improvement) >= rule.points:
        reasons.append(f"changed by at least {rule.points} points")
    if rule.percent is not None and percent is not None and abs(percent) >= rule.percent:
        reasons.append(f"changed by at least {rule.percent}% of baseline")
    if _item_change_meaningful(definition, before, after):
        reasons.append(f"one item changed by at least {rule.item_points} points")
    return Change(
        meaningful=bool(reasons),
        improvement=improvement,
        percent_improvement=percent,
        reason="; ".join(reasons) or "below the meaningful change",
    )
