"""Day-1 self-care plan content and the therapist digest across locations in two zones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.messages import therapist_digests_enqueue
from booking.notifications import BookingMessage
from booking.scheduling import appointment_book
from clinic.models import Notification
from tests.booking.factories import AppointmentFactory
from tests.factories import LocationFactory, RoomFactory
from tests.outbox import run_dispatch

pytestmark = pytest.mark.django_db


NY = dt.timezone(dt.timedelta(hours=-4))


def test_digest_shows_each_appointment_in_its_locations_zone(pinned, clinic, personas):
    new_york, service, therapist = clinic
    los_angeles = LocationFactory(name="Venice", time_zone="America/Los_Angeles")
    la_room = RoomFactory(location=los_angeles)
    la = dt.timezone(dt.timedelta(hours=-7))

    def visit(location, room, start):
        return AppointmentFactory(
            client=personas.client,
            therapist=therapist,
            service=service,
            location=location,
            room=room,
            starts_at=start,
        )

    ny_room = new_york.rooms.first()
    visit(new_york, ny_room, dt.datetime(2026, 6, 2, 9, tzinfo=NY))
    visit(los_angeles, la_room, dt.datetime(2026, 6, 2, 9, tzinfo=la))  # 12:00 in New York
    # 22:00 on Tuesday in Los Angeles is already Wednesday in New York: still Tuesday's client.
    visit(los_angeles, la_room, dt.datetime(2026, 6, 2, 22, tzinfo=la))
    visit(new_york, ny_room, dt.datetime(2026, 6, 3, 9, tzinfo=NY))  # Wednesday: not listed
    pinned.move_to(dt.datetime(2026, 6, 1, 17, 5, tzinfo=NY))
    assert therapist_digests_enqueue() == 1
    mail.outbox.clear()
    run_dispatch()
    (digest,) = [m for m in mail.outbox if m.to == [therapist.user.email]]
    lines = [line for line in digest.body.splitlines() if "Casey" in line]
    assert [line.split(" Casey")[0] for line in lines] == ["09:00 EDT", "09:00 PDT", "22:00 PDT"]
    assert [line.rsplit(", ", 1)[1].split(")")[0] for line in lines] == [
        new_york.name,
        "Venice",
        "Venice",
    ]
    html = digest.alternatives[0][0]
    assert "09:00 PDT" in html
    assert "12:00" not in html


NY = dt.timezone(dt.timedelta(hours=-4))


def test_digest_lists_tomorrows_clients_once_after_17_local(pinned, clinic, personas):
    _location, service, therapist = clinic
    appointment_book(
        client=personas.client, service=service, therapist=therapist,
        start=dt.datetime(2026, 6, 2, 11, tzinfo=NY), actor=personas.front_desk,
    )  # fmt: skip
    assert therapist_digests_enqueue() == 0  # 08:00 local: too early
    pinned.move_to(dt.datetime(2026, 6, 1, 17, 5, tzinfo=NY))
    assert therapist_digests_enqueue() == 1
    therapist_digests_enqueue()  # the next hourly run adds nothing
    assert Notification.objects.filter(kind=BookingMessage.THERAPIST_DIGEST).count() == 1
    mail.outbox.clear()
    run_dispatch()
    (digest,) = [m for m in mail.outbox if m.to == [therapist.user.email]]
    assert digest.subject == "Your clients on Tue 2 Jun"
    assert "11:00 EDT Casey" in digest.body
    assert "intake missing" in digest.body
