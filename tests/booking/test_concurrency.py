"""No double booking under concurrency, on real PostgreSQL (exclusion constraints + locks)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.test import APIClient

from booking import scheduling
from booking.exceptions import SlotUnavailable
from booking.models import Appointment
from clinic.models import Room
from tests.booking.factories import clinic_setup
from tests.factories import ClientFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REQUESTS = 24


def _local(location, days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = dt.datetime.now(tz=location.zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=location.zone)


def fire(payloads: list[tuple[object, dict]], code: str = "slot_taken") -> Counter:
    """POST every payload at once, each from its own client and database connection."""
    barrier = threading.Barrier(len(payloads))
    codes: list[int] = []
    lock = threading.Lock()

    def book(user, payload):
        try:
            api = APIClient()
            api.force_authenticate(user=user)
            barrier.wait()
            response = api.post("/api/v1/appointments/", payload, format="json")
            if response.status_code == 409:
                assert response.json()["code"] == code
            with lock:
                codes.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=p) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(codes)


def clients(n: int):
    return [ClientFactory() for _ in range(n)]


def test_many_clients_same_therapist_same_slot_exactly_one_wins():
    location, service, (therapist,) = clinic_setup(rooms=3)
    start = _local(location, 3, 10).isoformat()
    payload = {"service": service.pk, "therapist": therapist.pk, "start": start}
    codes = fire([(client, payload) for client in clients(REQUESTS)])
    assert codes == Counter({201: 1, 409: REQUESTS - 1})
    assert Appointment.objects.count() == 1


def test_overlapping_but_different_starts_exactly_one_wins():
    location, service, (therapist,) = clinic_setup(rooms=3)
    # 10:00, 10:15, 10:30 and 10:45 for an hour: every pair overlaps.
    payloads = [
        (
            client,
            {
                "service": service.pk,
                "therapist": therapist.pk,
                "start": _local(location, 3, 10, 15 * (i % 4)).isoformat(),
            },
        )
        for i, client in enumerate(clients(REQUESTS))
    ]
    codes = fire(payloads)
    assert codes == Counter({201: 1, 409: REQUESTS - 1})
    assert Appointment.objects.count() == 1


def test_one_shared_room_many_therapists_exactly_one_wins():
    location, service, team = clinic_setup(therapists=REQUESTS, rooms=1)
    start = _local(location, 3, 10).isoformat()
    payloads = [
        (client, {"service": service.pk, "therapist": therapist.pk, "start": start})
        for client, therapist in zip(clients(REQUESTS), team, strict=True)
    ]
    # The therapists are free; the one room is what the others lose: their refusal says so.
    codes = fire(payloads, code="no_room")
    assert codes == Counter({201: 1, 409: REQUESTS - 1})
    assert Appointment.objects.count() == 1


def test_exclusion_constraint_rejects_overlap_written_past_the_service():
    location, service, (therapist,) = clinic_setup(rooms=2)
    client = ClientFactory()
    first, second = Room.objects.filter(location=location).order_by("pk")
    start = _local(location, 3, 10)

    def row(room, minutes):
        begin = start + dt.timedelta(minutes=minutes)
        end = begin + dt.timedelta(hours=1)
        return Appointment(
            client=client,
            therapist=therapist,
            service=service,
            location=location,
            room=room,
            starts_at=begin,
            ends_at=end,
            occupied_from=begin,
            occupied_until=end,
        )

    row(first, 0).save()
    for overlapping in (row(second, 30), row(first, 45)):  # same therapist; same room too
        with pytest.raises(IntegrityError) as caught, transaction.atomic():
            overlapping.save()
        assert caught.value.__cause__.pgcode == "23P01"
    # Back to back is fine ('[)' ranges), and cancelled rows do not hold the slot.
    row(first, 60).save()
    cancelled = row(second, 0)
    cancelled.status = "cancelled"
    cancelled.save()


def test_a_constraint_violation_becomes_slot_taken(monkeypatch):
    """If the re-check were ever wrong, the database still refuses and the user gets 409."""
    location, service, (therapist,) = clinic_setup(rooms=2)
    a, b = ClientFactory(), ClientFactory()
    start = _local(location, 3, 10)
    scheduling.appointment_book(
        client=a, service=service, therapist=therapist, start=start, actor=a
    )
    room = Room.objects.filter(location=location).order_by("pk").last()
    monkeypatch.setattr(scheduling, "find_room", lambda **kwargs: room)
    with pytest.raises(SlotUnavailable):
        scheduling.appointment_book(
            client=b, service=service, therapist=therapist, start=start, actor=b
        )
    api = APIClient()
    api.force_authenticate(user=b)
    response = api.post(
        "/api/v1/appointments/",
        {"service": service.pk, "therapist": therapist.pk, "start": start.isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert Appointment.objects.count() == 1
    assert connection.vendor == "postgresql"


def test_one_client_many_therapists_at_once_gets_exactly_one():
    """One client cannot be in two places: the client's row lock and the re-check decide."""
    location, service, team = clinic_setup(therapists=REQUESTS, rooms=REQUESTS)
    client = ClientFactory()
    start = _local(location, 3, 10)
    payloads = [
        (
            client,
            {
                "service": service.pk,
                "therapist": therapist.pk,
                "start": (start + dt.timedelta(minutes=15 * (i % 3))).isoformat(),
            },
        )
        for i, therapist in enumerate(team)
    ]
    codes = fire(payloads, code="client_overlap")
    assert codes == Counter({201: 1, 409: REQUESTS - 1})
    assert Appointment.objects.filter(client=client).count() == 1


def test_the_client_constraint_is_the_last_guard(monkeypatch):
    """Were the client re-check ever skipped, PostgreSQL still refuses: 409 client_overlap."""
    location, service, (one, two) = clinic_setup(therapists=2, rooms=2)
    client = ClientFactory()
    start = _local(location, 3, 10)
    scheduling.appointment_book(
        client=client, service=service, therapist=one, start=start, actor=client
    )
    monkeypatch.setattr(scheduling, "ensure_client_free", lambda **kwargs: None)
    api = APIClient()
    api.force_authenticate(user=client)
    response = api.post(
        "/api/v1/appointments/",
        {"service": service.pk, "therapist": two.pk, "start": start.isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "client_overlap"
    assert Appointment.objects.filter(client=client).count() == 1
