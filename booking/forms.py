"""Forms of the client booking flow, appointment changes and care plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.models import AppointmentStatus, CarePlan
from clinic.models import Location
from therapists.models import Condition, Service, TherapistProfile

# The terms of a care plan, as a planner sets them on the page and through the API.
CARE_PLAN_FIELDS = (
    "therapist",
    "service",
    "sessions_per_week",
    "weeks",
    "reassessment_at_session",
    "starts_on",
)


class ReasonForm(forms.Form):
    condition = forms.ModelChoiceField(
        queryset=Condition.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        label=_("What brings you in?"),
        empty_label=_("I'm not sure / another reason"),
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True, bookable_online=True),
        label=_("Service"),
        empty_label=None,
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.bookable().order_by("display_name"),
        required=False,
        label=_("A particular therapist (optional)"),
        empty_label=_("Any therapist"),
    )


class CalendarForm(forms.Form):
    """The calendar's state, all in the query string: never a condition or other health data.

    An empty location means any location, an empty therapist anyone; ``month`` is the month
    shown (YYYY-MM), ``day`` the day whose times are listed, ``first`` jumps to the soonest
    day with an opening.
    """

    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True, bookable_online=True),
        label=_("Service"),
        empty_label=None,
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        label=_("Location"),
        empty_label=_("Any location"),
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.bookable(),
        required=False,
        label=_("Therapist"),
        empty_label=_("Anyone"),
    )
    month = forms.DateField(input_formats=["%Y-%m"], required=False, label=_("Month"))
    day = forms.DateField(input_formats=["%Y-%m-%d"], required=False, label=_("Day"))
    first = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service, location = data.get("service"), data.get("location")
        if service and location and not service.locations.filter(pk=location.pk).exists():
            self.add_error("location", _("This service is not offered at that location."))
        return data


class CalendarMonthForm(forms.Form):
    """The month shown and the day chosen on a calendar (rescheduling); bad values are ignored."""

    month = forms.DateField(input_formats=["%Y-%m"], required=False)
    day = forms.DateField(input_formats=["%Y-%m-%d"], required=False)


class SlotForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.filter(is_active=True))
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.all())
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"])
    # Only shown on the confirm page: booking finds the location from the therapist's shift.
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True), required=False
    )

    def clean_start(self) -> dt.datetime:
        start = self.cleaned_data["start"]
        if start.tzinfo is None:
            raise forms.ValidationError(_("Choose a time from the list."))
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        location, therapist = data.get("location"), data.get("therapist")
        if location and therapist and not therapist.locations.filter(pk=location.pk).exists():
            self.add_error("location", _("Choose a time from the list."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=300, required=False, widget=forms.TextInput
    )


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(
        input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"], widget=forms.HiddenInput
    )


class CarePlanForm(forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = CARE_PLAN_FIELDS
        labels = {
            "therapist": _("Therapist"),
            "service": _("Service"),
            "sessions_per_week": _("Sessions per week"),
            "weeks": _("For how many weeks"),
            "reassessment_at_session": _("Re-assess at session (optional)"),
            "starts_on": _("First week starts on"),
        }
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, therapist: TherapistProfile | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["therapist"].queryset = TherapistProfile.objects.bookable()  # type: ignore[attr-defined]
        if therapist is not None:
            # A therapist plans their own sessions; the field is fixed, not offered.
            del self.fields["therapist"]
            self.instance.therapist = therapist


class AppointmentFilterForm(forms.Form):
    """Filters and order of the staff appointment list; all optional, read from GET."""

    SORTS = (
        ("when", _("Time, earliest first")),
        ("-when", _("Time, latest first")),
        ("client", _("Client name")),
        ("therapist", _("Therapist")),
        ("status", _("Status")),
    )

    day_from = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.order_by("display_name"),
        required=False,
        label=_("Therapist"),
        empty_label=_("Any therapist"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AppointmentStatus.choices],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args: Any, choose_therapist: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not choose_therapist:
            # A therapist's list holds only their own clients: there is no one else to pick.
            del self.fields["therapist"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day_from") and data.get("day_to") and data["day_from"] > data["day_to"]:
            self.add_error("day_to", _("The last day is before the first day."))
        return data
