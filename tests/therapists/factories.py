"""factory_boy factories for the therapists app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import ClinicAdminFactory, LocationFactory, TherapistUserFactory
from therapists.models import (
    Credential,
    Language,
    MFRTraining,
    Modality,
    Service,
    Shift,
    TherapistProfile,
    TimeOff,
)


class TherapistProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapistProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(TherapistUserFactory)
    display_name = factory.LazyAttribute(lambda o: f"{o.user.first_name} {o.user.last_name}")


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    therapist = factory.SubFactory(TherapistProfileFactory)
    kind = "PT"
    licence_number = factory.Sequence(lambda n: f"PT-{100000 + n}")
    jurisdiction = "NY"
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=365))


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MFRTraining

    therapist = factory.SubFactory(TherapistProfileFactory)
    course = factory.Sequence(lambda n: f"MFR course {n}")
    approach_or_provider = "John F. Barnes approach"
    level = "I"
    completed_on = dt.date(2024, 3, 1)

    class Params:
        verified = factory.Trait(
            verified_by=factory.SubFactory(ClinicAdminFactory),
            verified_at=factory.LazyFunction(timezone.now),
            evidence="certificate seen",
        )


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    duration_minutes = 60
    buffer_after_minutes = 15
    price = Decimal("120.00")


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    therapist = factory.SubFactory(TherapistProfileFactory)
    location = factory.SubFactory(LocationFactory)
    weekday = 1
    starts_at = dt.time(9)
    ends_at = dt.time(13)
    effective_from = dt.date(2026, 1, 5)


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    therapist = factory.SubFactory(TherapistProfileFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=2))
    kind = "vacation"
    reason = "Holiday"


def bookable_therapist(**kwargs: object) -> TherapistProfile:
    """An active therapist with a valid licence and one verified MFR training."""
    profile = TherapistProfileFactory(**kwargs)
    CredentialFactory(therapist=profile)
    TrainingFactory(therapist=profile, verified=True)
    return profile


def modality(slug: str) -> Modality:
    return Modality.objects.get(slug=slug)


def language(code: str) -> Language:
    return Language.objects.get(code=code)
