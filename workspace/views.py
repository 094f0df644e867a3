"""The therapist's workspace: day view, session notes with addenda, self-care plans, library."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clinic.exceptions import ApplicationError, NotFound
from clinic.models import Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from intake.painmap import SHAPES, region_label
from therapists.models import Modality
from workspace import checkin, notes, selfcare
from workspace.dayview import therapist_day
from workspace.models import Exercise, SessionNote

AREA_CHOICES = sorted(
    {(f"{s.region}:{s.side}", region_label(s.region, s.side)) for s in SHAPES},
    key=lambda c: c[1],
)


class SessionNoteForm(forms.Form):
    subjective = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Findings; mark the areas treated below.",
    )
    areas_treated = forms.MultipleChoiceField(
        choices=AREA_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    techniques = forms.ModelMultipleChoiceField(
        queryset=Modality.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    hold_minutes = forms.CharField(
        label="Hold durations (minutes)",
        required=False,
        help_text="Each sustained hold in minutes, separated by commas, e.g. 3, 5, 5.",
    )
    client_response = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    @classmethod
    def for_note(cls, note: SessionNote | None, data: Any = None) -> SessionNoteForm:
        if note is None:
            return cls(data)
        initial = {name: getattr(note, name) for name in notes.TEXT_FIELDS}
        initial["areas_treated"] = [f"{m['region']}:{m['side']}" for m in note.areas_treated]
        initial["techniques"] = list(note.techniques.all())
        initial["hold_minutes"] = ", ".join(str(m) for m in note.hold_minutes)
        return cls(data, initial=initial)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["areas_treated"] = [
            dict(zip(("region", "side"), key.split(":", 1), strict=True))
            for key in data["areas_treated"]
        ]
        return data


class AddendumForm(forms.Form):
    text = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 3}))


def _day_param(request: HttpRequest) -> dt.date:
    raw = request.GET.get("day", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@role_required(Role.THERAPIST)
def day_view(request: HttpRequest) -> HttpResponse:
    day = _day_param(request)
    view = therapist_day(signed_in_user(request), day=day, request=request)
    if view is None:
        raise Http404("Set up your therapist profile first.")
    return render(
        request,
        "workspace/day.html",
        {
            "view": view,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
        },
    )


def _apply_errors(form: forms.Form, error: ApplicationError) -> None:
    fields = error.extra.get("fields") or {}
    for name, problems in fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    if not fields:
        form.add_error(None, error.message)


def _note_context(request: HttpRequest, pk: int) -> notes.NoteContext:
    try:
        return notes.session_note_for(signed_in_user(request), pk, request=request)
    except NotFound:
        raise Http404 from None


def _render_note(
    request: HttpRequest, ctx: notes.NoteContext, form: Any, addendum_form: Any, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    note = ctx.note
    return render(
        request,
        "workspace/note.html",
        {
            "appointment": ctx.appointment,
            "note": note,
            "addenda": ctx.addenda,
            "form": form,
            "addendum_form": addendum_form,
            "may_write": notes.is_treating_therapist(user, ctx.appointment),
            "areas": [region_label(m["region"], m["side"]) for m in note.areas_treated]
            if note
            else [],
            "marked": {(m["region"], m["side"]) for m in note.areas_treated} if note else set(),
            "shapes": SHAPES,
        },
        status=status,
    )


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
def session_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the note (treating therapist, admin); the treating therapist saves and signs it."""
    ctx = _note_context(request, pk)
    user = signed_in_user(request)
    form = SessionNoteForm.for_note(ctx.note, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            note = notes.session_note_save(
                appointment=ctx.appointment, actor=user, request=request, **form.service_data()
            )
            if request.POST.get("action") == "sign":
                notes.session_note_sign(note=note, actor=user, request=request)
                messages.success(request, "Note signed. The session is marked completed.")
            else:
                messages.success(request, "Draft saved.")
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            return redirect("workspace:note", pk=pk)
    status = 400 if form.errors else 200
    return _render_note(request, ctx, form, AddendumForm(), status)


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
@require_POST
def addendum_add(request: HttpRequest, pk: int) -> HttpResponse:
    ctx = _note_context(request, pk)
    form = AddendumForm(request.POST)
    if ctx.note is not None and form.is_valid():
        try:
            notes.session_note_addendum_add(
                note=ctx.note,
                actor=signed_in_user(request),
                text=form.cleaned_data["text"],
                request=request,
            )
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Addendum added.")
            return redirect("workspace:note", pk=pk)
    elif ctx.note is None:
        form.add_error(None, "There is no signed note to amend yet.")
    return _render_note(request, ctx, SessionNoteForm.for_note(ctx.note), form, 400)


class PlanForm(forms.Form):
    exercises = forms.ModelMultipleChoiceField(
        queryset=Exercise.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one exercise."},
    )
    times_per_day = forms.IntegerField(min_value=1, max_value=6, initial=1)
    days_per_week = forms.IntegerField(min_value=1, max_value=7, initial=7)
    message = forms.CharField(
        label="Message to the client",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@role_required(Role.THERAPIST)
def selfcare_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the client of an appointment a self-care plan (the treating therapist only)."""
    ctx = _note_context(request, pk)
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
            _apply_errors(form, error)
        else:
            messages.success(
                request, "Self-care plan assigned; the client sees it in their portal."
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


class CheckinForm(forms.Form):
    """Each question is one click; a click answers one of them, so neither is required alone."""

    pain = forms.TypedChoiceField(
        label=gettext_lazy("Pain right now (0 = none, 10 = worst imaginable)"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[(score, str(score)) for score in range(11)],
        widget=forms.RadioSelect,
    )
    soreness = forms.TypedChoiceField(
        label=gettext_lazy("How sore are you since your session?"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=checkin.SORENESS_CHOICES,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not self.errors and cleaned.get("pain") is None and cleaned.get("soreness") is None:
            raise forms.ValidationError(_("Choose an answer."))
        return cleaned

    def answers(self) -> dict[str, int]:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


# The signed token is the credential (the link arrives by e-mail), so no CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def checkin_answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = checkin.checkin_link_read(token)
    except (signing.BadSignature, ApplicationError):
        return render(request, "notifications/link_invalid.html", status=400)
    form = CheckinForm(request.POST if request.method == "POST" else None)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            checkin.checkin_record(link=link, answers=form.answers(), request=request)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            saved, form = True, CheckinForm()
    answered = checkin.checkin_answered(link)
    if saved and answered >= checkin.QUESTIONS.keys():
        return render(request, "workspace/checkin_thanks.html")
    return render(
        request,
        "workspace/checkin.html",
        {
            "form": form,
            "saved": saved,
            "ask_pain": "pain" not in answered,
            "ask_soreness": "soreness" not in answered,
            "scores": range(11),
            "soreness_choices": checkin.SORENESS_CHOICES,
        },
        status=400 if form.errors else 200,
    )
