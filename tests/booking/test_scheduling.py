"""Booking, rescheduling and cancelling through the domain functions (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from booking import scheduling
from booking.arrivals import appointment_check_in
from booking.careplans import care_plan_create
from booking.changes import appointment_cancel, appointment_request_decide, appointment_reschedule
from booking.exceptions import BookingRefused, SlotUnavailable, TooLateToChange
from booking.models import Appointment, AppointmentStatus
from booking.scheduling import (
    appointment_book,
    appointment_complete,
    appointment_mark_no_show,
)
from clinic.audit import audit_denials_kept
from clinic.exceptions import ValidationFailed
from clinic.models import AuditEvent, Room
from intake.gate import BookingGate
from intake.selectors import may_read_intake
from tests.booking.factories import clinic_setup
from therapists.care import treats

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


def may(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """May 2026 local New York time (weeks before the pinned now)."""
    return dt.datetime(2026, 5, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


def test_booking_as_of_a_past_time_is_judged_and_stamped_then(setup, personas):
    _location, service, therapist = setup
    with pytest.raises(SlotUnavailable):  # without as_of a past start is refused
        appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=may(11, 10),
            actor=personas.front_desk,
        )
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=may(11, 10),
        actor=personas.client,
        as_of=may(4, 8),
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.starts_at == may(11, 10)
    assert appointment.created_at == may(4, 8)


def test_notice_and_horizon_count_from_as_of(setup, personas):
    _location, service, therapist = setup
    book = {"client": personas.client, "service": service, "therapist": therapist}
    with pytest.raises(SlotUnavailable):  # two hours' notice as of then; the policy wants 12
        appointment_book(**book, start=may(4, 10), actor=personas.client, as_of=may(4, 8))
    with pytest.raises(SlotUnavailable):  # before as_of, even for staff
        appointment_book(**book, start=may(4, 9), actor=personas.front_desk, as_of=may(4, 12))
    with pytest.raises(SlotUnavailable):  # past the 8-week horizon as of then
        appointment_book(**book, start=may(4, 10) + dt.timedelta(weeks=9), actor=personas.client,
                         as_of=may(4, 8))  # fmt: skip
    staff = appointment_book(**book, start=may(4, 10), actor=personas.front_desk, as_of=may(4, 8))
    assert staff.starts_at == may(4, 10)


def test_a_slot_taken_as_of_earlier_is_refused_as_of_later(setup, personas):
    _location, service, therapist = setup
    appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=may(11, 10),
        actor=personas.front_desk,
        as_of=may(4, 8),
    )
    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=therapist,
            start=may(11, 10, 30),
            actor=personas.front_desk,
            as_of=may(5, 8),
        )


@pytest.mark.postgres
def test_the_exclusion_constraint_still_refuses_overlaps_booked_as_of(setup, personas, monkeypatch):
    _location, service, therapist = setup
    appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=may(11, 10),
        actor=personas.front_desk,
        as_of=may(4, 8),
    )
    # If the locked re-check were ever wrong, the database still refuses the overlap.
    other_room = Room.objects.order_by("pk").last()
    monkeypatch.setattr(scheduling, "find_room", lambda **kwargs: other_room)
    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=personas.other_client,
            service=service,
            therapist=therapist,
            start=may(11, 10),
            actor=personas.front_desk,
            as_of=may(5, 8),
        )
    assert Appointment.objects.count() == 1


def test_no_show_and_completion_as_of_a_past_time(setup, personas):
    _location, service, therapist = setup
    book = {"service": service, "therapist": therapist, "actor": personas.front_desk}
    missed = appointment_book(client=personas.client, start=may(11, 10), as_of=may(4, 8), **book)
    with pytest.raises(ValidationFailed):  # not yet started as of then
        appointment_mark_no_show(appointment=missed, actor=personas.front_desk, as_of=may(11, 9))
    missed = appointment_mark_no_show(
        appointment=missed, actor=personas.front_desk, as_of=may(11, 10, 20)
    )
    assert missed.status == AppointmentStatus.NO_SHOW
    came = appointment_book(client=personas.client, start=may(12, 10), as_of=may(4, 8), **book)
    came = appointment_check_in(appointment=came, actor=personas.front_desk, as_of=may(12, 9, 55))
    came = appointment_complete(appointment=came, actor=personas.front_desk, as_of=may(12, 11))
    assert came.status == AppointmentStatus.COMPLETED


# --- who treats whom: booking grants access only through the client, staff or the therapist ---


@pytest.fixture
def team(gate, personas):
    """Two bookable therapists; ``personas.therapist`` already treats ``personas.client``."""
    _location, service, (mine, colleague) = clinic_setup(therapists=2)
    mine.user, colleague.user = personas.therapist, personas.other_therapist
    mine.save()
    colleague.save()
    appointment_book(
        client=personas.client, service=service, therapist=mine, start=at(3, 9),
        actor=personas.client,
    )  # fmt: skip
    return service, mine, colleague


def test_a_therapist_cannot_book_their_client_with_a_colleague_who_does_not_treat_them(
    team, personas
):
    service, _mine, colleague = team
    with audit_denials_kept():
        with pytest.raises(ValidationFailed) as refused:
            appointment_book(
                client=personas.client, service=service, therapist=colleague, start=at(4, 10),
                actor=personas.therapist,
            )  # fmt: skip
        assert "therapist" in refused.value.extra["fields"]
    assert not treats(personas.other_therapist, personas.client.pk)
    assert not may_read_intake(personas.other_therapist, personas.client.pk)
    assert Appointment.objects.filter(therapist=colleague).count() == 0
    assert AuditEvent.objects.filter(
        actor=personas.therapist, subject=personas.client, outcome="denied"
    ).exists()


def test_a_therapist_books_with_themself_or_a_colleague_who_already_treats_the_client(
    team, personas
):
    service, mine, colleague = team
    appointment_book(
        client=personas.client, service=service, therapist=mine, start=at(4, 10),
        actor=personas.therapist,
    )  # fmt: skip
    appointment_book(
        client=personas.client, service=service, therapist=colleague, start=at(5, 10),
        actor=personas.client,
    )  # fmt: skip
    assert appointment_book(
        client=personas.client, service=service, therapist=colleague, start=at(6, 10),
        actor=personas.therapist,
    ).therapist == colleague  # fmt: skip


@pytest.mark.parametrize("who", ["client", "front_desk", "clinic_admin"])
def test_the_client_and_staff_start_a_new_relationship_by_booking(team, personas, who):
    service, _mine, colleague = team
    appointment_book(
        client=personas.client, service=service, therapist=colleague, start=at(4, 10),
        actor=getattr(personas, who),
    )  # fmt: skip
    assert treats(personas.other_therapist, personas.client.pk)


def test_the_api_refuses_a_colleague_booking_with_a_field_message(team, personas, api_as):
    service, _mine, colleague = team
    reply = api_as(personas.therapist).post(
        "/api/v1/appointments/",
        {"client": personas.client.pk, "service": service.pk, "therapist": colleague.pk,
         "start": at(4, 10).isoformat()},
        format="json",
    )  # fmt: skip
    assert reply.status_code == 400
    assert "therapist" in reply.json()["fields"]
    assert not treats(personas.other_therapist, personas.client.pk)
    assert AuditEvent.objects.filter(actor=personas.therapist, outcome="denied").exists()


def test_a_care_plan_with_a_colleague_who_does_not_treat_the_client_is_refused(team, personas):
    service, _mine, colleague = team
    with pytest.raises(ValidationFailed):
        care_plan_create(
            actor=personas.therapist, client=personas.client, therapist=colleague,
            service=service, sessions_per_week=1, weeks=2, reassessment_at_session=2,
            starts_on=dt.date(2026, 6, 3),
        )  # fmt: skip
