"""Booking, rescheduling and cancelling through the domain functions (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from booking.changes import appointment_cancel, appointment_request_decide, appointment_reschedule
from booking.exceptions import BookingRefused, SlotUnavailable, TooLateToChange
from booking.models import Appointment, AppointmentStatus
from booking.scheduling import appointment_book, appointment_mark_no_show
from clinic.exceptions import ValidationFailed
from intake.gate import BookingGate
from tests.booking.factories import clinic_setup

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def gate(monkeypatch):
    state = {"gate": BookingGate.CLEAR}
    monkeypatch.setattr("booking.scheduling.booking_gate_for", lambda client: state["gate"])
    return state


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """June 2026 local New York time."""
    return timezone.make_aware(
        dt.datetime(2026, 6, day, hour, minute), timezone=dt.timezone(dt.timedelta(hours=-4))
    )


@pytest.fixture
def setup(gate):
    location, service, (therapist,) = clinic_setup(buffer_after_minutes=15)
    return location, service, therapist


def test_booking_stores_utc_times_buffers_and_a_room(setup, personas):
    location, service, therapist = setup
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at == dt.datetime(2026, 6, 3, 14, 0, tzinfo=dt.UTC)
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=60)
    assert appointment.occupied_until - appointment.ends_at == dt.timedelta(minutes=15)
    assert appointment.room.location == location
    assert appointment.location == location


def test_a_taken_slot_is_refused_with_nearby_alternatives(setup, personas):
    _location, service, therapist = setup
    appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    with pytest.raises(SlotUnavailable) as caught:
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=therapist,
            start=at(3, 10, 30),
            actor=personas.other_client,
        )
    alternatives = caught.value.extra["alternatives"]
    assert len(alternatives) == 3
    starts = [dt.datetime.fromisoformat(a["start"]) for a in alternatives]
    # 10:00-11:00 plus 15 minutes' buffer is taken; the nearest free starts are around it.
    assert all(s >= at(3, 11, 15) or s + dt.timedelta(hours=1) <= at(3, 10) for s in starts)
    assert Appointment.objects.count() == 1


def test_the_second_room_is_used_when_the_first_is_busy(gate, personas):
    _location, service, (first, second) = clinic_setup(therapists=2, rooms=2)
    a = appointment_book(
        client=personas.client,
        service=service,
        therapist=first,
        start=at(3, 10),
        actor=personas.client,
    )
    b = appointment_book(
        client=personas.other_client,
        service=service,
        therapist=second,
        start=at(3, 10),
        actor=personas.other_client,
    )
    assert a.room != b.room


def test_one_room_means_one_appointment_at_a_time(gate, personas):
    _location, service, (first, second) = clinic_setup(therapists=2, rooms=1)
    appointment_book(
        client=personas.client,
        service=service,
        therapist=first,
        start=at(3, 10),
        actor=personas.client,
    )
    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=second,
            start=at(3, 10, 30),
            actor=personas.other_client,
        )


def test_minimum_notice_applies_to_clients_not_staff(setup, personas):
    _location, service, therapist = setup
    soon = at(1, 10)  # two hours from now; notice is 12 hours
    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=soon,
            actor=personas.client,
        )
    staff_booked = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=soon,
        actor=personas.front_desk,
    )
    assert staff_booked.created_by == personas.front_desk


def test_a_start_off_the_slot_grid_or_outside_hours_is_refused(setup, personas):
    _location, service, therapist = setup
    for start in (at(3, 10, 7), at(3, 16, 30), at(3, 7)):
        with pytest.raises(SlotUnavailable):
            appointment_book(
                client=personas.client,
                service=service,
                therapist=therapist,
                start=start,
                actor=personas.client,
            )


def test_naive_start_is_a_validation_error(setup, personas):
    _location, service, therapist = setup
    with pytest.raises(ValidationFailed):
        appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=dt.datetime(2026, 6, 3, 10),
            actor=personas.client,
        )


@pytest.mark.parametrize(
    ("gate_value", "status", "intake_due"),
    [
        (BookingGate.INTAKE_DUE, AppointmentStatus.BOOKED, True),
        (BookingGate.REQUEST, AppointmentStatus.REQUESTED, False),
    ],
)
def test_the_intake_gate_decides_booked_or_requested(
    setup, personas, gate, gate_value, status, intake_due
):
    _location, service, therapist = setup
    gate["gate"] = gate_value
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    assert (appointment.status, appointment.booked_with_intake_due) == (status, intake_due)


@pytest.mark.parametrize("gate_value", [BookingGate.EMERGENCY, BookingGate.REFERRED])
def test_emergency_and_referred_book_nothing(setup, personas, gate, gate_value):
    _location, service, therapist = setup
    gate["gate"] = gate_value
    with pytest.raises(BookingRefused) as caught:
        appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=at(3, 10),
            actor=personas.client,
        )
    assert caught.value.code == gate_value
    assert not Appointment.objects.exists()


def test_a_requested_appointment_holds_the_slot_until_declined(setup, personas, gate):
    _location, service, therapist = setup
    gate["gate"] = BookingGate.REQUEST
    request = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    gate["gate"] = BookingGate.CLEAR
    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=therapist,
            start=at(3, 10),
            actor=personas.other_client,
        )
    appointment_request_decide(
        appointment=request, actor=personas.clinic_admin, approve=False, reason="needs GP letter"
    )
    again = appointment_book(
        client=personas.other_client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.other_client,
    )
    assert again.status == AppointmentStatus.BOOKED


def test_approving_a_request_books_it(setup, personas, gate):
    _location, service, therapist = setup
    gate["gate"] = BookingGate.REQUEST
    request = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    # A therapist approves: a clinic admin who is not a clinician cannot (issue 11).
    approved = appointment_request_decide(
        appointment=request, actor=personas.therapist, approve=True
    )
    assert approved.status == AppointmentStatus.BOOKED
    assert approved.decided_by == personas.therapist


def test_client_cancels_before_cutoff_or_late_after_it(setup, personas):
    _location, service, therapist = setup
    early = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(5, 10),
        actor=personas.client,
    )
    late = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(2, 10),
        actor=personas.client,
    )
    assert (
        appointment_cancel(appointment=early, actor=personas.client, reason="away").status
        == AppointmentStatus.CANCELLED
    )
    # 22 hours before: inside the 24-hour cutoff.
    with time_machine.travel(at(1, 12), tick=False):
        cancelled = appointment_cancel(appointment=late, actor=personas.client, reason="sick")
    assert cancelled.status == AppointmentStatus.LATE_CANCELLED
    assert cancelled.cancellation_reason == "sick"


def test_cancelling_frees_the_slot(setup, personas):
    _location, service, therapist = setup
    first = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    appointment_cancel(appointment=first, actor=personas.client)
    assert appointment_book(
        client=personas.other_client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.other_client,
    )


def test_reschedule_moves_the_appointment_and_refuses_conflicts(setup, personas):
    _location, service, therapist = setup
    mine = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(3, 10),
        actor=personas.client,
    )
    appointment_book(
        client=personas.other_client,
        service=service,
        therapist=therapist,
        start=at(3, 13),
        actor=personas.other_client,
    )
    with pytest.raises(SlotUnavailable):
        appointment_reschedule(appointment=mine, start=at(3, 13), actor=personas.client)
    # Moving by 30 minutes overlaps only itself, which is allowed.
    moved = appointment_reschedule(appointment=mine, start=at(3, 10, 30), actor=personas.client)
    assert moved.starts_at == at(3, 10, 30)
    assert Appointment.objects.get(pk=mine.pk).starts_at == at(3, 10, 30)


def test_client_cannot_reschedule_inside_the_cutoff_but_staff_can(setup, personas):
    _location, service, therapist = setup
    mine = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(2, 10),
        actor=personas.client,
    )
    with time_machine.travel(at(1, 12), tick=False):
        with pytest.raises(TooLateToChange):
            appointment_reschedule(appointment=mine, start=at(2, 14), actor=personas.client)
        assert appointment_reschedule(
            appointment=mine, start=at(2, 14), actor=personas.front_desk
        ).starts_at == at(2, 14)


def test_no_show_only_after_the_start(setup, personas):
    _location, service, therapist = setup
    mine = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=at(2, 10),
        actor=personas.client,
    )
    with pytest.raises(ValidationFailed):
        appointment_mark_no_show(appointment=mine, actor=personas.front_desk)
    with time_machine.travel(at(2, 10, 20), tick=False):
        assert (
            appointment_mark_no_show(appointment=mine, actor=personas.front_desk).status
            == AppointmentStatus.NO_SHOW
        )
