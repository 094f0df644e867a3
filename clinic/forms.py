"""HTML forms of the clinic app; they validate input and hand it to clinic.accounts/locations."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clinic.accounts import INVITABLE_ROLES, PROFILE_FIELDS, normalize_email
from clinic.backends import needs_verification
from clinic.locations import LOCATION_FIELDS, HoursSpan
from clinic.models import (
    AuditAction,
    AuditOutcome,
    ClientProfile,
    ClinicPolicy,
    Location,
    Room,
    User,
    Weekday,
)
from clinic.phones import phone_normalize


class DateInput(forms.DateInput):
    input_type = "date"


class LoginForm(AuthenticationForm):
    """E-mail and password; tells an unverified client to verify rather than 'wrong password'."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match an account."),
        "unverified": _(
            "Please confirm your e-mail address first: open the link we e-mailed you, "
            "or ask for a new one."
        ),
    }

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            user = User.objects.filter(email__iexact=email).first()
            if user is not None and needs_verification(user) and user.check_password(password):
                raise ValidationError(self.error_messages["unverified"], code="unverified")
        return super().clean()


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class TotpConfirmForm(OneTimeCodeForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=32,
        help_text=_("Enter the 6-digit code your authenticator app shows for this account."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second or ""

    def check_password_strength(self, user: User) -> None:
        password = self.cleaned_data.get("password2")
        if password and "password1" not in self.errors:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)


def phone_field_clean(raw: str) -> str:
    normalized = phone_normalize(raw)
    if normalized is None:
        raise ValidationError(
            _("Enter a phone number we can call, such as (518) 371-0420 or +44 20 7946 0958.")
        )
    return normalized


class RegistrationForm(PasswordPairMixin):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"), required=False, widget=DateInput
    )
    field_order = (
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "phone",
        "date_of_birth",
    )

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone", ""))

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("This e-mail address is already registered."))
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        probe = User(
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        self.check_password_strength(probe)
        return data


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ClientProfile
        fields = PROFILE_FIELDS
        widgets = {
            "date_of_birth": DateInput,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        channel = data.get("reminder_channel")
        if channel in ("sms", "both") and not data.get("phone"):
            self.add_error("phone", _("Text-message reminders need a phone number."))
        if channel in ("sms", "both") and not data.get("sms_opt_in"):
            self.add_error("sms_opt_in", _("Allow text messages to get reminders by SMS."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(role.value, role.label) for role in INVITABLE_ROLES]
    )


class InvitationAcceptForm(PasswordPairMixin):
    def __init__(self, *args: Any, invited: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invited = invited

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.invited is not None:
            self.check_password_strength(self.invited)
        return data


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = LOCATION_FIELDS
        widgets = {"time_zone": forms.TextInput(attrs={"list": "time-zones"})}
        help_texts = {"time_zone": _("An IANA time zone such as America/New_York.")}

    def clean_phone(self) -> str:
        return phone_field_clean(self.cleaned_data.get("phone", ""))

    @staticmethod
    def time_zone_names() -> list[str]:
        return sorted(zoneinfo.available_timezones())


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ("name", "notes", "is_active")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("Closing time must be after opening time."))
        return data


def hours_spans(formset: forms.BaseFormSet) -> list[HoursSpan]:
    """The opening spans a valid hours formset describes, leaving out rows marked for deletion."""
    return [
        HoursSpan(f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


HoursFormSet = forms.formset_factory(HoursForm, extra=2, can_delete=True)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ClinicPolicy
        fields = (
            "slot_step_minutes",
            "minimum_notice_hours",
            "booking_horizon_weeks",
            "cancellation_cutoff_hours",
            "cancellation_policy_text",
            "arrival_minutes_before",
            "visit_preparation_text",
            "intake_missing_alert_hours",
            "intake_validity_months",
            "outcome_every_n_sessions",
            "reminder_offsets_hours",
            "waitlist_hold_hours",
            "sms_quiet_start",
            "sms_quiet_end",
            "clinical_record_retention_years",
        )
        widgets = {
            "sms_quiet_start": forms.TimeInput(attrs={"type": "time"}),
            "sms_quiet_end": forms.TimeInput(attrs={"type": "time"}),
            "cancellation_policy_text": forms.Textarea(attrs={"rows": 4}),
            "visit_preparation_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added after the other fields: a form that leaves it out keeps the clinic's value.
        self.fields["arrival_minutes_before"].required = False

    def clean_arrival_minutes_before(self) -> int:
        value = self.cleaned_data.get("arrival_minutes_before")
        return self.instance.arrival_minutes_before if value is None else value

    def clean_reminder_offsets_hours(self) -> str:
        raw = self.cleaned_data["reminder_offsets_hours"]
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not parts or not all(part.isdigit() and 0 < int(part) <= 24 * 14 for part in parts):
            raise ValidationError(
                _("Enter whole numbers of hours between 1 and 336, separated by commas.")
            )
        return ",".join(str(n) for n in sorted({int(p) for p in parts}, reverse=True))


class AuditFilterForm(forms.Form):
    """Filters of the clinic admin's audit page: who, whom, what, when (all optional)."""

    who = forms.CharField(
        label=_("Who (e-mail or user id)"), required=False, max_length=254, strip=True
    )
    whom = forms.CharField(
        label=_("Whose record (client e-mail or id)"), required=False, max_length=254, strip=True
    )
    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Any action")), *AuditAction.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *AuditOutcome.choices]
    )
    day_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    day_to = forms.DateField(label=_("To (inclusive)"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day_from") and data.get("day_to") and data["day_from"] > data["day_to"]:
            self.add_error("day_to", _("The end is before the start."))
        return data
