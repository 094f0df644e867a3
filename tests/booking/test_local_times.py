"""Pages show appointment times in the location's own zone, not the clinic's default zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from tests.booking.factories import AppointmentFactory, clinic_setup
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _amsterdam_appointment(client_user):
    location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
    day = dt.datetime.now(tz=AMSTERDAM).date() + dt.timedelta(days=5)
    start = dt.datetime.combine(day, dt.time(10, 0), tzinfo=AMSTERDAM)
    return AppointmentFactory(
        client=client_user,
        therapist=therapist,
        service=service,
        location=location,
        room=location.rooms.first(),
        starts_at=start.astimezone(dt.UTC),
    )


def test_appointment_pages_show_the_amsterdam_hour(client):
    user = ClientFactory()
    appointment = _amsterdam_appointment(user)
    client.force_login(user)

    detail = client.get(f"/booking/appointments/{appointment.pk}/").content.decode()
    listing = client.get("/booking/appointments/").content.decode()

    # 10:00 in Amsterdam is 04:00 in New York (the clinic's default zone).
    assert "10:00" in detail
    assert "04:00" not in detail
    assert "10:00" in listing
    assert "04:00" not in listing


def test_confirm_page_shows_the_chosen_local_time(client):
    user = ClientFactory()
    _location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
    day = dt.datetime.now(tz=AMSTERDAM).date() + dt.timedelta(days=6)
    start = dt.datetime.combine(day, dt.time(15, 30), tzinfo=AMSTERDAM)
    client.force_login(user)
    response = client.get(
        "/booking/confirm/",
        {"service": service.pk, "therapist": therapist.pk, "start": start.isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "15:30" in page
    assert "09:30" not in page
