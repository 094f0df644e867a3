"""Factories for booking tests: a bookable therapist, a service, a location with rooms."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from booking.models import CANCELLED_STATUSES, Appointment, AppointmentStatus
from clinic.models import OpeningHours
from tests.factories import ClinicAdminFactory, LocationFactory, RoomFactory, TherapistUserFactory
from therapists.care import care_relationship_start
from therapists.models import (
    Condition,
    Credential,
    MFRTraining,
    Modality,
    Service,
    Shift,
    TherapistProfile,
)


def manual_mfr() -> Modality:
    # Seeded by a migration, but transaction=True tests flush it away.
    modality, _ = Modality.objects.get_or_create(
        slug="manual-mfr", defaults={"name": "Manual myofascial release", "is_mfr": True}
    )
    return modality


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"MFR session {n}")
    slug = factory.Sequence(lambda n: f"mfr-session-{n}")
    duration_minutes = 60
    price = Decimal("120.00")
    required_modality = factory.LazyFunction(lambda: manual_mfr())
    requires_cleared_intake = False

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)


class TherapistProfileFactory(factory.django.DjangoModelFactory):
    """A therapist who is bookable: verified MFR training, a valid licence, manual MFR."""

    class Meta:
        model = TherapistProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(TherapistUserFactory)
    display_name = factory.LazyAttribute(lambda o: f"{o.user.first_name} {o.user.last_name}")

    @factory.post_generation
    def bookable(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        admin = ClinicAdminFactory(email="verifier@example.test")
        MFRTraining.objects.create(
            therapist=self,
            course="MFR I",
            approach_or_provider="Barnes",
            completed_on=dt.date(2020, 1, 1),
            verified_by=admin,
            verified_at=timezone.now(),
        )
        Credential.objects.create(
            therapist=self,
            kind="LMT",
            licence_number=f"L-{self.pk}",
            jurisdiction="NY",
            expires_on=dt.date(2099, 1, 1),
        )
        self.modalities.add(manual_mfr())

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(Condition.objects.filter(slug__in=extracted))


def open_every_day(location, opens=dt.time(0, 0), closes=dt.time(23, 59)) -> None:
    for weekday in range(7):
        OpeningHours.objects.create(location=location, weekday=weekday, opens=opens, closes=closes)


def work_every_day(
    therapist, location, start=dt.time(9, 0), end=dt.time(17, 0), since=dt.date(2020, 1, 1)
) -> None:
    for weekday in range(7):
        Shift.objects.create(
            therapist=therapist,
            location=location,
            weekday=weekday,
            starts_at=start,
            ends_at=end,
            effective_from=since,
        )


def clinic_setup(
    *, therapists: int = 1, rooms: int = 2, time_zone: str = "America/New_York", **service_kw
):
    """A location open every day, rooms, an MFR service there and bookable therapists working 9-17."""
    location = LocationFactory(time_zone=time_zone)
    for _ in range(rooms):
        RoomFactory(location=location)
    open_every_day(location, dt.time(8, 0), dt.time(19, 0))
    service = ServiceFactory(locations=[location], **service_kw)
    team = []
    for _ in range(therapists):
        profile = TherapistProfileFactory(locations=[location])
        work_every_day(profile, location)
        team.append(profile)
    return location, service, team


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    status = AppointmentStatus.BOOKED
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + dt.timedelta(minutes=o.service.duration_minutes)
    )
    occupied_from = factory.SelfAttribute("starts_at")
    occupied_until = factory.SelfAttribute("ends_at")

    @factory.post_generation
    def care(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        # As booking does: an appointment that stands makes its therapist the client's.
        if create and self.status not in CANCELLED_STATUSES:
            care_relationship_start(therapist=self.therapist.user, client=self.client)


_past_sessions = itertools.count()


def past_session(client: Any, therapist: TherapistProfile, service: Any, location: Any) -> Any:
    """A completed session some weeks ago: the client is now one the therapist treats."""
    # Each one two hours earlier than the last: PostgreSQL refuses a therapist's overlaps.
    hours_back = 2 * next(_past_sessions)
    return AppointmentFactory(
        client=client,
        therapist=therapist,
        service=service,
        location=location,
        room=location.rooms.first(),
        status=AppointmentStatus.COMPLETED,
        starts_at=timezone.now() - dt.timedelta(days=60, hours=hours_back),
    )
