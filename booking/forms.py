"""Forms of the client booking flow and appointment changes."""

from __future__ import annotations

from django import forms

from therapists.models import Condition, Service, TherapistProfile


class ReasonForm(forms.Form):
    condition = forms.ModelChoiceField(
        queryset=Condition.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        label="What brings you in?",
        empty_label="I'm not sure / another reason",
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True, bookable_online=True),
        label="Service",
        empty_label=None,
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.bookable().order_by("display_name"),
        required=False,
        label="A particular therapist (optional)",
        empty_label="Any therapist",
    )


class SlotForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.filter(is_active=True))
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.all())
    start = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"])

    def clean_start(self):  # type: ignore[no-untyped-def]
        start = self.cleaned_data["start"]
        if start.tzinfo is None:
            raise forms.ValidationError("Choose a time from the list.")
        return start


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", max_length=300, required=False, widget=forms.TextInput
    )


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(
        input_formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"], widget=forms.HiddenInput
    )
