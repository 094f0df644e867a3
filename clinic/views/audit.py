"""The clinic admin's audit page: who did what to whose record, and when; filtered, as CSV."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic import selectors
from clinic.audit import audit_record_trail_export
from clinic.csv_export import csv_writer
from clinic.forms import AuditFilterForm
from clinic.models import AuditEvent, Role
from clinic.permissions import role_required

EVENTS_PER_PAGE = 100
CSV_COLUMNS = (
    "at_utc", "event_id", "actor_id", "actor_email", "actor_role", "action", "object_type",
    "object_id", "subject_id", "outcome", "ip_address", "detail",
)  # fmt: skip


def _csv_row(event: AuditEvent) -> list[object]:
    return [
        event.at.astimezone(dt.UTC).isoformat(),
        str(event.event_id or ""),
        event.actor_id or "",
        event.actor_email,
        event.actor_role,
        event.action,
        event.object_type,
        event.object_id,
        event.subject_id or "",
        event.outcome,
        event.ip_address or "",
        event.detail,
    ]


def _csv(request: HttpRequest, events: list[AuditEvent]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    writer = csv_writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(event) for event in events)
    audit_record_trail_export(actor=request.user, count=len(events), request=request)
    return response


@role_required(Role.CLINIC_ADMIN)
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Filter the trail (who, whom, what, when); ``format=csv`` downloads what the filter shows."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "clinic/audit_trail.html", {"form": form, "page": []}, status=400)
    filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    events = selectors.audit_events_filtered(**filters)
    if request.GET.get("format") == "csv":
        return _csv(request, list(events))
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "clinic/audit_trail.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
