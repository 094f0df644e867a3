"""Session notes: read (audited), write and sign, and addenda to a signed note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from clinic.exceptions import ApplicationError
from clinic.models import Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
from intake.painmap import SHAPES, region_label
from therapists.models import Modality
from workspace import notes
from workspace.models import SessionNote

AREA_CHOICES = sorted(
    {(f"{s.region}:{s.side}", region_label(s.region, s.side)) for s in SHAPES},
    key=lambda c: c[1],
)


class SessionNoteForm(forms.Form):
    subjective = forms.CharField(
        label=_("What the client reports (subjective)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    objective = forms.CharField(
        label=_("What you found (objective)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Findings; mark the areas treated below."),
    )
    areas_treated = forms.MultipleChoiceField(
        label=_("Areas treated"),
        choices=AREA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    techniques = forms.ModelMultipleChoiceField(
        label=_("Techniques used"),
        queryset=Modality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hold_minutes = forms.CharField(
        label=_("Hold durations (minutes)"),
        required=False,
        help_text=_("Each sustained hold in minutes, separated by commas, e.g. 3, 5, 5."),
    )
    client_response = forms.CharField(
        label=_("How the client responded"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    plan = forms.CharField(
        label=_("Plan for the next sessions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

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
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}))


def _note_context(request: HttpRequest, pk: int) -> notes.NoteContext:
    return notes.session_note_for(signed_in_user(request), pk, request=request)


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
                messages.success(request, _("Note signed. The session is marked completed."))
            else:
                messages.success(request, _("Draft saved."))
        except ApplicationError as error:
            form_add_domain_error(form, error)
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
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Addendum added."))
            return redirect("workspace:note", pk=pk)
    elif ctx.note is None:
        form.add_error(None, _("There is no signed note to amend yet."))
    return _render_note(request, ctx, SessionNoteForm.for_note(ctx.note), form, 400)
