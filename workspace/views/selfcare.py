"""Self-care: assigning a plan after a session, and the exercise library."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from clinic.exceptions import ApplicationError
from clinic.models import Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
from workspace import notes, selfcare
from workspace.models import Exercise


class PlanForm(forms.Form):
    exercises = forms.ModelMultipleChoiceField(
        label=_("Exercises"),
        queryset=Exercise.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one exercise.")},
    )
    times_per_day = forms.IntegerField(label=_("Times a day"), min_value=1, max_value=6, initial=1)
    days_per_week = forms.IntegerField(label=_("Days a week"), min_value=1, max_value=7, initial=7)
    message = forms.CharField(
        label=_("Message to the client"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@role_required(Role.THERAPIST)
def selfcare_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the client of an appointment a self-care plan (the treating therapist only)."""
    ctx = notes.session_note_for(signed_in_user(request), pk, request=request)
    user = signed_in_user(request)
    if not notes.is_treating_therapist(user, ctx.appointment):
        raise Http404
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = [
            {
                "exercise": exercise,
                "times_per_day": data["times_per_day"],
                "days_per_week": data["days_per_week"],
            }
            for exercise in data["exercises"]
        ]
        try:
            selfcare.selfcare_plan_assign(
                appointment=ctx.appointment,
                actor=user,
                items=items,
                message=data["message"],
                request=request,
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request, _("Self-care plan assigned; the client sees it in their portal.")
            )
            return redirect("workspace:note", pk=pk)
    return render(
        request,
        "workspace/selfcare_assign.html",
        {
            "appointment": ctx.appointment,
            "form": form,
            "suggested": selfcare.exercises_list(
                region_slugs=[m["region"] for m in (ctx.note.areas_treated if ctx.note else [])]
            )[:5],
            "precautions": selfcare.general_precautions(),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def exercise_library(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workspace/exercises.html",
        {"exercises": selfcare.exercises_list(), "precautions": selfcare.general_precautions()},
    )
