"""The outbox in tests: a pinned clock, one dispatcher tick run in-process, and a clinic.

Shared by the notification infrastructure tests (tests/clinic/notifications) and each app's
message tests, which import the fixtures they use.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from clinic import sms
from clinic.models import Notification, NotificationStatus
from clinic.notifications.dispatch import notification_send, notifications_dispatch_due
from intake.gate import BookingGate
from tests.booking.factories import AppointmentFactory, clinic_setup

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def gate(monkeypatch):
    state = {"gate": BookingGate.CLEAR}
    monkeypatch.setattr("booking.scheduling.booking_gate_for", lambda client: state["gate"])
    return state


@pytest.fixture
def clinic(gate):
    location, service, (therapist,) = clinic_setup()
    location.name = "Troy"
    location.save()
    return location, service, therapist


def run_dispatch(worker: str = "test") -> int:
    """One beat tick with the send done in-process instead of by a Celery worker."""
    return notifications_dispatch_due(
        worker=worker, hand_off=lambda claim: notification_send(claim=claim, worker=worker)
    )


def rows(kind: str):
    """Live (not cancelled) outbox rows of one kind."""
    return Notification.objects.filter(kind=kind).exclude(status=NotificationStatus.CANCELLED)


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def completed_session(clinic, client, start: dt.datetime, **extra):
    """A completed session for ``client`` at ``start`` in the outbox tests' clinic."""
    location, service, therapist = clinic
    return AppointmentFactory(
        client=client,
        therapist=therapist,
        service=service,
        location=location,
        room=location.rooms.first(),
        starts_at=start,
        status="completed",
        **extra,
    )
