"""HTML forms of the therapists app; each view hands ``cleaned_data`` to one domain function."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, Role, User
from therapists.hours import SHIFT_FIELDS
from therapists.models import (
    Condition,
    Credential,
    Language,
    MFRTraining,
    Modality,
    Service,
    Shift,
    TherapistProfile,
    TimeOff,
)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# What a service says about itself: the staff form edits these, the API shows them.
SERVICE_FIELDS = (
    "name",
    "slug",
    "description",
    "kind",
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "price",
    "required_modality",
    "required_competency",
    "locations",
    "bookable_online",
    "requires_cleared_intake",
)
TIME_OFF_FIELDS = ("therapist", "starts_at", "ends_at", "kind", "reason")
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DirectoryFilterForm(forms.Form):
    """The public directory's filters; the API reads the same query parameters."""

    condition = forms.ModelChoiceField(
        queryset=Condition.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        label=_("Condition"),
        empty_label=_("Any condition"),
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        label=_("Location"),
        empty_label=_("Any location"),
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Language"),
        empty_label=_("Any language"),
    )
    modality = forms.ModelChoiceField(
        queryset=Modality.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Treatment"),
        empty_label=_("Any treatment"),
    )

    ERROR_HINTS = {
        "condition": _("No condition with that slug."),
        "location": _("No location with that id."),
        "language": _("No language with that code."),
        "modality": _("No modality with that slug."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, hint in self.ERROR_HINTS.items():
            self.fields[name].error_messages["invalid_choice"] = hint


def validate_photo_size(photo: Any) -> None:
    if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo must be 5 MB or smaller."))


class TherapistProfileForm(forms.ModelForm):
    class Meta:
        model = TherapistProfile
        fields: tuple[str, ...] = (
            "display_name",
            "pronouns",
            "gender",
            "photo",
            "bio",
            "languages",
            "locations",
            "modalities",
            "competencies",
            "conditions",
            "accepting_new_clients",
            "max_sessions_per_day",
            "is_active",
        )
        widgets = {
            name: forms.CheckboxSelectMultiple
            for name in ("languages", "locations", "modalities", "competencies", "conditions")
        }

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        validate_photo_size(photo)
        return photo


class TherapistProfileCreateForm(TherapistProfileForm):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Therapist's account"),
        help_text=_("A therapist account that has no profile yet."),
    )

    class Meta(TherapistProfileForm.Meta):
        fields = ("user", *TherapistProfileForm.Meta.fields)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = User.objects.filter(
            role=Role.THERAPIST, is_active=True, therapist_profile__isnull=True
        ).order_by("email")


class OwnProfileForm(forms.ModelForm):
    """What a therapist may change about themselves."""

    class Meta:
        model = TherapistProfile
        fields = ("pronouns", "bio", "photo", "languages")
        widgets = {"languages": forms.CheckboxSelectMultiple}

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        validate_photo_size(photo)
        return photo


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ("kind", "licence_number", "jurisdiction", "expires_on")
        widgets = {"expires_on": DATE}


class TrainingForm(forms.ModelForm):
    class Meta:
        model = MFRTraining
        fields = ("course", "approach_or_provider", "level", "completed_on")
        widgets = {"completed_on": DATE}


class TrainingVerifyForm(forms.Form):
    evidence = forms.CharField(
        label=_("What you checked"),
        max_length=300,
        help_text=_("For example: certificate no. 1234 seen."),
    )


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = (*SERVICE_FIELDS, "is_active", "sort_order")
        widgets = {"locations": forms.CheckboxSelectMultiple}


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = SHIFT_FIELDS
        widgets = {"starts_at": TIME, "ends_at": TIME, "effective_from": DATE, "effective_to": DATE}


class TimeOffForm(forms.ModelForm):
    class Meta:
        model = TimeOff
        fields = TIME_OFF_FIELDS
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}
        help_texts = {"starts_at": _("Local time at the location.")}


class ClosureForm(forms.Form):
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True), label=_("Location")
    )
    starts_on = forms.DateField(label=_("First day closed"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day closed"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day cannot be before the first.")
        return data
