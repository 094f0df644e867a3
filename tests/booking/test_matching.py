"""Matching with the database: a therapist's next openings are the soonest across locations."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.matching import matches_for
from tests.booking.factories import ServiceFactory, TherapistProfileFactory, open_every_day
from tests.factories import LocationFactory, RoomFactory
from therapists.models import Shift

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York
TUESDAY, WEDNESDAY = 1, 2


def test_next_openings_are_the_soonest_across_locations(personas):
    first, second = LocationFactory(name="Clifton Park"), LocationFactory(name="Troy")
    for location in (first, second):
        RoomFactory(location=location)
        open_every_day(location)
    service = ServiceFactory(locations=[first, second])
    therapist = TherapistProfileFactory(locations=[first, second])
    # Wednesdays at the first location (many openings), Tuesdays at the second.
    for location, weekday in ((first, WEDNESDAY), (second, TUESDAY)):
        Shift.objects.create(
            therapist=therapist,
            location=location,
            weekday=weekday,
            starts_at=dt.time(9),
            ends_at=dt.time(17),
            effective_from=dt.date(2020, 1, 1),
        )
    with time_machine.travel(NOW, tick=False):
        (match,) = matches_for(client=personas.client, service=service)
    first_opening = match.openings[0]
    assert (first_opening.location_name, first_opening.start_local.date()) == (
        "Troy",
        dt.date(2026, 6, 2),
    )
    starts = [o.start_local for o in match.openings]
    assert starts == sorted(starts)
