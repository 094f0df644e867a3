"""The clinic admin's reports page and its CSV download."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.reports import report_build, report_csv_rows
from clinic.audit import audit_record
from clinic.csv_export import csv_writer
from clinic.models import AuditAction, Location, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user

MAX_DAYS = 366


class ReportForm(forms.Form):
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True).order_by("name"),
        to_field_name="slug",
        label=_("Location"),
    )
    first_day = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first."))
        elif first and last and (last - first).days >= MAX_DAYS:
            self.add_error("last_day", _("Choose a period of at most a year."))
        return data


def _defaults() -> dict[str, object]:
    today = timezone.localdate()
    first = today.replace(day=1)
    location = Location.objects.filter(is_active=True).order_by("name").first()
    return {
        "location": location.slug if location else "",
        "first_day": first.isoformat(),
        "last_day": today.isoformat(),
    }


@role_required(Role.CLINIC_ADMIN)
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or _defaults())
    if not form.is_valid():
        return render(request, "booking/reports/reports.html", {"form": form}, status=400)
    data = form.cleaned_data
    report = report_build(
        location=data["location"], first_day=data["first_day"], last_day=data["last_day"]
    )
    if request.GET.get("format") == "csv":
        audit_record(
            actor=signed_in_user(request), action=AuditAction.EXPORT, target=data["location"],
            request=request, detail="report: csv (aggregates)",
        )  # fmt: skip
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"report-{data['location'].slug}-{data['first_day']}-{data['last_day']}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        csv_writer(response).writerows(report_csv_rows(report))
        return response
    query = request.GET.urlencode() or "&".join(f"{k}={v}" for k, v in _defaults().items())
    return render(
        request,
        "booking/reports/reports.html",
        {"form": form, "report": report, "csv_query": query},
    )
