"""Reads of therapist data, with related rows already loaded."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clinic.models import STAFF_ROLES, Location, User
from clinic.permissions import user_has_role
from therapists.models import (
    Closure,
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


def therapist_is_bookable(profile: TherapistProfile, *, on: dt.date | None = None) -> bool:
    """True when the therapist is active, trained in MFR (verified) and licensed on ``on``."""
    return TherapistProfile.objects.bookable(on=on).filter(pk=profile.pk).exists()


def credentials_expiring(
    *, within_days: int = 30, today: dt.date | None = None
) -> QuerySet[Credential]:
    """Credentials already expired or expiring within ``within_days`` of today, soonest first.

    A credential that expired long ago but was renewed by a newer one still appears: the admin
    removes or updates the old row.
    """
    day = today or timezone.localdate()
    return (
        Credential.objects.filter(expires_on__lte=day + dt.timedelta(days=within_days))
        .select_related("therapist", "therapist__user")
        .order_by("expires_on", "therapist__display_name")
    )


def verified_trainings_prefetch() -> Prefetch:
    return Prefetch(
        "trainings",
        queryset=MFRTraining.objects.filter(verified_at__isnull=False).order_by("-completed_on"),
        to_attr="verified_trainings",
    )


def therapist_directory(
    *,
    condition: Condition | None = None,
    location: Location | None = None,
    language: Language | None = None,
    modality: Modality | None = None,
    on: dt.date | None = None,
) -> QuerySet[TherapistProfile]:
    """Active therapists matching every given filter, with flags and listed relations loaded.

    Filtering on an MFR modality lists only therapists with verified MFR training, whatever
    their profile claims.
    """
    therapists = (
        TherapistProfile.objects.active()
        .with_flags(on=on)
        .prefetch_related("languages", "locations", "modalities", "conditions")
    )
    if condition is not None:
        therapists = therapists.filter(conditions=condition)
    if location is not None:
        therapists = therapists.filter(locations=location)
    if language is not None:
        therapists = therapists.filter(languages=language)
    if modality is not None:
        therapists = therapists.filter(modalities=modality)
        if modality.is_mfr:
            therapists = therapists.filter(is_trained_in_mfr=True)  # type: ignore[misc]
    return therapists


def therapist_public_get(pk: int, *, on: dt.date | None = None) -> TherapistProfile:
    """One active therapist with everything the public profile shows; 404 otherwise."""
    queryset = (
        TherapistProfile.objects.active()
        .with_flags(on=on)
        .prefetch_related(
            "languages",
            "locations",
            "modalities",
            "competencies",
            "conditions",
            Prefetch("credentials", queryset=Credential.objects.order_by("kind", "-expires_on")),
            verified_trainings_prefetch(),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def therapists_for_admin(*, on: dt.date | None = None) -> QuerySet[TherapistProfile]:
    """Every therapist, active or not, with bookability flags, for the staff list."""
    return (
        TherapistProfile.objects.with_flags(on=on)
        .select_related("user")
        .prefetch_related("locations")
        .order_by("-is_active", "display_name")
    )


def therapist_admin_get(pk: int) -> TherapistProfile:
    queryset = (
        TherapistProfile.objects.with_flags()
        .select_related("user")
        .prefetch_related(
            "languages",
            "locations",
            "modalities",
            "competencies",
            "conditions",
            "credentials",
            Prefetch("trainings", queryset=MFRTraining.objects.select_related("verified_by")),
            Prefetch("shifts", queryset=Shift.objects.select_related("location")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def services_visible_to(user: User) -> QuerySet[Service]:
    """Active services; clients and visitors only see those bookable online."""
    services = (
        Service.objects.filter(is_active=True)
        .select_related("required_modality", "required_competency")
        .prefetch_related("locations")
    )
    if not user_has_role(user, STAFF_ROLES):
        services = services.filter(bookable_online=True)
    return services


def locations_public() -> QuerySet[Location]:
    """Active locations with their room count and opening hours."""
    return (
        Location.objects.filter(is_active=True)
        .annotate(rooms_count=Count("rooms", filter=Q(rooms__is_active=True)))
        .prefetch_related("opening_hours")
    )


def time_off_upcoming(*, since: dt.datetime | None = None) -> QuerySet[TimeOff]:
    """Time off that has not ended yet, soonest first."""
    return TimeOff.objects.filter(ends_at__gt=since or timezone.now()).select_related("therapist")


def closures_upcoming(*, since: dt.datetime | None = None) -> QuerySet[Closure]:
    return Closure.objects.filter(ends_at__gt=since or timezone.now()).select_related("location")
