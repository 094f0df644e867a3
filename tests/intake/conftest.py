from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from clinic.models import ClientProfile
from intake import services
from intake.demo import scenario_answers
from intake.models import IntakeResponse


@pytest.fixture
def submit_intake(db: None):
    """Fill in and submit an intake for ``client`` from a demo scenario plus overrides."""

    def submit(client: Any, scenario: str = "clear", **overrides: Any) -> IntakeResponse:
        if "age" in overrides:
            # The profile's date of birth answers the age question: make it say this age.
            born = dt.date(timezone.localdate().year - int(overrides["age"]), 1, 1)
            ClientProfile.objects.filter(user=client).update(date_of_birth=born)
        services.intake_start(client=client)
        answers = scenario_answers(scenario, **overrides)
        answers = {k: v for k, v in answers.items() if v is not None}
        services.intake_save_answers(client=client, answers=answers)
        return services.intake_submit(client=client)

    return submit


@pytest.fixture
def treats(db: None):
    """Give ``therapist`` (a User) an upcoming appointment with ``client``: their client now."""
    made: list[Any] = []

    def make(therapist: Any, client: Any, **kwargs: Any) -> Any:
        from tests.booking.factories import (
            AppointmentFactory,
            ServiceFactory,
            TherapistProfileFactory,
        )
        from tests.factories import LocationFactory, RoomFactory
        from therapists.models import TherapistProfile

        profile = TherapistProfile.objects.filter(
            user=therapist
        ).first() or TherapistProfileFactory(user=therapist, bookable=False)
        location = LocationFactory(slug="intake-test-location")
        room = RoomFactory(location=location)
        service = ServiceFactory(slug="intake-test-service")
        made.append(client)
        # A day apart each, so one therapist's appointments never overlap (PostgreSQL refuses
        # overlaps with an exclusion constraint).
        kwargs.setdefault("starts_at", timezone.now() + dt.timedelta(days=len(made), hours=1))
        return AppointmentFactory(
            client=client,
            therapist=profile,
            service=service,
            location=location,
            room=room,
            **kwargs,
        )

    return make
