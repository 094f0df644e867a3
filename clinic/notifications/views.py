"""Web pages: the staff outbox and one-click unsubscribe."""

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
from clinic.notifications import selectors, services
from clinic.notifications.preferences import unsubscribe_token_read
from clinic.notifications.registry import message_kind_label
from clinic.permissions import role_required

OUTBOX_ROLES = (Role.FRONT_DESK, Role.CLINIC_ADMIN)
OUTBOX_FILTER_LABELS = {
    "pending": gettext_lazy("Pending"),
    "sent": gettext_lazy("Sent"),
    "failed": gettext_lazy("Failed"),
    "cancelled": gettext_lazy("Cancelled"),
    "all": gettext_lazy("All"),
}


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[(value, OUTBOX_FILTER_LABELS[value]) for value in selectors.OUTBOX_FILTERS],
    )


@role_required(*OUTBOX_ROLES)
def outbox(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    status = "all"
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or "all"
    page = Paginator(selectors.outbox_list(status=status), 50).get_page(request.GET.get("page"))
    for row in page:
        row.kind_label = message_kind_label(row.kind)  # type: ignore[attr-defined]
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
