"""Therapist review pages, and front desk's status-only list."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.exceptions import ApplicationError
from clinic.models import Role, User
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
from intake import painmap, services
from intake.findings import open_findings
from intake.forms import ReviewDecisionForm
from intake.gate import booking_gate_for, intake_statuses_for
from intake.models import ResponseStatus, ReviewDecision
from intake.questionnaire_items import parsed_items
from intake.questionnaire_texts import translated_items
from intake.selectors import (
    intake_get_for,
    latest_screening,
    open_alerts_of,
    readable_client_ids,
    review_queue_for,
    urgent_alerts_unacknowledged,
)
from intake.views.intake_form import _mark_text, _summary

SUMMARY_LINK_IDS = ("conditions", "conditions_other", "pain_now", "pain_best", "pain_worst")


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def review_queue(request: HttpRequest) -> HttpResponse:
    own = open_alerts_of(signed_in_user(request))
    return render(
        request,
        "intake/review_queue.html",
        {
            "responses": review_queue_for(signed_in_user(request)),
            "urgent_alerts": urgent_alerts_unacknowledged(),
            "own_alerts": own,
            "open_alerts": len(own),  # the viewer's own, linked to the list below
            "readable": readable_client_ids(signed_in_user(request), [a.client_id for a in own]),
        },
    )


@require_POST
@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.alert_acknowledge(user=request.user, alert_id=pk, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Acknowledged: the alert is yours to follow up."))
    return redirect("intake:review-queue")


def _confirm_decision(request: HttpRequest, decision: ReviewDecision) -> None:
    """Say what was saved and what it means for the client's online booking now."""
    gate = booking_gate_for(decision.client)
    messages.success(
        request,
        _("Decision saved: %(decision)s. Online booking for this client: %(gate)s.")
        % {"decision": decision.get_action_display(), "gate": gate.label},
    )


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReviewDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.review_decide(
                reviewer=signed_in_user(request),
                response_id=pk,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                areas=form.area_list(),
                request=request,
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            _confirm_decision(request, decision)
            return redirect("intake:review-detail", pk=pk)
    response = intake_get_for(signed_in_user(request), pk, request=request)
    items = translated_items(parsed_items(response.questionnaire))
    sections = _summary(items, response.answers)
    rows = {row["link_id"]: row for section in sections for row in section["rows"]}
    marks = [m for m in response.answers.get("pain_map") or [] if isinstance(m, dict)]
    return render(
        request,
        "intake/review_detail.html",
        {
            "response": response,
            "client": response.client,
            "screening": latest_screening(response),
            "open_findings": list(open_findings(response.client_id)),
            "decisions": response.decisions.select_related("reviewer"),
            "key_rows": [rows[k] for k in SUMMARY_LINK_IDS if k in rows],
            "marks": [_mark_text(m) for m in marks],
            "marked": {(m.get("region"), m.get("side")) for m in marks},
            "shapes": painmap.SHAPES,
            "wpi": [painmap.wpi_label(a) for a in sorted(painmap.wpi_areas(marks))],
            "sections": sections,
            "consents": response.client.consents.select_related("text").filter(
                withdrawn_at__isnull=True
            ),
            "gate": booking_gate_for(response.client),
            "is_current": response.status == ResponseStatus.SUBMITTED,
            "form": form,
        },
    )


STATUSES_PER_PAGE = 50


@role_required(Role.FRONT_DESK, Role.CLINIC_ADMIN)
def intake_statuses(request: HttpRequest) -> HttpResponse:
    """Front desk: each client's intake status, never answers; 50 clients a page."""
    clients = User.objects.filter(role=Role.CLIENT, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )
    page = Paginator(clients, STATUSES_PER_PAGE).get_page(request.GET.get("page"))
    statuses = intake_statuses_for([c.pk for c in page])
    return render(
        request,
        "intake/statuses.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "rows": [{"client": c, "status": statuses[c.pk]} for c in page],
        },
    )
