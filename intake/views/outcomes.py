"""Outcome-measure pages: a client's own progress and answer form; a therapist's view of a client."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from clinic.exceptions import ApplicationError
from clinic.models import Role, User
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from intake import outcomes
from intake.instrument_texts import instrument_text
from intake.models import OutcomeSource
from intake.outcome_chart import chart_for


def _charts(series: list[outcomes.TrendSeries]) -> list[dict[str, Any]]:
    return [{"series": s, "chart": chart_for(s)} for s in series]


@role_required(Role.CLIENT)
def my_outcomes(request: HttpRequest) -> HttpResponse:
    client: User = signed_in_user(request)
    series = outcomes.outcome_trend_for(client, client.pk, request=request)
    return render(
        request,
        "intake/outcomes/trend.html",
        {
            "charts": _charts(series),
            "due": outcomes.outcomes_due_for(client),
            "subject": client,
            "own": True,
        },
    )


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def client_outcomes(request: HttpRequest, client_id: int) -> HttpResponse:
    series = outcomes.outcome_trend_for(signed_in_user(request), client_id, request=request)
    client = outcomes.outcome_client_for(signed_in_user(request), client_id)
    return render(
        request,
        "intake/outcomes/trend.html",
        {
            "charts": _charts(series),
            "due": outcomes.outcomes_due_for(client),
            "subject": client,
            "own": False,
        },
    )


def _fields(definition: Any, posted: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "name": f"answers.{item.id}",
            "value": posted.get(item.id, "") if posted else "",
            "errors": errors.get(f"answers.{item.id}", []),
            "choices": range(item.min, item.max + 1) if item.type == "integer" else (),
        }
        for item in definition.items
    ]


@role_required(Role.CLIENT)
def answer_outcome(request: HttpRequest, code: str) -> HttpResponse:
    """The client answers one measure; a bad answer shows against its item, nothing is lost."""
    try:
        instrument = outcomes.instrument_current(code)
    except ApplicationError:
        raise Http404 from None
    client: User = signed_in_user(request)
    posted: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {item.id: request.POST.get(item.id, "") for item in instrument.parsed.items}
        due = {d.code: d.reason for d in outcomes.outcomes_due_for(client)}
        source = OutcomeSource.INTAKE if due.get(code) == "intake" else OutcomeSource.FOLLOW_UP
        try:
            outcomes.outcome_record(
                actor=client, client=client, instrument_code=code,
                answers=posted, source=source, request=request,
            )  # fmt: skip
        except ApplicationError as error:
            errors = error.extra.get("fields", {}) or {"": [error.message]}
        else:
            name = instrument_text(instrument.name, instrument)
            messages.success(
                request,
                gettext("Thank you: your %(measure)s answers are saved.") % {"measure": name},
            )
            return redirect("intake:my-outcomes")
    return render(
        request,
        "intake/outcomes/answer.html",
        {
            "instrument": instrument,
            "fields": _fields(instrument.parsed, posted, errors),
            "form_errors": errors.get("", []),
        },
        status=400 if errors else 200,
    )
