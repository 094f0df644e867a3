"""Reads of therapist data, with related rows already loaded."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from therapists.models import Credential, MFRTraining, TherapistProfile


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
