"""Sending in batches: a fixed number of reads per batch, claims capped by what can be in flight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.notifications import BookingMessage
from clinic.models import ClinicPolicy, Notification, NotificationStatus
from clinic.notifications.dispatch import (
    Claim,
    notifications_claim_due,
    notifications_dispatch_due,
    notifications_send_batch,
)
from clinic.notifications.services import notification_enqueue
from tests.booking.factories import AppointmentFactory
from tests.factories import ClientFactory
from tests.outbox import NOW

pytestmark = pytest.mark.django_db


def due_reminders(clinic, count: int, *, after: int = 0) -> list[int]:
    """``count`` e-mail reminders due now, each for another client's appointment tomorrow."""
    location, service, therapist = clinic
    room = location.rooms.first()
    for index in range(after, after + count):
        client = ClientFactory()
        start = NOW + dt.timedelta(days=1, hours=index)
        appointment = AppointmentFactory(
            client=client,
            therapist=therapist,
            service=service,
            location=location,
            room=room,
            starts_at=start,
        )
        notification_enqueue(
            kind=BookingMessage.REMINDER,
            subject=appointment,
            recipient=client,
            due_at=NOW - dt.timedelta(minutes=1),
            event_at=start,
            params={"offset_hours": 24},
            channels=["email"],
        )
    return list(Notification.objects.order_by("pk").values_list("pk", flat=True))


def test_a_batch_reads_its_rows_and_subjects_in_a_fixed_number_of_queries(
    pinned, clinic, django_assert_max_num_queries
):
    due_reminders(clinic, 3)
    small = notifications_claim_due(worker="w")
    ClinicPolicy.load()
    ClinicPolicy.load()  # created, then cached: the steady state of a worker
    mail.outbox.clear()
    # Per row: start (CAS), mark sent (CAS); for the batch: rows with recipients and
    # profiles, their appointments with place, therapist, service and client.
    with django_assert_max_num_queries(3 * 2 + 2) as few:
        assert notifications_send_batch(claims=small, worker="w") == ["sent"] * 3
    due_reminders(clinic, 12, after=3)
    large = notifications_claim_due(worker="w")
    assert len(large) == 12
    with django_assert_max_num_queries(12 * 2 + 2) as many:
        assert notifications_send_batch(claims=large, worker="w") == ["sent"] * 12
    # Reads do not grow with the batch: only the two writes per row do.
    assert len(many.captured_queries) - len(few.captured_queries) <= (12 - 3) * 2
    assert len(mail.outbox) == 15
    assert {m.extra_headers["X-Unwind-Notification"] for m in mail.outbox} == {
        str(pk) for pk in Notification.objects.values_list("pk", flat=True)
    }


def test_a_stale_claim_in_a_batch_is_skipped_and_the_rest_are_sent(pinned, clinic):
    ids = due_reminders(clinic, 3)
    claims = notifications_claim_due(worker="w")
    Notification.objects.filter(pk=ids[1]).update(
        status=NotificationStatus.CANCELLED, version=claims[1].version + 1
    )
    mail.outbox.clear()
    assert notifications_send_batch(claims=claims, worker="w") == ["sent", "sent"]
    assert notifications_send_batch(claims=claims, worker="w") == []  # repeated: nothing
    assert len(mail.outbox) == 2
    assert Notification.objects.get(pk=ids[1]).status == NotificationStatus.CANCELLED


def test_claims_stop_at_what_can_be_in_flight_and_resume_as_sends_finish(pinned, clinic, settings):
    settings.NOTIFICATIONS_MAX_IN_FLIGHT = 4
    settings.NOTIFICATIONS_SEND_BATCH = 3
    due_reminders(clinic, 6)
    batches: list[list[Claim]] = []
    assert notifications_dispatch_due(worker="w", hand_off_batch=batches.append) == 4
    assert [len(batch) for batch in batches] == [3, 1]
    # Nothing sent yet: four live claims, so the next tick claims nothing.
    assert notifications_dispatch_due(worker="w", hand_off_batch=batches.append) == 0
    for batch in batches:
        notifications_send_batch(claims=batch, worker="w")
    assert notifications_dispatch_due(worker="w", hand_off_batch=batches.append) == 2
    notifications_send_batch(claims=batches[-1], worker="w")
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 6


def test_a_broker_refusing_a_batch_releases_it_and_the_rest(pinned, clinic, settings):
    settings.NOTIFICATIONS_SEND_BATCH = 2
    due_reminders(clinic, 5)
    taken: list[list[Claim]] = []

    def hand_off(batch: list[Claim]) -> None:
        if taken:
            raise ConnectionError("broker down")
        taken.append(batch)

    assert notifications_dispatch_due(worker="w", hand_off_batch=hand_off) == 2
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 3


def test_a_full_batch_asks_for_the_next_claim_at_once(pinned, clinic, settings, monkeypatch):
    from clinic.notifications import tasks

    settings.NOTIFICATIONS_SEND_BATCH = 2
    due_reminders(clinic, 3)
    ticks: list[int] = []
    monkeypatch.setattr(tasks.dispatch_due_notifications, "delay", lambda: ticks.append(1))
    monkeypatch.setattr(tasks, "_last_tick", [-tasks.TICK_SECONDS])
    claims = notifications_claim_due(worker="w")
    assert tasks.send_notifications([[c.id, c.version] for c in claims[:2]]) == 2
    assert ticks == [1]  # a full batch: there may be more due
    assert tasks.send_notifications([[c.id, c.version] for c in claims[2:]]) == 1
    assert ticks == [1]  # the last, short batch: the beat's tick is enough
