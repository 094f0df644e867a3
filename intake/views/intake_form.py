"""The client's intake pages: start, step through (autosaved draft), check, submit, result."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from clinic.audit import audit_record
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditAction, Role
from clinic.permissions import role_required
from clinic.shipped_texts import shipped_text
from clinic.views.common import signed_in_user
from intake import fhir, painmap, services
from intake import questionnaire_logic as ql
from intake.forms import answers_from_post, build_fields, painmap_rows
from intake.gate import (
    BookingGate,
    booking_gate_for,
    effective_level_for,
    emergency_advice,
    intake_status_for,
    safety_advice_for,
)
from intake.known_answers import AGE_LINK_ID, answers_known_for
from intake.models import IntakeResponse, ResponseStatus
from intake.questionnaire_items import parsed_items
from intake.questionnaire_texts import translated_items
from intake.questionnaires import active_questionnaire
from intake.screening import client_message, emergency_on_step
from intake.selectors import intake_fhir_resource, intake_get_for, latest_screening, own_intake_for


def _steps_context(items: list[ql.Item], answers: dict | None = None) -> list[dict]:
    """The step list; a step is ``completed`` when it has answers and none of them needs a fix."""
    answers = answers or {}
    errors = ql.validate_answers(items, answers)
    steps = []
    for step in ql.steps(items):
        ids = ql.step_link_ids(step)
        answered = any(k in answers for k in ids)
        steps.append(
            {
                "link_id": step.link_id,
                "text": shipped_text(step.text),
                "completed": answered and not ids & set(errors),
            }
        )
    return steps


@role_required(Role.CLIENT)
def intake_home(request: HttpRequest) -> HttpResponse:
    response = own_intake_for(signed_in_user(request), request=request)
    screening = None
    current = response
    if response is not None and response.status == ResponseStatus.DRAFT:
        current = IntakeResponse.objects.filter(
            client_id=request.user.pk, status=ResponseStatus.SUBMITTED
        ).first()
    if current is not None and current.status == ResponseStatus.SUBMITTED:
        screening = latest_screening(current)
    # The advice follows the effective level: a calmer re-submission does not lift an open flag.
    level = effective_level_for(signed_in_user(request)) if screening else ""
    return render(
        request,
        "intake/home.html",
        {
            "draft": response if response and response.status == ResponseStatus.DRAFT else None,
            "current": current if current and current.status == ResponseStatus.SUBMITTED else None,
            "screening": screening,
            "level": level,
            "message": client_message(level) if screening else "",
            "status": intake_status_for(signed_in_user(request)),
            "gate": booking_gate_for(signed_in_user(request)),
            "BookingGate": BookingGate,
            "advice": safety_advice_for(request.user),
        },
    )


@require_POST
@role_required(Role.CLIENT)
def stop_passed(request: HttpRequest) -> HttpResponse:
    """The client says what made their intake STOP has passed; a clinician reviews next."""
    try:
        services.stop_passed_confirm(client=request.user, request=request)
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Thank you. A clinician will review your intake before you can book again."),
        )
    return redirect("intake:home")


@require_POST
@role_required(Role.CLIENT)
def intake_start_view(request: HttpRequest) -> HttpResponse:
    draft = services.intake_start(client=signed_in_user(request), request=request)
    items = parsed_items(draft.questionnaire)
    first = ql.steps(items)[0].link_id
    return redirect("intake:step", step=draft.current_step or first)


def _current_draft(request: HttpRequest) -> IntakeResponse | None:
    return (
        IntakeResponse.objects.select_related("questionnaire")
        .filter(client_id=request.user.pk, status=ResponseStatus.DRAFT)
        .first()
    )


def _draft_or_404(request: HttpRequest) -> IntakeResponse:
    draft = _current_draft(request)
    if draft is None:
        raise Http404
    return draft


def _submitted_read_only(request: HttpRequest, step: str = "") -> HttpResponse:
    """The client's own submitted intake, read only: where a step link leads once it is sent.

    Http404 when the client has no submitted intake (or the step is not in its form).
    """
    response = (
        IntakeResponse.objects.select_related("questionnaire")
        .filter(client_id=request.user.pk, status=ResponseStatus.SUBMITTED)
        .first()
    )
    if response is None:
        raise Http404
    items = translated_items(parsed_items(response.questionnaire))
    if step and step not in {s.link_id for s in ql.steps(items)}:
        raise Http404
    if request.method == "POST":
        messages.info(
            request, gettext("Your intake is already submitted. To change it, update your intake.")
        )
        return redirect("intake:step", step=step) if step else redirect("intake:home")
    _audit_view(request, response)
    return render(
        request,
        "intake/submitted.html",
        {"response": response, "sections": _summary(items, response.answers), "step": step},
    )


@role_required(Role.CLIENT)
def intake_step(request: HttpRequest, step: str) -> HttpResponse:
    draft = _current_draft(request)
    if draft is None:
        return _submitted_read_only(request, step)
    # Only the shown step and the step titles are read here: those are translated, not the whole form.
    items = parsed_items(draft.questionnaire)
    steps = ql.steps(items)
    index = next((i for i, s in enumerate(steps) if s.link_id == step), None)
    if index is None:
        raise Http404
    (group,) = translated_items([steps[index]])
    known = answers_known_for(signed_in_user(request), items)
    errors: dict[str, list[str]] = {}
    answers = {**draft.answers, **known}
    emergency = False
    follow_ups: set[str] = set()
    if request.method == "POST":
        before = answers
        posted, parse_errors = answers_from_post(group, request.POST)
        draft, errors = services.intake_save_answers(
            client=signed_in_user(request), answers=posted, step=step, request=request
        )
        errors = {**errors, **parse_errors}
        answers = {**draft.answers, **{k: v for k, v in posted.items() if v is not None}}
        going_back = "back" in request.POST
        if going_back and index > 0:
            return redirect("intake:step", step=steps[index - 1].link_id)
        # Without JavaScript the advice shows here, once, before the client moves on.
        emergency = emergency_on_step(
            items=items, answers=answers, step_ids=ql.step_link_ids(group)
        )
        follow_ups = _follow_ups(items, group, before, answers)
        errors = {k: v for k, v in errors.items() if k not in follow_ups}
        if emergency and "advice_seen" not in request.POST:
            errors = {}
        elif not errors and not follow_ups:
            if index + 1 < len(steps):
                return redirect("intake:step", step=steps[index + 1].link_id)
            return redirect("intake:check")
    else:
        _audit_view(request, draft)
    return render(
        request,
        "intake/step.html",
        {
            "group": group,
            "fields": build_fields(
                group.items,
                answers,
                errors,
                ql.enabled_link_ids(items, answers),
                omit=frozenset(known),
            ),
            "known_age": known.get(AGE_LINK_ID) if AGE_LINK_ID in ql.step_link_ids(group) else None,
            "steps": _steps_context(items, answers),
            "index": index,
            "number": index + 1,
            "total": len(steps),
            "is_last": index + 1 == len(steps),
            "errors": errors,
            "painmap_rows": painmap_rows(answers.get("pain_map")),
            "shapes": painmap.SHAPES,
            "regions": painmap.REGIONS,
            "intensity_range": range(11),
            "emergency": emergency_advice() if emergency else "",
            "follow_ups": follow_ups,
        },
    )


def _follow_ups(items: list[ql.Item], group: ql.Item, before: dict, after: dict) -> set[str]:
    """Questions of this step that the answers just saved brought up and that are unanswered.

    Without JavaScript a conditional question appears only once its condition holds on the
    server: the client is shown it as a follow-up, not told off for leaving it blank.
    """
    brought_up = ql.enabled_link_ids(items, after) - ql.enabled_link_ids(items, before)
    shown = {i.link_id for i in group.walk() if i.type not in ql.ANSWERLESS}
    return {k for k in brought_up & shown if not ql.has_answer(after.get(k))}


@require_POST
@role_required(Role.CLIENT)
def intake_step_advice(request: HttpRequest, step: str) -> HttpResponse:
    """htmx: as answers change on a step, the emergency advice they call for (else nothing).

    Reads the posted answers over the draft without saving them.
    """
    draft = _draft_or_404(request)
    items = parsed_items(draft.questionnaire)
    group = next((s for s in ql.steps(items) if s.link_id == step), None)
    if group is None:
        raise Http404
    posted, _parse_errors = answers_from_post(group, request.POST)
    merged = {**draft.answers, **posted}
    answers = {k: v for k, v in merged.items() if v is not None}
    emergency = emergency_on_step(items=items, answers=answers, step_ids=ql.step_link_ids(group))
    return render(
        request,
        "intake/_step_advice.html",
        {"emergency": emergency_advice() if emergency else ""},
    )


def _audit_view(request: HttpRequest, draft: IntakeResponse) -> None:
    audit_record(
        actor=signed_in_user(request),
        action=AuditAction.VIEW,
        target=draft,
        subject=signed_in_user(request),
        request=request,
    )


@role_required(Role.CLIENT)
def intake_check(request: HttpRequest) -> HttpResponse:
    draft = _current_draft(request)
    if draft is None:
        return _submitted_read_only(request)
    _audit_view(request, draft)
    items = translated_items(parsed_items(draft.questionnaire))
    answers = {**draft.answers, **answers_known_for(signed_in_user(request), items)}
    errors = ql.validate_answers(items, answers)
    return render(
        request,
        "intake/check.html",
        {
            "sections": _summary(items, answers),
            "errors": errors,
            "error_steps": _steps_with_errors(items, errors),
        },
    )


def _steps_with_errors(items: list[ql.Item], errors: dict[str, list[str]]) -> list[ql.Item]:
    return [s for s in ql.steps(items) if ql.step_link_ids(s) & set(errors)]


def _summary(items: list[ql.Item], answers: dict) -> list[dict]:
    """Question/answer pairs per step, labels instead of codes, for the check page and review."""
    effective = ql.effective_answers(items, answers)
    sections = []
    for step in ql.steps(items):
        rows = []
        for item in step.walk():
            if item.type in ql.ANSWERLESS or item.link_id not in effective:
                continue
            rows.append(
                {
                    "link_id": item.link_id,
                    "question": item.text,
                    "answer": display_answer(item, effective[item.link_id]),
                }
            )
        sections.append({"step": step, "rows": rows})
    return sections


def display_answer(item: ql.Item, value: object) -> str:
    if item.type == "pain-map" and isinstance(value, list):
        return "; ".join(_mark_text(m) for m in value if isinstance(m, dict))
    labels = {o.value: o.label for o in item.options}
    values = value if isinstance(value, list) else [value]
    if item.type in ("boolean", "consent"):
        return ", ".join(gettext("Yes") if v is True else gettext("No") for v in values)
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def _mark_text(mark: dict) -> str:
    text = painmap.region_label(str(mark.get("region")), mark.get("side"))
    if mark.get("intensity") is not None:
        text += f" {mark['intensity']}/10"
    if mark.get("scar"):
        text += " " + gettext("(scar)")
    if mark.get("radiates_to"):
        text += f" → {painmap.region_label(mark['radiates_to'])}"
    return text


@require_POST
@role_required(Role.CLIENT)
def intake_submit_view(request: HttpRequest) -> HttpResponse:
    try:
        services.intake_submit(client=signed_in_user(request), request=request)
    except ValidationFailed:
        messages.error(
            request, gettext("Some answers are missing or need a fix; they are marked below.")
        )
        return redirect("intake:check")
    except NotFound:
        return redirect("intake:home")
    messages.success(request, gettext("Thank you: your intake is submitted."))
    return redirect("intake:home")


@require_POST
@role_required(Role.CLIENT)
def intake_new_condition(request: HttpRequest) -> HttpResponse:
    services.intake_request_update(client=signed_in_user(request), request=request)
    draft = services.intake_start(client=signed_in_user(request), request=request)
    return redirect("intake:step", step=ql.steps(parsed_items(draft.questionnaire))[0].link_id)


@role_required(Role.CLIENT, Role.THERAPIST, Role.CLINIC_ADMIN)
def intake_fhir(request: HttpRequest, pk: int) -> JsonResponse:
    response = intake_get_for(
        signed_in_user(request),
        pk,
        request=request,
        action=AuditAction.EXPORT,
        detail="fhir export",
    )
    body = intake_fhir_resource(response)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def questionnaire_fhir(request: HttpRequest) -> JsonResponse:
    """The active intake form as a FHIR Questionnaire (no health data: public)."""
    questionnaire = active_questionnaire()
    body = fhir.questionnaire_resource(
        slug=questionnaire.slug,
        version=questionnaire.version,
        title=questionnaire.title,
        status=questionnaire.status,
        items=parsed_items(questionnaire),
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
