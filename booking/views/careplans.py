"""Care-plan pages: set a plan from a client's context, book the series, see progress.

Therapists set plans for their own clients (clinic admins for anyone); the client, front desk
or an admin books the whole series in one step; conflicting sessions come back with the nearest
alternatives to choose from. Everyone who may see a plan sees its progress; plans that have
fallen behind are flagged in the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from booking import careplans, selectors
from booking.forms import CarePlanForm
from booking.models import CarePlan, CarePlanStatus
from clinic.exceptions import ApplicationError
from clinic.models import ClinicPolicy, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
from therapists.care import client_ids_treated_by

PLANNERS = (Role.THERAPIST, Role.CLINIC_ADMIN)
BOOKERS = (Role.CLIENT, Role.FRONT_DESK, Role.CLINIC_ADMIN)
STAFF_LIST_LIMIT = 300


def _role(request: HttpRequest) -> str:
    return str(getattr(signed_in_user(request), "role", ""))


class FirstSessionForm(forms.Form):
    start = forms.ChoiceField(label=_("First session"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, slots: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [  # type: ignore[attr-defined]
            (row["value"], row["label"]) for row in slots
        ]
        self.fields["start"].error_messages["invalid_choice"] = _(
            "That time is no longer available. Please choose another one."
        )


def _plan_client(request: HttpRequest, client_id: int) -> Any:
    """The client a planner may set a plan for: a therapist only their own clients (else 404)."""
    client = get_user_model().objects.filter(role=Role.CLIENT, is_active=True, pk=client_id).first()
    if client is None:
        raise Http404
    selectors.ensure_may_act_for(signed_in_user(request), client)
    return client


def _rows(plans: Any) -> list[dict[str, Any]]:
    return [{"plan": p, "progress": careplans.care_plan_progress(p)} for p in plans]


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans the user may see with their progress; ``?behind=1`` keeps only those behind."""
    plans = selectors.care_plans_visible_to(signed_in_user(request)).order_by("-created_at", "-pk")
    if _role(request) != Role.CLIENT:
        plans = plans.filter(status=CarePlanStatus.ACTIVE)
    rows = _rows(
        selectors.care_plans_read(
            signed_in_user(request), plans[:STAFF_LIST_LIMIT], request=request
        )
    )
    only_behind = request.GET.get("behind") == "1"
    if only_behind:
        rows = [r for r in rows if r["progress"].behind]
    context: dict[str, Any] = {"rows": rows, "only_behind": only_behind, "my_clients": []}
    if _role(request) == Role.THERAPIST:
        context["my_clients"] = list(
            get_user_model()
            .objects.filter(id__in=client_ids_treated_by(signed_in_user(request)))
            .order_by("last_name", "first_name", "pk")
        )
    return render(request, "booking/careplans/list.html", context)


@role_required(*PLANNERS)
def plan_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """Set a plan from the client's context (their existing plans are shown alongside)."""
    client = _plan_client(request, client_id)
    own = getattr(signed_in_user(request), "therapist_profile", None)
    if _role(request) == Role.THERAPIST and own is None:
        raise Http404
    therapist = own if _role(request) == Role.THERAPIST else None
    form = CarePlanForm(request.POST or None, therapist=therapist)
    form.instance.client = client
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        if therapist is not None:
            fields["therapist"] = therapist
        try:
            plan = careplans.care_plan_create(
                actor=signed_in_user(request), client=client, **fields
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, gettext("Care plan set. The client can now book the series."))
            return redirect("booking:care-plan", pk=plan.pk)
    existing = _rows(selectors.care_plans_visible_to(signed_in_user(request)).filter(client=client))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "booking/careplans/new.html",
        {"form": form, "client": client, "existing": existing},
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.care_plan_read(signed_in_user(request), pk, request=request)
    return render(
        request,
        "booking/careplans/detail.html",
        {
            "plan": plan,
            "progress": careplans.care_plan_progress(plan),
            "sessions": careplans.care_plan_sessions(plan),
            "location": careplans.care_plan_location(plan),
            "may_book": _role(request) in BOOKERS and plan.status == CarePlanStatus.ACTIVE,
        },
    )


def _slot_choices(plan: CarePlan) -> list[dict[str, Any]]:
    location = careplans.care_plan_location(plan)
    if location is None:
        return []
    rows = []
    for slot in careplans.care_plan_first_slots(plan):
        local = slot.start.astimezone(location.zone)
        rows.append({"value": local.isoformat(), "label": date_format(local, "D d M, H:i")})
    return rows


def _bookable_plan(request: HttpRequest, pk: int) -> CarePlan:
    plan = selectors.care_plan_for(signed_in_user(request), pk)
    if plan.status != CarePlanStatus.ACTIVE:
        raise Http404
    return plan


def _render_result(
    request: HttpRequest, plan: CarePlan, result: careplans.SeriesResult
) -> HttpResponse:
    conflicts = [
        {
            **c,
            "requested_local": dt.datetime.fromisoformat(c["requested"]["start"]),
            "options": [
                {"value": a["start"], "local": dt.datetime.fromisoformat(a["start"])}
                for a in c["alternatives"]
            ],
        }
        for c in result.conflicts
    ]
    plan = selectors.care_plan_for(
        signed_in_user(request), plan.pk
    )  # fresh appointments for progress
    return render(
        request,
        "booking/careplans/result.html",
        {
            "plan": plan,
            "booked": result.booked,
            "conflicts": conflicts,
            "progress": careplans.care_plan_progress(plan),
        },
    )


@role_required(*BOOKERS)
def plan_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the whole series in one step from a chosen first session."""
    plan = _bookable_plan(request, pk)
    form = FirstSessionForm(request.POST or None, slots=_slot_choices(plan))
    if request.method == "POST" and form.is_valid():
        start = dt.datetime.fromisoformat(form.cleaned_data["start"])
        try:
            result = careplans.care_plan_book_series(
                plan=plan, first_start=start, actor=signed_in_user(request)
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            return _render_result(request, plan, result)
    return render(
        request,
        "booking/careplans/book.html",
        {"plan": plan, "form": form, "policy": ClinicPolicy.load()},
        status=400 if request.method == "POST" else 200,
    )


def _parse_choices(post: Any) -> dict[int, dt.datetime]:
    choices: dict[int, dt.datetime] = {}
    for key, value in post.items():
        if not key.startswith("session_") or not value:
            continue
        try:
            number, start = int(key.removeprefix("session_")), dt.datetime.fromisoformat(value)
        except ValueError:
            raise ApplicationError(gettext("Choose the times from the list.")) from None
        choices[number] = start
    return choices


@role_required(*BOOKERS)
@require_POST
def plan_book_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the alternatives chosen for conflicting sessions (others stay unbooked)."""
    plan = _bookable_plan(request, pk)
    try:
        choices = _parse_choices(request.POST)
        if not choices:
            messages.info(
                request, gettext("No times chosen; those sessions are still to be booked.")
            )
            return redirect("booking:care-plan", pk=plan.pk)
        result = careplans.care_plan_book_sessions(
            plan=plan, choices=choices, actor=signed_in_user(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("booking:care-plan", pk=plan.pk)
    return _render_result(request, plan, result)
