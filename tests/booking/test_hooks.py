"""Booking services queue their notifications through booking.notifications, in-transaction."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from booking.arrivals import appointment_check_in
from booking.changes import appointment_cancel, appointment_request_decide
from booking.models import AppointmentStatus
from booking.notifications import BookingMessage
from booking.scheduling import appointment_book, appointment_complete
from booking.waitlist import waitlist_join
from clinic.models import Notification, NotificationStatus
from clinic.notifications.services import subject_filter
from intake.gate import BookingGate
from tests.booking.factories import clinic_setup
from workspace.notifications import WorkspaceMessage

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
FOLLOWUPS = {
    WorkspaceMessage.FOLLOWUP_DAY1,
    WorkspaceMessage.FOLLOWUP_DAY3,
    WorkspaceMessage.FOLLOWUP_DAY7,
}


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def gate(monkeypatch):
    state = {"gate": BookingGate.CLEAR}
    monkeypatch.setattr("booking.scheduling.booking_gate_for", lambda client: state["gate"])
    return state


@pytest.fixture
def booked(gate, personas):
    _location, service, (therapist,) = clinic_setup()
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 3, 10, 0, tzinfo=NY),
        actor=personas.client,
    )


def rows(subject, kinds=None):
    qs = Notification.objects.filter(**subject_filter(subject))
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs


def test_completing_a_session_queues_day_1_3_7_follow_ups_at_10_local(booked, personas):
    # Check-in opens on the appointment's day (10:00 New York), from the clinic's window on.
    with time_machine.travel(dt.datetime(2026, 6, 3, 13, 30, tzinfo=dt.UTC), tick=False):
        appointment_check_in(appointment=booked, actor=personas.front_desk)
    with time_machine.travel(dt.datetime(2026, 6, 3, 15, 30, tzinfo=dt.UTC), tick=False):
        done = appointment_complete(appointment=booked, actor=personas.front_desk)
    assert done.status == AppointmentStatus.COMPLETED
    followups = rows(booked, FOLLOWUPS).filter(status=NotificationStatus.PENDING)
    due = {n.kind: n.due_at.astimezone(NY) for n in followups}
    assert due == {
        WorkspaceMessage.FOLLOWUP_DAY1: dt.datetime(2026, 6, 4, 10, 0, tzinfo=NY),
        WorkspaceMessage.FOLLOWUP_DAY3: dt.datetime(2026, 6, 6, 10, 0, tzinfo=NY),
        WorkspaceMessage.FOLLOWUP_DAY7: dt.datetime(2026, 6, 10, 10, 0, tzinfo=NY),
    }
    assert {n.recipient for n in followups} == {personas.client}
    # The reminders of a session that has happened are not sent any more.
    assert (
        not rows(booked, [BookingMessage.REMINDER])
        .filter(status=NotificationStatus.PENDING)
        .exists()
    )


def test_follow_ups_roll_back_with_the_completion(booked, personas):
    class Boom(Exception):
        pass

    def complete_then_fail() -> None:
        with transaction.atomic():
            appointment_complete(appointment=booked, actor=personas.front_desk)
            assert rows(booked, FOLLOWUPS).exists()
            raise Boom

    with pytest.raises(Boom):
        complete_then_fail()
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.BOOKED
    assert not rows(booked, FOLLOWUPS).exists()


def test_a_cancelled_appointment_cannot_be_completed_and_queues_nothing(booked, personas):
    from clinic.exceptions import ValidationFailed

    appointment_cancel(appointment=booked, actor=personas.front_desk)
    with pytest.raises(ValidationFailed):
        appointment_complete(appointment=booked, actor=personas.front_desk)
    assert not rows(booked, FOLLOWUPS).exists()


@pytest.mark.parametrize(
    ("approve", "kind", "other"),
    [
        (True, BookingMessage.REQUEST_APPROVED, BookingMessage.REQUEST_DECLINED),
        (False, BookingMessage.REQUEST_DECLINED, BookingMessage.REQUEST_APPROVED),
    ],
)
def test_deciding_a_request_tells_the_client(gate, personas, approve, kind, other):
    gate["gate"] = BookingGate.REQUEST
    _location, service, (therapist,) = clinic_setup()
    request = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 4, 10, 0, tzinfo=NY),
        actor=personas.client,
    )
    assert not rows(request, [BookingMessage.REMINDER]).exists()
    # A therapist decides: approving is a clinician's own act (issue 11).
    appointment_request_decide(appointment=request, actor=personas.therapist, approve=approve)
    assert rows(request, [kind]).filter(recipient=personas.client).count() >= 1
    assert not rows(request, [other]).exists()
    reminders = rows(request, [BookingMessage.REMINDER]).filter(status=NotificationStatus.PENDING)
    # Approved: reminders are queued now; declined: nothing more will be sent about it.
    assert reminders.exists() is approve


def test_a_waitlist_offer_is_announced_to_the_waitlisted_client(booked, personas):
    entry = waitlist_join(client=personas.other_client, service=booked.service)
    appointment_cancel(appointment=booked, actor=personas.client)
    offer = entry.offers.get()
    (notice,) = rows(offer, [BookingMessage.WAITLIST_OFFER]).filter(channel="email")
    assert notice.recipient == personas.other_client
    assert notice.event_at == booked.starts_at
