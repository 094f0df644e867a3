"""The client's data rights from "My care": see and download everything held, ask for erasure;
and the clinic admin's list of erasure requests."""

from __future__ import annotations

import json

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
from workspace import erasure, record_export
from workspace.models import ErasureRequest


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand what is removed and what the clinic keeps, and I ask for erasure."),
        error_messages={"required": _("Tick the box to confirm the request.")},
    )


@role_required(Role.CLIENT)
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the clinic holds about the signed-in client, readable."""
    user = signed_in_user(request)
    record = record_export.client_record_read(
        user, user.pk, request=request, detail="data export: page"
    )
    notes = [(note, record_export.note_text(note)) for note in record.notes]
    return render(request, "workspace/my_data.html", {"record": record, "notes": notes})


@role_required(Role.CLIENT)
def my_data_fhir(request: HttpRequest) -> HttpResponse:
    """The same record as a FHIR R4 Bundle (JSON download)."""
    user = signed_in_user(request)
    record = record_export.client_record_read(
        user, user.pk, request=request, detail="data export: fhir"
    )
    body = json.dumps(record_export.client_record_fhir(record), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-record.fhir.json"'
    return response


@role_required(Role.CLIENT)
def erasure_request(request: HttpRequest) -> HttpResponse:
    """What erasure removes and keeps (and why); a confirmed POST files the request."""
    user = signed_in_user(request)
    statement, until = erasure.erasure_statement(user)
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure.erasure_request_create(client=user, request=request)
        messages.success(
            request, _("Your request is with the clinic. We will tell you when it is done.")
        )
        return redirect("workspace:erasure")
    open_request = ErasureRequest.objects.filter(client=user, completed_at__isnull=True).first()
    return render(
        request,
        "workspace/erasure.html",
        {"form": form, "statement": statement, "until": until, "open_request": open_request},
        status=400 if form.errors else 200,
    )


@role_required(Role.CLINIC_ADMIN)
def erasure_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workspace/erasure_requests.html",
        {"requests": erasure.erasure_requests_for_staff()[:200]},
    )


@require_POST
@role_required(Role.CLINIC_ADMIN)
def erasure_complete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        erasure.erasure_complete(erasure_id=pk, actor=request.user, request=request)
    except ApplicationError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: account, contact and marketing data removed."))
    return redirect("workspace:erasure-requests")
