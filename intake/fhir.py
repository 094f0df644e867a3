"""FHIR R4 export: Questionnaire and QuestionnaireResponse JSON (pure, from stored data)."""

from __future__ import annotations

from typing import Any

from intake import painmap
from intake import questionnaire_logic as ql

FHIR_TYPES = {
    "group": "group",
    "display": "display",
    "boolean": "boolean",
    "choice": "choice",
    "open-choice": "open-choice",
    "integer": "integer",
    "decimal": "decimal",
    "string": "string",
    "text": "text",
    "date": "date",
    "consent": "boolean",
    "pain-map": "group",
}
BASE = "urn:unwind:questionnaire"
PAINMAP_SYSTEM = "urn:unwind:pain-map-region"


def _answer_key(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def _item_definition(item: ql.Item) -> dict[str, Any]:
    out: dict[str, Any] = {"linkId": item.link_id, "type": FHIR_TYPES[item.type], "text": item.text}
    if item.required:
        out["required"] = True
    if item.repeats:
        out["repeats"] = True
    if item.options:
        out["answerOption"] = [
            {
                "valueCoding": {
                    "system": f"{BASE}/{item.link_id}",
                    "code": o.value,
                    "display": o.label,
                }
            }
            for o in item.options
        ]
    if item.enable_when:
        out["enableWhen"] = [
            {"question": c.question, "operator": c.operator, **_enable_answer(c)}
            for c in item.enable_when
        ]
        if len(item.enable_when) > 1:
            out["enableBehavior"] = item.enable_behavior
    if item.items:
        out["item"] = [_item_definition(child) for child in item.items]
    return out


def _enable_answer(cond: ql.EnableWhen) -> dict[str, Any]:
    if cond.operator == "exists":
        return {"answerBoolean": bool(cond.answer)}
    if isinstance(cond.answer, str):
        return {"answerCoding": {"code": cond.answer}}
    key = _answer_key(cond.answer)
    return {k.replace("value", "answer"): v for k, v in key.items()}


def questionnaire_resource(
    *, slug: str, version: int, title: str, status: str, items: list[ql.Item]
) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": f"{slug}-{version}",
        "url": f"{BASE}/{slug}",
        "version": str(version),
        "title": title,
        "status": {"active": "active", "retired": "retired"}.get(status, "draft"),
        "item": [_item_definition(i) for i in items],
    }


def _answers_for(item: ql.Item, value: Any) -> list[dict[str, Any]]:
    values = value if isinstance(value, list) else [value]
    if item.options:
        labels = {o.value: o.label for o in item.options}
        return [
            {
                "valueCoding": {
                    "system": f"{BASE}/{item.link_id}",
                    "code": v,
                    "display": labels.get(v, v),
                }
            }
            for v in values
        ]
    return [_answer_key(v) for v in values]


def _painmap_items(value: Any) -> list[dict[str, Any]]:
    rows = []
    for mark in value or []:
        parts = [
            {
                "linkId": "region",
                "answer": [
                    {
                        "valueCoding": {
                            "system": PAINMAP_SYSTEM,
                            "code": mark["region"],
                            "display": painmap.region_label(mark["region"]),
                        }
                    }
                ],
            },
            {"linkId": "side", "answer": [{"valueString": mark["side"]}]},
        ]
        if mark.get("intensity") is not None:
            parts.append({"linkId": "intensity", "answer": [{"valueInteger": mark["intensity"]}]})
        if mark.get("scar"):
            parts.append({"linkId": "scar", "answer": [{"valueBoolean": True}]})
        if mark.get("radiates_to"):
            parts.append(
                {"linkId": "radiates_to", "answer": [{"valueString": mark["radiates_to"]}]}
            )
        rows.append({"linkId": "pain_map.mark", "item": parts})
    return rows


def _response_item(item: ql.Item, answers: dict[str, Any]) -> dict[str, Any] | None:
    if item.type == "display":
        return None
    if item.type == "group":
        children = [c for c in (_response_item(i, answers) for i in item.items) if c]
        return {"linkId": item.link_id, "text": item.text, "item": children} if children else None
    value = answers.get(item.link_id)
    if not ql.has_answer(value):
        return None
    if item.type == "pain-map":
        return {"linkId": item.link_id, "text": item.text, "item": _painmap_items(value)}
    return {"linkId": item.link_id, "text": item.text, "answer": _answers_for(item, value)}


def response_resource(
    *,
    response_id: int,
    slug: str,
    version: int,
    status: str,
    supersedes: bool,
    authored: str | None,
    subject_reference: str,
    items: list[ql.Item],
    answers: dict[str, Any],
) -> dict[str, Any]:
    fhir_status = "in-progress" if status == "draft" else ("amended" if supersedes else "completed")
    body: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response_id),
        "questionnaire": f"{BASE}/{slug}|{version}",
        "status": fhir_status,
        "subject": {"reference": subject_reference},
        "item": [r for r in (_response_item(i, answers) for i in items) if r],
    }
    if authored:
        body["authored"] = authored
    return body
