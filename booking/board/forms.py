"""Forms of the front-desk board. Times are entered in the location's local wall-clock time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.availability import local_to_utc
from clinic.forms import phone_field_clean
from clinic.models import Role, User
from therapists.models import Service, TherapistProfile

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def clinicians() -> Any:
    return User.objects.filter(
        role__in=(Role.THERAPIST, Role.CLINIC_ADMIN), is_active=True
    ).order_by("first_name", "last_name")


class LocalTimeForm(forms.Form):
    """Reads its naive ``datetime-local`` fields as wall-clock time in the board's location.

    Each of ``local_fields`` is cleaned to an aware instant, or to None with a field error when
    that wall-clock time does not exist (the clocks go forward).
    """

    local_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def local(self, name: str) -> dt.datetime | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        naive = value.replace(tzinfo=None)
        instant = local_to_utc(naive.date(), naive.time(), self.zone)
        if instant is None:
            self.add_error(name, "That time does not exist on this day (the clock moves forward).")
        return instant

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.local_fields:
            if name in data:
                data[name] = self.local(name)
        return data


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a client (name, phone or e-mail)"), max_length=100)


class ClientCreateForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone", ""))


class BookForm(LocalTimeForm):
    local_fields = ("start",)

    client = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.CLIENT, is_active=True), widget=forms.HiddenInput
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True), label=_("Service")
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.active(), label=_("Therapist")
    )
    start = forms.DateTimeField(label=_("Start (local time)"), widget=LOCAL_INPUT)


class RescheduleForm(LocalTimeForm):
    local_fields = ("start",)

    start = forms.DateTimeField(label=_("New start (local time)"), widget=LOCAL_INPUT)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason for cancelling", max_length=300)
    late = forms.BooleanField(label="Record as a late cancellation", required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(label="Reason for declining", max_length=300)


class ApproveForm(forms.Form):
    approved_by = forms.ModelChoiceField(queryset=clinicians(), label="Approved by clinician")


class RouteForm(forms.Form):
    # Only a therapist can approve a request, so only a therapist can be asked to.
    clinician = forms.ModelChoiceField(
        queryset=clinicians().filter(role=Role.THERAPIST), label="Route to clinician"
    )


class BlockForm(LocalTimeForm):
    local_fields = ("starts_at", "ends_at")

    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.active(), label=_("Therapist")
    )
    starts_at = forms.DateTimeField(label=_("From (local time)"), widget=LOCAL_INPUT)
    ends_at = forms.DateTimeField(label=_("Until (local time)"), widget=LOCAL_INPUT)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)
