"""HTML form plumbing for questionnaire steps: POST data → answers, items → template fields."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intake import painmap
from intake import questionnaire_logic as ql
from intake.models import ReviewAction


@dataclass
class Field:
    item: ql.Item
    value: Any
    errors: list[str]
    enabled: bool
    children: list[Field] = field(default_factory=list)

    @property
    def enable_json(self) -> str:
        return json.dumps(
            [{"q": c.question, "op": c.operator, "a": c.answer} for c in self.item.enable_when]
        )

    @property
    def values(self) -> list[Any]:
        if self.value is None:
            return []
        return self.value if isinstance(self.value, list) else [self.value]


def build_fields(
    items: list[ql.Item],
    answers: dict[str, Any],
    errors: dict[str, list[str]],
    enabled: set[str],
    omit: frozenset[str] = frozenset(),
) -> list[Field]:
    """Template fields for ``items``; ``enabled`` is computed over the whole questionnaire.

    Questions in ``omit`` (answered already, e.g. age from the date of birth) are not asked.
    """
    return [_field(i, answers, errors, enabled, omit) for i in items if i.link_id not in omit]


def _field(
    item: ql.Item,
    answers: dict[str, Any],
    errors: dict[str, list[str]],
    enabled: set[str],
    omit: frozenset[str],
) -> Field:
    return Field(
        item=item,
        value=answers.get(item.link_id),
        errors=errors.get(item.link_id, []),
        enabled=item.link_id in enabled,
        children=[
            _field(c, answers, errors, enabled, omit) for c in item.items if c.link_id not in omit
        ],
    )


def _parse_number(raw: str, item: ql.Item) -> tuple[Any, str | None]:
    try:
        return (int(raw) if item.type == "integer" else float(raw)), None
    except ValueError:
        if item.type == "integer":
            return raw, gettext("Enter a whole number.")
        return raw, gettext("Enter a number.")


def _parse_single(item: ql.Item, post: QueryDict) -> tuple[Any, str | None]:
    name = item.link_id
    if item.type == "consent":
        return post.get(name) == "yes", None
    if item.type == "pain-map":
        return painmap_from_post(post), None
    if item.repeats:
        return [v for v in post.getlist(name) if v] or None, None
    raw = (post.get(name) or "").strip()
    if raw == "":
        return None, None
    if item.type == "boolean":
        return raw == "yes", None
    if item.type in ("integer", "decimal"):
        return _parse_number(raw, item)
    return raw, None


def answers_from_post(
    step: ql.Item, post: QueryDict
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Answers for every question of one step (None clears), and parse errors."""
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for item in step.walk():
        if item.type in ql.ANSWERLESS:
            continue
        value, problem = _parse_single(item, post)
        answers[item.link_id] = value
        if problem:
            errors[item.link_id] = [problem]
    return answers, errors


def painmap_from_post(post: QueryDict) -> list[dict[str, Any]] | None:
    """Marks from the keyboard-usable list (the SVG only ticks those same checkboxes)."""
    marks = []
    radiates_from, radiates_to = post.get("pm_from", ""), post.get("pm_to", "")
    for key in post.getlist("pain_map"):
        region, _sep, side = key.partition(":")
        mark: dict[str, Any] = {"region": region, "side": side}
        raw = post.get(f"pm_int__{region}__{side}", "")
        if raw.isdigit():
            mark["intensity"] = int(raw)
        if post.get(f"pm_scar__{region}__{side}") == "yes":
            mark["scar"] = True
        if key == radiates_from and radiates_to:
            mark["radiates_to"] = radiates_to.partition(":")[0]
        marks.append(mark)
    return marks or None


@dataclass
class PainRow:
    region: painmap.Region
    sides: list[dict[str, Any]]


def painmap_rows(value: Any) -> list[PainRow]:
    marks = {(m.get("region"), m.get("side")): m for m in value or [] if isinstance(m, dict)}
    rows = []
    for region in painmap.REGIONS:
        sides = []
        for side in region.sides:
            mark = marks.get((region.slug, side))
            sides.append(
                {
                    "side": side,
                    "side_label": painmap.side_label(side),
                    "label": painmap.region_label(region.slug, side),
                    "key": f"{region.slug}:{side}",
                    "slot": f"{region.slug}__{side}",
                    "checked": mark is not None,
                    "intensity": (mark or {}).get("intensity"),
                    "scar": bool((mark or {}).get("scar")),
                    "radiates_to": (mark or {}).get("radiates_to"),
                }
            )
        rows.append(PainRow(region, sides))
    return rows


class ReviewDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=ReviewAction.choices, widget=forms.RadioSelect, label=_("Decision")
    )
    areas = forms.CharField(
        required=False,
        label=_("Areas to avoid (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note for the record"),
        help_text=_("Say why when the client needs a call or is referred out."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def area_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("areas", "").splitlines() if line.strip()
        ]
