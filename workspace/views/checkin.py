"""The day-3 check-in page, answered from the signed link in the e-mail."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from clinic.exceptions import ApplicationError
from clinic.views.errors import form_add_domain_error
from workspace import checkin


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
            form_add_domain_error(form, error)
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
