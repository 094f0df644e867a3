"""Check-in follows the clock: on the appointment's day, inside the clinic's window, with a
short audited undo; no-show only after the start; each keeps the messages it should."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from booking.arrivals import appointment_check_in, appointment_check_in_undo
from booking.messages import confirmation, intake_due
from booking.models import Appointment, AppointmentStatus
from booking.notifications import BookingMessage
from booking.scheduling import appointment_book, appointment_mark_no_show
from clinic.exceptions import ValidationFailed
from clinic.models import AuditEvent, ClinicPolicy, Notification, NotificationStatus
from clinic.notifications.services import subject_filter
from tests.booking.factories import clinic_setup

pytestmark = pytest.mark.django_db
BOOKED_AT = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def booked(personas):
    location, service, (therapist,) = clinic_setup()
    start = dt.datetime(2026, 6, 3, 10, 0, tzinfo=location.zone)
    with time_machine.travel(BOOKED_AT, tick=False):
        return appointment_book(
            client=personas.client,
            service=service,
            therapist=therapist,
            start=start,
            actor=personas.front_desk,
        )


def at(location, day, hour, minute=0):
    return time_machine.travel(
        dt.datetime(2026, 6, day, hour, minute, tzinfo=location.zone), tick=False
    )


def pending(appointment, kind):
    return Notification.objects.filter(
        **subject_filter(appointment), kind=kind, status=NotificationStatus.PENDING
    )


def test_check_in_the_day_before_is_refused_with_a_message(booked, personas):
    with at(booked.location, 2, 10), pytest.raises(ValidationFailed) as refused:
        appointment_check_in(appointment=booked, actor=personas.front_desk)
    assert "only on the day of the appointment (Wed 03 Jun)" in refused.value.message
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.BOOKED


def test_check_in_before_the_window_says_when_it_opens(booked, personas):
    with at(booked.location, 3, 7, 59), pytest.raises(ValidationFailed) as refused:
        appointment_check_in(appointment=booked, actor=personas.front_desk)
    assert refused.value.message == "Check-in for this appointment opens at 08:00."
    assert refused.value.code == "check_in_not_open"


def test_the_window_is_the_clinics_policy(booked, personas):
    policy = ClinicPolicy.load()
    policy.check_in_opens_minutes = 30
    policy.save()
    with at(booked.location, 3, 9, 15), pytest.raises(ValidationFailed) as refused:
        appointment_check_in(appointment=booked, actor=personas.front_desk)
    assert "opens at 09:30" in refused.value.message
    with at(booked.location, 3, 9, 30):
        appointment_check_in(appointment=booked, actor=personas.front_desk)


def test_check_in_inside_the_window_can_be_undone_for_a_few_minutes_and_is_audited(
    booked, personas
):
    with at(booked.location, 3, 8, 30):
        done = appointment_check_in(appointment=booked, actor=personas.front_desk)
    assert done.status == AppointmentStatus.CHECKED_IN
    assert done.checked_in_by == personas.front_desk
    with at(booked.location, 3, 8, 35):
        undone = appointment_check_in_undo(appointment=booked, actor=personas.front_desk)
    assert undone.status == AppointmentStatus.BOOKED
    assert undone.checked_in_at is None
    details = list(
        AuditEvent.objects.filter(object_id=str(booked.pk))
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details[-2:] == ["checked_in", "check-in undone"]
    with at(booked.location, 3, 8, 40):
        appointment_check_in(appointment=booked, actor=personas.front_desk)
    with at(booked.location, 3, 8, 51), pytest.raises(ValidationFailed) as late:
        appointment_check_in_undo(appointment=booked, actor=personas.front_desk)
    assert late.value.code == "undo_expired"
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.CHECKED_IN


def test_a_late_arrival_is_checked_in_after_the_start(booked, personas):
    with at(booked.location, 3, 10, 20):
        assert appointment_check_in(appointment=booked, actor=personas.front_desk).status == (
            AppointmentStatus.CHECKED_IN
        )


def test_check_in_keeps_the_confirmation_and_intake_nudge_that_are_due(booked, personas):
    # The client has no intake, so an intake-due nudge was queued with the confirmation.
    kinds = (BookingMessage.CONFIRMATION, BookingMessage.INTAKE_DUE)
    before = {k: pending(booked, k).count() for k in kinds}
    assert before == {BookingMessage.CONFIRMATION: 1, BookingMessage.INTAKE_DUE: 1}
    with at(booked.location, 3, 8, 30):
        appointment_check_in(appointment=booked, actor=personas.front_desk)
    assert {k: pending(booked, k).count() for k in kinds} == before
    # ... and composing them after the check-in sends them instead of skipping them.
    for kind, compose in (
        (BookingMessage.CONFIRMATION, confirmation),
        (BookingMessage.INTAKE_DUE, intake_due),
    ):
        with at(booked.location, 3, 8, 45):
            assert compose(pending(booked, kind).get(), dt.datetime.now(tz=dt.UTC)) is not None


def test_no_show_only_after_the_start_and_it_drops_the_visits_reminders(booked, personas):
    with at(booked.location, 3, 9, 59), pytest.raises(ValidationFailed) as early:
        appointment_mark_no_show(appointment=booked, actor=personas.front_desk)
    assert "only after it starts" in early.value.message
    with at(booked.location, 3, 10, 15):
        missed = appointment_mark_no_show(appointment=booked, actor=personas.front_desk)
    assert missed.status == AppointmentStatus.NO_SHOW
    assert not pending(booked, BookingMessage.REMINDER).exists()
    assert not pending(booked, BookingMessage.INTAKE_DUE).exists()
