"""Input and output shapes of the booking API (kept separate, per house style)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import serializers

from booking.availability_selectors import catalog
from booking.careplans import care_plan_progress
from booking.forms import CARE_PLAN_FIELDS
from booking.models import Appointment, CarePlan, WaitlistEntry, WaitlistOffer
from clinic.api.fields import PrimaryKeyField, StrictModelSerializer, WholeNumberField, whole_number
from clinic.models import ClinicPolicy, Location, Role, User
from therapists.models import Service, TherapistProfile

MAX_WINDOW_DAYS = 62


def local_iso(value: dt.datetime, location: Location) -> str:
    return value.astimezone(location.zone).isoformat()


def _max_window_message() -> str:
    return _("Ask for at most %(days)s days at a time.") % {"days": MAX_WINDOW_DAYS}


class CatalogField(PrimaryKeyField):
    """A primary key looked up in the cached catalog (booking.availability_selectors); an id
    not there is looked up in the database as usual (and refused if it is not there either)."""

    def __init__(self, part: str, **kwargs: Any) -> None:
        self.part = part
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        pk = whole_number(self, data)
        found = getattr(catalog(), self.part).get(pk)
        if found is not None:
            return copy.copy(found)  # the cached instance stays as it was loaded
        return super().to_internal_value(data)


def _check_offered(service: Service, location: Location) -> None:
    """A 400 unless the service is offered at the location (the cached catalog first)."""
    if (service.pk, location.pk) in catalog().offered:
        return
    if not service.locations.filter(pk=location.pk).exists():
        raise serializers.ValidationError(
            {"service": [_("This service is not offered at that location.")]}
        )


class AvailabilityQuerySerializer(serializers.Serializer):
    service = CatalogField("services", queryset=Service.objects.filter(is_active=True))
    location = CatalogField("locations", queryset=Location.objects.filter(is_active=True))
    # "from" is a Python keyword; the field is renamed in to_internal_value.
    from_ = serializers.DateField(input_formats=["%Y-%m-%d"])
    to = serializers.DateField(input_formats=["%Y-%m-%d"])
    therapist = CatalogField("therapists", queryset=TherapistProfile.objects.all(), required=False)

    def to_internal_value(self, data: Any) -> Any:
        data = {key: data.get(key) for key in ("service", "location", "from", "to", "therapist")}
        data = {key: value for key, value in data.items() if value not in (None, "")}
        if "from" in data:
            data["from_"] = data.pop("from")
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and "from_" in detail:
                detail["from"] = detail.pop("from_")
            raise serializers.ValidationError(detail) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        self._within_horizon(attrs["from_"], attrs["to"], attrs["location"])
        if attrs["to"] < attrs["from_"]:
            raise serializers.ValidationError({"to": [_("Must be on or after 'from'.")]})
        if (attrs["to"] - attrs["from_"]).days >= MAX_WINDOW_DAYS:
            raise serializers.ValidationError({"to": [_max_window_message()]})
        _check_offered(attrs["service"], attrs["location"])
        return attrs

    @staticmethod
    def _within_horizon(
        first: dt.date, last: dt.date, location: Location, names: tuple[str, str] = ("from", "to")
    ) -> None:
        """Dates from yesterday (a zone behind) to the end of the booking horizon; else a 400.

        Also keeps far dates (9999-12-31, 0001-01-01) away from date arithmetic.
        """
        today = timezone.localdate(timezone=location.zone)
        weeks = ClinicPolicy.load().booking_horizon_weeks
        earliest, latest = today - dt.timedelta(days=1), today + dt.timedelta(weeks=weeks)
        message = ngettext(
            "Choose dates from %(first)s to %(last)s: bookings open %(weeks)d week ahead.",
            "Choose dates from %(first)s to %(last)s: bookings open %(weeks)d weeks ahead.",
            weeks,
        ) % {"first": earliest.isoformat(), "last": latest.isoformat(), "weeks": weeks}
        errors = {
            name: [message]
            for name, day in zip(names, (first, last), strict=True)
            if not earliest <= day <= latest
        }
        if errors:
            raise serializers.ValidationError(errors)


class AvailabilityDaysQuerySerializer(serializers.Serializer):
    """Which days have openings: the booking calendar's question, for a range of local days."""

    service = CatalogField("services", queryset=Service.objects.filter(is_active=True))
    location = CatalogField("locations", queryset=Location.objects.filter(is_active=True))
    therapist = CatalogField(
        "therapists",
        queryset=TherapistProfile.objects.all(),
        required=False,
        help_text="Only this therapist's openings; without it, anyone's.",
    )
    start = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="First local day.")
    end = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="Last local day.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        AvailabilityQuerySerializer._within_horizon(
            attrs["start"], attrs["end"], attrs["location"], ("start", "end")
        )
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("Must be on or after 'start'.")]})
        if (attrs["end"] - attrs["start"]).days >= MAX_WINDOW_DAYS:
            raise serializers.ValidationError({"end": [_max_window_message()]})
        _check_offered(attrs["service"], attrs["location"])
        return attrs


class OpeningDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    openings = WholeNumberField(help_text="Distinct start times that can be booked that day.")
    first_start = serializers.CharField(help_text="The day's first opening, local ISO 8601.")


class AvailabilityDaysResponseSerializer(serializers.Serializer):
    days = OpeningDaySerializer(many=True)


class SlotSerializer(serializers.Serializer):
    therapist = WholeNumberField()
    start = serializers.CharField()
    end = serializers.CharField()


class AvailabilityResponseSerializer(serializers.Serializer):
    slots = SlotSerializer(many=True)


class AppointmentCreateSerializer(serializers.Serializer):
    service = PrimaryKeyField(queryset=Service.objects.filter(is_active=True))
    therapist = PrimaryKeyField(queryset=TherapistProfile.objects.all())
    start = serializers.DateTimeField()
    client = PrimaryKeyField(
        queryset=User.objects.filter(role=Role.CLIENT, is_active=True),
        required=False,
        help_text="Staff only: the client to book for.",
    )
    location = PrimaryKeyField(
        queryset=Location.objects.filter(is_active=True),
        required=False,
        help_text="Book at this location; refusals then offer alternatives there.",
    )

    def validate_start(self, value: dt.datetime) -> dt.datetime:
        raw = self.initial_data.get("start", "")
        try:
            parsed = dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            raise serializers.ValidationError(
                _("Give the time with a UTC offset, e.g. 2026-06-03T10:00:00-04:00.")
            )
        return value


class RescheduleSerializer(serializers.Serializer):
    start = serializers.DateTimeField()

    validate_start = AppointmentCreateSerializer.validate_start


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    late = serializers.BooleanField(required=False, allow_null=True, default=None)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AppointmentSerializer(StrictModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    therapist_name = serializers.CharField(source="therapist.display_name", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)
    intake_due = serializers.BooleanField(source="booked_with_intake_due", read_only=True)

    class Meta:
        model = Appointment
        fields = (
            "id",
            "status",
            "start",
            "end",
            "therapist",
            "service",
            "location",
            "room",
            "therapist_name",
            "service_name",
            "location_name",
            "intake_due",
            "client",
            "care_plan",
            "plan_session_number",
            "cancellation_reason",
        )
        read_only_fields = fields

    def get_start(self, obj: Appointment) -> str:
        return local_iso(obj.starts_at, obj.location)

    def get_end(self, obj: Appointment) -> str:
        return local_iso(obj.ends_at, obj.location)


class MatchSlotSerializer(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()
    location = WholeNumberField()
    location_name = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    therapist = WholeNumberField()
    name = serializers.CharField()
    score = WholeNumberField()
    reasons = serializers.ListField(child=serializers.CharField())
    next_slots = MatchSlotSerializer(many=True)


class MatchQuerySerializer(serializers.Serializer):
    service = PrimaryKeyField(queryset=Service.objects.filter(is_active=True))
    location = PrimaryKeyField(queryset=Location.objects.filter(is_active=True), required=False)


class CarePlanCreateSerializer(StrictModelSerializer):
    class Meta:
        model = CarePlan
        fields = ("client", *CARE_PLAN_FIELDS)
        extra_kwargs = {"therapist": {"required": False}}


class CarePlanSerializer(StrictModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = CarePlan
        fields = ("id", "client", *CARE_PLAN_FIELDS, "status", "progress")
        read_only_fields = fields

    def get_progress(self, obj: CarePlan) -> dict[str, Any]:
        return care_plan_progress(obj).as_dict()


class CarePlanBookSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="The first session; later ones follow the plan.")


class WaitlistJoinSerializer(StrictModelSerializer):
    windows = serializers.JSONField(required=False)

    class Meta:
        model = WaitlistEntry
        fields = ("service", "therapist", "location", "windows")


class WaitlistEntrySerializer(StrictModelSerializer):
    class Meta:
        model = WaitlistEntry
        fields = (
            "id",
            "client",
            "service",
            "therapist",
            "location",
            "windows",
            "status",
            "created_at",
        )
        read_only_fields = fields


class WaitlistOfferSerializer(StrictModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()

    class Meta:
        model = WaitlistOffer
        fields = ("id", "entry", "therapist", "location", "start", "end", "expires_at", "status")
        read_only_fields = fields

    def get_start(self, obj: WaitlistOffer) -> str:
        return local_iso(obj.starts_at, obj.location)

    def get_end(self, obj: WaitlistOffer) -> str:
        return local_iso(obj.ends_at, obj.location)
