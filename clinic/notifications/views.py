"""Web pages: the staff outbox, one-click unsubscribe and the day-3 check-in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from clinic.exceptions import ApplicationError
from clinic.models import NotificationChannel, Role
from clinic.notifications import checkin, selectors, services
from clinic.notifications.preferences import unsubscribe_token_read
from clinic.permissions import role_required

OUTBOX_ROLES = (Role.FRONT_DESK, Role.CLINIC_ADMIN)


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[(value, value.capitalize()) for value in selectors.OUTBOX_FILTERS],
    )


@role_required(*OUTBOX_ROLES)
def outbox(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    status = "all"
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or "all"
    page = Paginator(selectors.outbox_list(status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {"form": form, "page": page, "status": status},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*OUTBOX_ROLES)
def outbox_resend(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.notification_resend(notification_id=pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The message is queued again and goes out within a minute."))
    return redirect("notifications:outbox")


# The signed token is the credential (the link arrives by e-mail); mail clients POST here for
# RFC 8058 one-click unsubscribe without a CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, channel = unsubscribe_token_read(token)
    except signing.BadSignature:
        return render(request, "notifications/link_invalid.html", status=400)
    channel_label = NotificationChannel(channel).label
    if request.method == "POST":
        services.notifications_unsubscribe(user_id=user_id, channel=channel)
        return render(request, "notifications/unsubscribed.html", {"channel": channel_label})
    return render(request, "notifications/unsubscribe.html", {"channel": channel_label})


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


@csrf_exempt  # authenticated by the signed link; see unsubscribe
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
        return render(request, "notifications/checkin_thanks.html")
    return render(
        request,
        "notifications/checkin.html",
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
