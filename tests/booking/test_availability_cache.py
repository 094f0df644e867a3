"""The cached roster: whatever changes who works when is seen by the very next availability call.

Availability caches the roster (bookable therapists, shifts, licences, rooms, opening hours);
busy time (appointments, time off, closures, waitlist holds) is read on every call.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from booking.availability_selectors import open_slots
from booking.models import AppointmentStatus
from clinic.locations import HoursSpan, opening_hours_replace
from clinic.models import Location, Room
from tests.booking.factories import AppointmentFactory, clinic_setup
from tests.factories import ClientFactory
from therapists.models import Credential, MFRTraining, Shift, TimeOff

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 6, 3)  # a Wednesday


@pytest.fixture
def world():
    with time_machine.travel(NOW, tick=False):
        location, service, (first, second) = clinic_setup(therapists=2)
        yield location, service, first, second


def slots(world, **kwargs):
    location, service, _first, _second = world
    return open_slots(service=service, location=location, first_day=DAY, last_day=DAY, **kwargs)


def starts(found, therapist) -> set[dt.time]:
    zone = Location.objects.get().zone
    return {s.start.astimezone(zone).time() for s in found if s.therapist_id == therapist.pk}


def test_a_changed_shift_is_seen_by_the_next_call(world):
    _location, _service, first, _second = world
    assert dt.time(16, 0) in starts(slots(world), first)
    shift = Shift.objects.get(therapist=first, weekday=DAY.weekday())
    shift.ends_at = dt.time(12, 0)
    shift.save()
    after = starts(slots(world), first)
    assert dt.time(16, 0) not in after
    assert max(after) == dt.time(11, 0)
    shift.delete()
    assert starts(slots(world), first) == set()


def test_time_off_and_appointments_are_seen_at_once(world):
    location, service, first, _second = world
    zone = location.zone
    assert dt.time(10, 0) in starts(slots(world), first)
    begin = dt.datetime.combine(DAY, dt.time(10, 0), tzinfo=zone)
    TimeOff.objects.create(therapist=first, starts_at=begin, ends_at=begin + dt.timedelta(hours=1))
    assert dt.time(10, 0) not in starts(slots(world), first)
    at_two = dt.datetime.combine(DAY, dt.time(14, 0), tzinfo=zone)
    appointment = AppointmentFactory(
        client=ClientFactory(), therapist=first, service=service, location=location,
        room=location.rooms.first(), starts_at=at_two,
    )  # fmt: skip
    assert dt.time(14, 0) not in starts(slots(world), first)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save()
    assert dt.time(14, 0) in starts(slots(world), first)


def test_an_expired_licence_or_a_revoked_training_drops_the_therapist_at_once(world):
    _location, _service, first, second = world
    assert starts(slots(world), first)
    assert starts(slots(world), second)
    Credential.objects.filter(therapist=first).update(expires_on=dt.date(2026, 6, 2))
    # A bulk update sends no signal: saving one credential does (as the admin pages do).
    Credential.objects.filter(therapist=first).first().save()
    assert starts(slots(world), first) == set()
    MFRTraining.objects.filter(therapist=second).delete()
    assert starts(slots(world), second) == set()


def test_a_therapist_leaving_the_location_or_switched_off_is_gone_at_once(world):
    location, _service, first, second = world
    assert starts(slots(world), first)
    first.locations.remove(location)
    assert starts(slots(world), first) == set()
    second.user.is_active = False
    second.user.save()
    assert slots(world) == []


def test_rooms_and_opening_hours_are_seen_at_once(world):
    location, _service, first, _second = world
    opening_hours_replace(
        location=location,
        spans=[HoursSpan(DAY.weekday(), dt.time(9, 0), dt.time(12, 0))],
    )
    assert max(starts(slots(world), first)) == dt.time(11, 0)
    Room.objects.filter(location=location).update(is_active=False)
    Room.objects.filter(location=location).first().save()
    assert slots(world) == []


def test_a_location_switched_off_leaves_the_catalog_at_once(world):
    from booking.availability_selectors import catalog

    location, _service, _first, _second = world
    assert location.pk in catalog().locations
    location.is_active = False
    location.save()
    assert location.pk not in catalog().locations


def test_the_booking_check_never_reads_a_cached_roster(world):
    from booking.availability_selectors import roster

    location, service, first, _second = world
    cached = roster(service, location, on=DAY)
    Shift.objects.filter(therapist=first).update(ends_at=dt.time(10, 0))  # no signal
    assert roster(service, location, on=DAY) == cached  # within the cache's minute
    fresh = roster(service, location, on=DAY, fresh=True)
    assert fresh != cached
    assert timezone.now() == NOW


def test_the_compiled_busy_query_answers_as_the_orm_does(world):
    from booking import availability_selectors as sel
    from booking.models import WaitlistEntry, WaitlistOffer
    from therapists.models import Closure

    location, service, first, second = world
    zone = location.zone
    at = lambda hour: dt.datetime.combine(DAY, dt.time(hour), tzinfo=zone)  # noqa: E731
    client, other = ClientFactory(), ClientFactory()
    kept = AppointmentFactory(
        client=client, therapist=first, service=service, location=location,
        room=location.rooms.first(), starts_at=at(10),
    )  # fmt: skip
    left_out = AppointmentFactory(
        client=other, therapist=second, service=service, location=location,
        room=location.rooms.first(), starts_at=at(12),
    )  # fmt: skip
    TimeOff.objects.create(therapist=second, starts_at=at(14), ends_at=at(15))
    Closure.objects.create(location=location, starts_at=at(16), ends_at=at(17))
    entry = WaitlistEntry.objects.create(client=other, service=service, location=location)
    WaitlistOffer.objects.create(
        entry=entry, therapist=first, location=location, starts_at=at(9), ends_at=at(10),
        expires_at=NOW + dt.timedelta(hours=2),
    )  # fmt: skip
    span_start, span_end = at(0), at(23)
    for ids, exclude, for_client in (
        ((first.pk, second.pk), None, None),
        ((first.pk,), left_out.pk, other.pk),
        ((), None, client.pk),
    ):
        question = sel.BusyQuestion(
            ids, (location.pk,), span_start, span_end, NOW, exclude, for_client
        )
        expected = sorted(sel.busy_queryset(question))
        assert sorted(sel.busy_query(question)) == expected
        assert expected  # the world has something busy in each question
    assert kept.pk != left_out.pk
    assert all(template is not None for template in sel._templates.values())


def test_many_locations_answer_as_each_alone_in_one_query(world, django_assert_num_queries):
    from booking.availability_selectors import open_slots_by_location
    from tests.booking.factories import open_every_day, work_every_day
    from tests.factories import LocationFactory, RoomFactory
    from therapists.models import Closure

    location, service, first, _second = world
    west = LocationFactory(time_zone="America/Los_Angeles")
    RoomFactory(location=west)
    open_every_day(west, dt.time(8, 0), dt.time(19, 0))
    service.locations.add(west)
    first.locations.add(west)
    work_every_day(first, west, start=dt.time(10, 0), end=dt.time(17, 0))
    noon = dt.datetime.combine(DAY, dt.time(12), tzinfo=location.zone)
    Closure.objects.create(location=west, starts_at=noon, ends_at=noon + dt.timedelta(hours=3))
    AppointmentFactory(
        client=ClientFactory(), therapist=first, service=service, location=location,
        room=location.rooms.first(), starts_at=noon + dt.timedelta(hours=4),
    )  # fmt: skip
    windows = [(location, DAY, DAY + dt.timedelta(days=2)), (west, DAY, DAY + dt.timedelta(days=2))]
    alone = {
        place.pk: open_slots(service=service, location=place, first_day=a, last_day=b)
        for place, a, b in windows
    }
    assert alone[location.pk]
    assert alone[west.pk]
    with django_assert_num_queries(1):  # the rosters are cached: busy time for both at once
        together = open_slots_by_location(service=service, windows=windows)
    assert together == alone


def test_the_api_writes_slots_as_the_one_slot_payload_does(world):
    from booking.api.views import slots_payload
    from booking.scheduling import slot_payload

    location, *_rest = world
    found = slots(world)
    assert len({s.start for s in found}) < len(found)  # two therapists share start times
    assert slots_payload(found, location.zone) == [slot_payload(s, location.zone) for s in found]


class _Unreachable:
    """A cache whose server is down: every call raises, as RedisCache does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache server down")

        return fail


def test_with_the_cache_unreachable_availability_and_saves_still_work(world, monkeypatch):
    from clinic import schedule_cache

    _location, _service, first, _second = world
    before = starts(slots(world), first)
    schedule_cache.schedule_forget()
    monkeypatch.setattr(schedule_cache, "schedule_cache", lambda: _Unreachable())
    assert starts(slots(world), first) == before  # read from the database
    shift = Shift.objects.get(therapist=first, weekday=DAY.weekday())
    shift.ends_at = dt.time(12, 0)
    shift.save()  # the version cannot be bumped; the save still succeeds
    assert max(starts(slots(world), first)) == dt.time(11, 0)
