"""factory_boy factories for the clinic-wide models. Apps keep theirs in tests/<app>/factories.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from clinic.models import ClientProfile, Location, OpeningHours, Role, Room, User

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CLIENT
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(TEST_PASSWORD)


class ClientFactory(UserFactory):
    role = Role.CLIENT
    profile = factory.RelatedFactory(
        "tests.factories.ClientProfileFactory", factory_related_name="user"
    )


class ClientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProfile

    user = factory.SubFactory(UserFactory)
    date_of_birth = dt.date(1980, 5, 17)
    phone = factory.Sequence(lambda n: f"+1518555{n:04d}")


class TherapistUserFactory(UserFactory):
    role = Role.THERAPIST


class FrontDeskFactory(UserFactory):
    role = Role.FRONT_DESK


class ClinicAdminFactory(UserFactory):
    role = Role.CLINIC_ADMIN
    is_staff = True


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Location {n}")
    slug = factory.Sequence(lambda n: f"location-{n}")
    street = "1 Main Street"
    city = "Troy"
    region = "NY"
    postal_code = "12180"
    phone = "+15185550100"
    time_zone = "America/New_York"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    location = factory.SubFactory(LocationFactory)
    weekday = 0
    opens = dt.time(8, 0)
    closes = dt.time(19, 0)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
