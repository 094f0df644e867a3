"""Forms of the front-desk board. Times are entered in the location's local wall-clock time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from booking.availability import local_to_utc
from clinic.models import Role, User
from therapists.models import Service, TherapistProfile

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def clinicians() -> Any:
    return User.objects.filter(
        role__in=(Role.THERAPIST, Role.CLINIC_ADMIN), is_active=True
    ).order_by("first_name", "last_name")


class LocalTimeMixin:
    """Reads naive ``datetime-local`` values as wall-clock time in the board's location."""

    zone: ZoneInfo

    def local(self, name: str) -> dt.datetime | None:
        value = self.cleaned_data.get(name)  # type: ignore[attr-defined]
        if value is None:
            return None
        naive = value.replace(tzinfo=None)
        instant = local_to_utc(naive.date(), naive.time(), self.zone)
        if instant is None:
            self.add_error(name, "That time does not exist on this day (the clock moves forward).")  # type: ignore[attr-defined]
        return instant


class ClientSearchForm(forms.Form):
    q = forms.CharField(label="Find a client (name, phone or e-mail)", max_length=100)


class ClientCreateForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(label="E-mail address")
    phone = forms.CharField(max_length=30, required=False)


class BookForm(LocalTimeMixin, forms.Form):
    client = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.CLIENT, is_active=True), widget=forms.HiddenInput
    )
    service = forms.ModelChoiceField(queryset=Service.objects.filter(is_active=True))
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.active())
    start = forms.DateTimeField(label="Start (local time)", widget=LOCAL_INPUT)
    approved_by = forms.ModelChoiceField(
        queryset=clinicians(),
        required=False,
        label="Clinician who approved booking a clinical request (override)",
        help_text="Only if the client's intake makes this a request and a clinician approved it.",
    )

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "start" in data:
            data["start"] = self.local("start")
        return data


class RescheduleForm(LocalTimeMixin, forms.Form):
    start = forms.DateTimeField(label="New start (local time)", widget=LOCAL_INPUT)

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "start" in data:
            data["start"] = self.local("start")
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason for cancelling", max_length=300)
    late = forms.BooleanField(label="Record as a late cancellation", required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label="Reason for declining", max_length=300)


class ApproveForm(forms.Form):
    approved_by = forms.ModelChoiceField(queryset=clinicians(), label="Approved by clinician")


class RouteForm(forms.Form):
    clinician = forms.ModelChoiceField(queryset=clinicians(), label="Route to clinician")


class BlockForm(LocalTimeMixin, forms.Form):
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.active())
    starts_at = forms.DateTimeField(label="From (local time)", widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label="Until (local time)", widget=LOCAL_INPUT)
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_at", "ends_at"):
            if name in data:
                data[name] = self.local(name)
        return data
