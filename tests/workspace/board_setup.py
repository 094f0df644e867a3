"""A location with many therapists on shift and a full day of appointments, for board tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from booking.availability import local_to_utc
from booking.models import AppointmentStatus
from tests.booking.factories import (
    AppointmentFactory,
    RoomFactory,
    ServiceFactory,
    TherapistProfileFactory,
    open_every_day,
    work_every_day,
)
from tests.factories import ClientFactory, LocationFactory

STATUSES = [
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.REQUESTED,
    AppointmentStatus.CANCELLED,
    AppointmentStatus.NO_SHOW,
]


def busy_location(*, therapists: int, per_therapist: int, day: dt.date | None = None) -> Any:
    """``therapists`` working 08:00-18:00 with ``per_therapist`` one-hour sessions from 08:00."""
    location = LocationFactory(time_zone="America/New_York")
    open_every_day(location, dt.time(7, 0), dt.time(20, 0))
    service = ServiceFactory(locations=[location])
    rooms = [RoomFactory(location=location) for _ in range(max(therapists, 1))]
    day = day or timezone.now().astimezone(location.zone).date()
    for n in range(therapists):
        profile = TherapistProfileFactory(locations=[location])
        work_every_day(profile, location, dt.time(8, 0), dt.time(18, 0))
        for k in range(per_therapist):
            start = local_to_utc(day, dt.time(8 + k), location.zone)
            AppointmentFactory(
                client=ClientFactory(),
                therapist=profile,
                service=service,
                location=location,
                room=rooms[n],
                starts_at=start,
                status=STATUSES[(n + k) % len(STATUSES)],
            )
    return location, day
