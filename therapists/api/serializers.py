"""API serializers: query-parameter and input serializers kept apart from output ones."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.api.fields import PrimaryKeyField, StrictModelSerializer, WholeNumberField
from clinic.models import Location, OpeningHours
from therapists.forms import SERVICE_FIELDS, TIME_OFF_FIELDS
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
    TimeOffKind,
)

# --- query parameters -------------------------------------------------------------------------


class TherapistFilterSerializer(serializers.Serializer):
    condition = serializers.SlugRelatedField(
        slug_field="slug", queryset=Condition.objects.filter(is_active=True), required=False
    )
    location = PrimaryKeyField(queryset=Location.objects.filter(is_active=True), required=False)
    language = serializers.SlugRelatedField(
        slug_field="code", queryset=Language.objects.all(), required=False
    )
    modality = serializers.SlugRelatedField(
        slug_field="slug", queryset=Modality.objects.all(), required=False
    )


class ShiftFilterSerializer(serializers.Serializer):
    therapist = PrimaryKeyField(queryset=TherapistProfile.objects.all(), required=False)


# --- output -------------------------------------------------------------------------------------


class NamedSlugSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class LanguageSerializer(StrictModelSerializer):
    class Meta:
        model = Language
        fields = ("code", "name")


class LocationBriefSerializer(StrictModelSerializer):
    class Meta:
        model = Location
        fields = ("id", "name")


class TherapistListSerializer(StrictModelSerializer):
    photo_url = serializers.SerializerMethodField()
    languages = LanguageSerializer(many=True)
    locations = LocationBriefSerializer(many=True)
    modalities = NamedSlugSerializer(many=True)
    conditions = NamedSlugSerializer(many=True)
    trained_in_mfr = serializers.BooleanField(source="is_trained_in_mfr")
    bookable = serializers.BooleanField(source="is_bookable")

    class Meta:
        model = TherapistProfile
        fields: tuple[str, ...] = (
            "id",
            "display_name",
            "pronouns",
            "gender",
            "photo_url",
            "languages",
            "locations",
            "modalities",
            "conditions",
            "accepting_new_clients",
            "trained_in_mfr",
            "bookable",
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, obj: TherapistProfile) -> str | None:
        if not obj.photo:
            return None
        request = self.context.get("request")
        url = obj.photo.url
        return request.build_absolute_uri(url) if request else url


class PublicCredentialSerializer(StrictModelSerializer):
    licence_number = serializers.CharField(source="masked_licence_number")
    expired = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = ("kind", "jurisdiction", "licence_number", "expires_on", "expired")

    def get_expired(self, obj: Credential) -> bool:
        return obj.is_expired()


class VerifiedTrainingSerializer(StrictModelSerializer):
    class Meta:
        model = MFRTraining
        fields = ("course", "approach_or_provider", "level", "completed_on", "verified_at")


class TherapistDetailSerializer(TherapistListSerializer):
    competencies = NamedSlugSerializer(many=True)
    credentials = PublicCredentialSerializer(many=True)
    verified_trainings = VerifiedTrainingSerializer(many=True)

    class Meta(TherapistListSerializer.Meta):
        fields = (
            *TherapistListSerializer.Meta.fields,
            "bio",
            "competencies",
            "credentials",
            "verified_trainings",
            "max_sessions_per_day",
        )


class ServiceSerializer(StrictModelSerializer):
    required_modality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    required_competency: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    locations: serializers.PrimaryKeyRelatedField = PrimaryKeyField(many=True, read_only=True)

    class Meta:
        model = Service
        fields = ("id", *SERVICE_FIELDS)


class OpeningHoursSerializer(StrictModelSerializer):
    class Meta:
        model = OpeningHours
        fields = ("weekday", "opens", "closes")


class LocationSerializer(StrictModelSerializer):
    rooms_count = WholeNumberField()
    opening_hours = OpeningHoursSerializer(many=True)

    class Meta:
        model = Location
        fields = (
            "id",
            "name",
            "slug",
            "address",
            "city",
            "region",
            "postal_code",
            "country",
            "phone",
            "time_zone",
            "rooms_count",
            "opening_hours",
        )


class ShiftSerializer(StrictModelSerializer):
    class Meta:
        model = Shift
        fields = ("id", "therapist", *SHIFT_FIELDS)


class TimeOffSerializer(StrictModelSerializer):
    class Meta:
        model = TimeOff
        fields = ("id", *TIME_OFF_FIELDS)


# --- input ---------------------------------------------------------------------------------------


class ShiftInputSerializer(serializers.Serializer):
    therapist = PrimaryKeyField(queryset=TherapistProfile.objects.all())
    location = PrimaryKeyField(queryset=Location.objects.filter(is_active=True))
    weekday = WholeNumberField(min_value=0, max_value=6, help_text="0 = Monday")
    starts_at = serializers.TimeField(help_text="Local time at the location, HH:MM.")
    ends_at = serializers.TimeField(help_text="Local time at the location, HH:MM.")
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("starts_at"), attrs.get("ends_at")
        if start and end and end <= start:
            raise serializers.ValidationError({"ends_at": ["A shift must end after it starts."]})
        first, last = attrs.get("effective_from"), attrs.get("effective_to")
        if first and last and last < first:
            raise serializers.ValidationError(
                {"effective_to": ["The last day cannot be before the first."]}
            )
        return attrs


class TimeOffInputSerializer(serializers.Serializer):
    therapist = PrimaryKeyField(queryset=TherapistProfile.objects.all())
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with an offset; stored in UTC.")
    ends_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=TimeOffKind.choices)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("starts_at"), attrs.get("ends_at")
        if start and end and end <= start:
            raise serializers.ValidationError({"ends_at": ["The end must be after the start."]})
        return attrs
