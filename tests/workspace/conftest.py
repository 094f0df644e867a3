"""Shared set-up for workspace tests: a location, a service, and the personas' therapist profiles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from booking.models import AppointmentStatus
from tests.booking.factories import (
    AppointmentFactory,
    RoomFactory,
    ServiceFactory,
    TherapistProfileFactory,
    open_every_day,
    work_every_day,
)
from tests.factories import LocationFactory


@dataclass
class Clinic:
    location: Any
    room: Any
    service: Any
    profile: Any
    other_profile: Any

    def appointment(self, client: Any, *, profile: Any = None, **kw: Any) -> Any:
        kw.setdefault("starts_at", timezone.now() - dt.timedelta(hours=1))
        kw.setdefault("status", AppointmentStatus.CHECKED_IN)
        return AppointmentFactory(
            client=client,
            therapist=profile or self.profile,
            service=self.service,
            location=self.location,
            room=self.room,
            **kw,
        )


@pytest.fixture
def clinic(personas: Any) -> Clinic:
    location = LocationFactory(time_zone="America/New_York")
    room = RoomFactory(location=location, name="Room A")
    RoomFactory(location=location, name="Room B")
    open_every_day(location, dt.time(7, 0), dt.time(20, 0))
    service = ServiceFactory(locations=[location])
    profile = TherapistProfileFactory(
        user=personas.therapist, locations=[location], display_name="Theo Therapist"
    )
    other = TherapistProfileFactory(
        user=personas.other_therapist, locations=[location], display_name="Tara Therapist"
    )
    for p in (profile, other):
        work_every_day(p, location, dt.time(8, 0), dt.time(18, 0))
    return Clinic(location, room, service, profile, other)
