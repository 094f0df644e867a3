"""URGENT and STOP refuse booking on every path, not only online; HOLD turns each into a request.

Each client here is flagged by submitting a real intake, so the tests go through the screening
rules, the open findings and the gate exactly as a client would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from booking.careplans import care_plan_book_series, care_plan_create
from booking.changes import appointment_reschedule
from booking.exceptions import BookingRefused
from booking.models import Appointment, AppointmentStatus, WaitlistOffer
from booking.scheduling import appointment_book
from booking.waitlist import waitlist_join, waitlist_offer_accept, waitlist_offer_freed_slot
from clinic.phones import phone_display
from intake import services as intake_services
from intake.demo import scenario_answers
from intake.gate import BookingGate, booking_gate_for
from tests.booking.factories import clinic_setup
from tests.factories import ClientFactory
from therapists.care import care_relationship_start

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)

# flag → the answers that raise it, and what the refusal must tell the client to do now
REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "urgent": ({"calf_swelling": True, "calf_chest": ["none"]}, "see a physician today"),
    "stop-fever": ({"contra": ["fever-infection"]}, "hands-on treatment must not be given"),
    "stop-clot": ({"contra": ["dvt"]}, "hands-on treatment must not be given"),
    "emergency": ({"rf_back_emergency": ["saddle"]}, "emergency care"),
}


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(personas):
    location, service, (therapist,) = clinic_setup()
    therapist.user = personas.therapist
    therapist.save()
    return location, service, therapist


def flag(client: Any, **answers: Any) -> None:
    """Submit an intake for ``client`` with these answers on top of a clear one."""
    intake_services.intake_start(client=client)
    intake_services.intake_save_answers(client=client, answers=scenario_answers("clear", **answers))
    intake_services.intake_submit(client=client)


def start_at(location: Any, day: int = 3, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=location.zone)


def _says_what_to_do(message: str, advice: str, location: Any) -> None:
    assert advice in message.lower()
    assert location.phone
    assert phone_display(location.phone).text in message  # (518) 555-0100, as people dial it


@pytest.mark.parametrize("level", REFUSED)
def test_web_booking_is_refused_with_advice_and_the_clinics_number(client, personas, clinic, level):
    location, service, therapist = clinic
    answers, advice = REFUSED[level]
    flag(personas.client, **answers)
    client.force_login(personas.client)
    url = reverse("booking:confirm")
    data = {"service": service.pk, "therapist": therapist.pk, "start": start_at(location)}
    page = client.get(url, data).content.decode()
    assert "Confirm booking" not in page
    assert "Send request" not in page
    response = client.post(url, {**data, "start": start_at(location).isoformat()})
    assert response.status_code == 403
    _says_what_to_do(response.content.decode().replace("&#x27;", "'"), advice, location)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("level", REFUSED)
def test_api_booking_is_refused_with_advice(api_as, personas, clinic, level):
    location, service, therapist = clinic
    answers, advice = REFUSED[level]
    flag(personas.client, **answers)
    response = api_as(personas.client).post(
        "/api/v1/appointments/",
        {"service": service.pk, "therapist": therapist.pk, "start": start_at(location).isoformat()},
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == ("emergency" if level == "emergency" else "blocked")
    _says_what_to_do(body["message"], advice, location)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("level", ["urgent", "stop-clot"])
def test_front_desk_cannot_book_on_behalf_even_naming_a_clinician(client, personas, clinic, level):
    location, service, therapist = clinic
    flag(personas.client, **REFUSED[level][0])
    client.force_login(personas.front_desk)
    response = client.post(
        f"{reverse('booking:board-book')}?location={location.slug}",
        {
            "client": personas.client.pk,
            "service": service.pk,
            "therapist": therapist.pk,
            "start": start_at(location).strftime("%Y-%m-%dT%H:%M"),
            "approved_by": personas.therapist.pk,
        },
    )
    assert response.status_code == 403
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("level", ["urgent", "stop-fever"])
def test_care_plan_series_books_nothing(personas, clinic, level):
    location, service, therapist = clinic
    care_relationship_start(therapist=personas.therapist, client=personas.client)
    plan = care_plan_create(
        client=personas.client,
        therapist=therapist,
        service=service,
        sessions_per_week=1,
        weeks=4,
        starts_on=start_at(location).date(),
        actor=personas.therapist,
    )
    flag(personas.client, **REFUSED[level][0])
    with pytest.raises(BookingRefused):
        care_plan_book_series(plan=plan, first_start=start_at(location), actor=personas.therapist)
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("level", ["urgent", "stop-clot"])
def test_waitlist_skips_a_blocked_client_and_an_earlier_offer_cannot_be_accepted(
    personas, clinic, level
):
    location, service, therapist = clinic
    waitlist_join(client=personas.client, service=service)
    waitlist_join(client=personas.other_client, service=service)
    start = start_at(location)
    end = start + dt.timedelta(minutes=service.duration_minutes)
    first = waitlist_offer_freed_slot(
        therapist=therapist, service=service, location=location, start=start, end=end
    )
    assert first is not None
    assert first.entry.client == personas.client
    flag(personas.client, **REFUSED[level][0])
    # Accepting the offer made before the flag is refused like any booking.
    with pytest.raises(BookingRefused):
        waitlist_offer_accept(offer=first, actor=personas.client)
    assert not Appointment.objects.exists()
    # A new freed time skips the blocked client and goes to the next in line.
    later = start_at(location, day=4)
    offer = waitlist_offer_freed_slot(
        therapist=therapist,
        service=service,
        location=location,
        start=later,
        end=later + dt.timedelta(minutes=service.duration_minutes),
    )
    assert offer is not None
    assert offer.entry.client == personas.other_client
    assert WaitlistOffer.objects.filter(entry__client=personas.client).count() == 1


@pytest.mark.parametrize("level", ["urgent", "stop-fever"])
def test_reschedule_is_refused_once_the_level_rises(api_as, personas, clinic, level):
    location, service, therapist = clinic
    booked = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=start_at(location),
        actor=personas.client,
    )
    flag(personas.client, **REFUSED[level][0])
    moved = api_as(personas.client).post(
        f"/api/v1/appointments/{booked.pk}/reschedule/",
        {"start": start_at(location, day=5).isoformat()},
    )
    assert moved.status_code == 403
    with pytest.raises(BookingRefused):
        appointment_reschedule(
            appointment=booked, start=start_at(location, day=6), actor=personas.front_desk
        )
    booked.refresh_from_db()
    # Nothing is silently cancelled: the appointment stays where it was, for a clinician.
    assert (booked.status, booked.starts_at) == (AppointmentStatus.BOOKED, start_at(location))


def test_rescheduling_under_a_hold_makes_the_new_time_a_request(personas, clinic):
    location, service, therapist = clinic
    booked = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=start_at(location),
        actor=personas.client,
    )
    flag(personas.client, contra=["pregnancy"], pregnancy_trimester="2")
    assert booking_gate_for(personas.client) == BookingGate.REQUEST
    moved = appointment_reschedule(
        appointment=booked, start=start_at(location, day=5), actor=personas.client
    )
    assert moved.status == AppointmentStatus.REQUESTED


def test_an_unknown_gate_value_refuses_rather_than_books(personas, clinic, monkeypatch):
    location, service, therapist = clinic
    monkeypatch.setattr("booking.scheduling.booking_gate_for", lambda client: "something-new")
    with pytest.raises(BookingRefused):
        appointment_book(
            client=ClientFactory(),
            service=service,
            therapist=therapist,
            start=start_at(location),
            actor=personas.front_desk,
        )


def test_a_rising_level_flags_upcoming_appointments_for_the_therapist_and_cancels_nothing(
    client, personas, clinic
):
    from booking.models import ClinicianTask, ClinicianTaskKind

    location, service, therapist = clinic
    booked = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=start_at(location),
        actor=personas.client,
    )
    flag(personas.client, **REFUSED["urgent"][0])
    task = ClinicianTask.objects.get(appointment=booked)
    assert (task.kind, task.assigned_to) == (ClinicianTaskKind.UPCOMING_SAFETY, personas.therapist)
    flag(personas.client, **REFUSED["urgent"][0])  # the same level again flags nothing new
    assert ClinicianTask.objects.filter(appointment=booked).count() == 1
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    # The therapist's queue (day view) shows it; the board's badge shows the client flagged.
    client.force_login(personas.therapist)
    day = client.get(reverse("workspace:day"), {"day": "2026-06-03"}).content.decode()
    assert "Safety finding before this session" in day
    client.force_login(personas.front_desk)
    board = client.get(
        reverse("booking:board"), {"location": location.slug, "day": "2026-06-03"}
    ).content.decode()
    assert "intake flagged" in board
    # The client is told what happens next.
    client.force_login(personas.client)
    home = client.get(reverse("client-home")).content.decode()
    assert "are not cancelled: a clinician will contact you" in home
