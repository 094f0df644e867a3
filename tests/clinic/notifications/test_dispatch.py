"""Claiming, sending, re-checking and retrying outbox rows (in-process; SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.changes import appointment_cancel
from booking.notifications import BookingMessage
from booking.scheduling import appointment_book
from clinic import sms
from clinic.models import ClientProfile, Notification, NotificationStatus, User
from clinic.notifications.dispatch import (
    notification_send,
    notifications_claim_due,
)
from tests.outbox import NOW, run_dispatch

pytestmark = pytest.mark.django_db


def ny(month: int, day: int, hour: int, minute: int = 0, offset: int = -4) -> dt.datetime:
    return dt.datetime(
        2026, month, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=offset))
    )


@pytest.fixture
def booked(pinned, clinic, personas):
    _location, service, therapist = clinic
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=ny(6, 5, 10),
        actor=personas.client,
    )
    return appointment


def test_confirmation_is_sent_once_with_an_ics_and_no_health_detail_in_the_subject(booked):
    assert run_dispatch() == 1  # only the confirmation is due yet
    (message,) = mail.outbox
    assert message.to == [booked.client.email]
    assert message.subject == "Your appointment at Troy on Fri 5 Jun 10:00 is booked"
    assert booked.service.name not in message.subject
    assert "10:00" in message.body
    assert "10:00\N{EN DASH}11:00 (EDT)" in message.body  # the zone as people read it
    html = message.alternatives[0][0]
    assert "Troy" in html
    (filename, content, mimetype) = message.attachments[0]
    assert (filename, mimetype) == ("appointment.ics", "text/calendar")
    assert "DTSTART" in (content.decode() if isinstance(content, bytes) else content)
    assert Notification.objects.get(kind=BookingMessage.CONFIRMATION).status == "sent"
    assert run_dispatch() == 0
    assert len(mail.outbox) == 1


def test_reminders_go_out_when_due_in_local_time(booked, pinned):
    run_dispatch()
    mail.outbox.clear()
    pinned.move_to(booked.starts_at - dt.timedelta(hours=2))
    run_dispatch()
    subjects = sorted(m.subject for m in mail.outbox)
    # The 48 h reminder and the intake nudge were both due by now; the 2 h one too.
    assert subjects.count("Reminder: your appointment at Troy on Fri 5 Jun 10:00") == 2
    assert any("unsubscribe" in m.extra_headers.get("List-Unsubscribe", "") for m in mail.outbox)


def test_a_duplicated_or_stale_send_message_does_nothing(booked):
    (claim,) = notifications_claim_due(worker="a")
    assert notification_send(claim=claim, worker="a") == "sent"
    assert notification_send(claim=claim, worker="b") == "stale"
    assert len(mail.outbox) == 1


def test_an_expired_lease_is_claimed_again_and_the_old_claim_is_void(booked, pinned, settings):
    (first,) = notifications_claim_due(worker="dead")
    assert notifications_claim_due(worker="other") == []  # leased
    pinned.shift(dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS + 1))
    (second,) = notifications_claim_due(worker="alive")
    assert second.id == first.id
    assert notification_send(claim=first, worker="dead") == "stale"
    assert notification_send(claim=second, worker="alive") == "sent"
    assert len(mail.outbox) == 1


def test_a_cancelled_appointment_sends_no_reminder_even_if_already_claimed(
    booked, pinned, personas
):
    run_dispatch()
    pinned.move_to(booked.starts_at - dt.timedelta(hours=47))
    claims = notifications_claim_due(worker="w")
    appointment_cancel(appointment=booked, actor=personas.client, reason="ill")
    mail.outbox.clear()
    assert {notification_send(claim=c, worker="w") for c in claims} == {"stale"}
    run_dispatch()
    assert [m.subject for m in mail.outbox] == [
        "Cancelled: your appointment at Troy on Fri 5 Jun 10:00"
    ]


def test_a_reminder_whose_appointment_moved_since_queued_is_retimed(booked, pinned):
    run_dispatch()
    later = booked.starts_at + dt.timedelta(days=1)
    # Moved behind the hooks' back (e.g. by an admin data fix): the worker re-checks.
    type(booked).objects.filter(pk=booked.pk).update(
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
        occupied_from=later,
        occupied_until=later + dt.timedelta(hours=1),
    )
    pinned.move_to(booked.starts_at - dt.timedelta(hours=47))
    mail.outbox.clear()
    run_dispatch()
    assert not [m for m in mail.outbox if m.subject.startswith("Reminder")]
    row = Notification.objects.get(kind=BookingMessage.REMINDER, params__offset_hours=48)
    assert (row.status, row.due_at, row.event_at) == (
        "pending",
        later - dt.timedelta(hours=48),
        later,
    )


def test_failures_retry_with_backoff_then_show_as_failed(booked, pinned, settings, monkeypatch):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    row = Notification.objects.get(kind=BookingMessage.CONFIRMATION)
    clock = NOW
    for expected_wait in (60, 120):
        run_dispatch()
        row.refresh_from_db()
        assert row.status == "pending"
        assert row.due_at == clock + dt.timedelta(seconds=expected_wait)
        assert "smtp down" in row.last_error
        clock = row.due_at
        pinned.move_to(clock)
    run_dispatch()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)


def test_sms_waits_for_the_end_of_quiet_hours(pinned, clinic, personas):
    ClientProfile.objects.filter(user=personas.client).update(
        reminder_channel="sms", sms_opt_in=True, phone="+15185550123"
    )
    _location, service, therapist = clinic
    pinned.move_to(ny(6, 1, 22, 30))  # 22:30 local: quiet
    appointment_book(
        client=User.objects.get(pk=personas.client.pk),
        service=service,
        therapist=therapist,
        start=ny(6, 5, 10),
        actor=personas.client,
    )
    run_dispatch()
    assert sms.outbox == []
    assert len(mail.outbox) == 1  # the e-mail copy of the (essential) confirmation
    row = Notification.objects.get(kind=BookingMessage.CONFIRMATION, channel="sms")
    assert (row.status, row.due_at) == ("pending", ny(6, 2, 8))
    pinned.move_to(ny(6, 2, 8, 0))
    run_dispatch()
    (text,) = sms.outbox
    assert text.to == "+15185550123"
    assert text.body == "Unwind: your appointment at Troy on Fri 5 Jun 10:00 is booked."


def test_two_texts_held_back_to_the_same_morning_go_once(pinned, clinic, personas):
    ClientProfile.objects.filter(user=personas.client).update(
        reminder_channel="sms", sms_opt_in=True, phone="+15185550123"
    )
    _location, service, therapist = clinic
    appointment_book(
        client=User.objects.get(pk=personas.client.pk),
        service=service,
        therapist=therapist,
        start=ny(6, 3, 10),
        actor=personas.client,
    )
    texts = Notification.objects.filter(kind=BookingMessage.REMINDER, channel="sms")
    first, second = texts.order_by("pk")
    # Both reminders fall due in the night (a worker outage, say): both are held back to
    # 08:00, the same message at the same time; one goes then, the other is cancelled
    # instead of breaking the send on the outbox's one-live-row rule.
    Notification.objects.filter(pk=first.pk).update(due_at=ny(6, 2, 23, 0))
    Notification.objects.filter(pk=second.pk).update(due_at=ny(6, 2, 23, 30))
    pinned.move_to(ny(6, 3, 0, 0))
    run_dispatch()
    assert sorted(texts.values_list("status", "due_at")) == [
        ("cancelled", ny(6, 2, 23, 30)),
        ("pending", ny(6, 3, 8)),
    ]
    assert sms.outbox == []
    pinned.move_to(ny(6, 3, 8, 0))
    run_dispatch()
    assert [text.body for text in sms.outbox if "reminder" in text.body] == [
        "Unwind reminder: your appointment at Troy on Wed 3 Jun 10:00."
    ]


def test_opting_out_after_queueing_stops_non_essential_messages(booked, pinned):
    run_dispatch()
    ClientProfile.objects.filter(user=booked.client).update(email_opt_in=False)
    pinned.move_to(booked.starts_at - dt.timedelta(hours=1))
    mail.outbox.clear()
    run_dispatch()
    assert mail.outbox == []
    assert set(
        Notification.objects.filter(kind=BookingMessage.REMINDER).values_list("status", flat=True)
    ) == {NotificationStatus.CANCELLED}


def test_reminder_after_dst_change_shows_the_local_hour(pinned, clinic, personas):
    # Appointment Monday 9 March 2026 10:00 EDT, the day after spring-forward; booked in EST.
    _location, service, therapist = clinic
    pinned.move_to(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=ny(3, 9, 10),
        actor=personas.client,
    )
    assert appointment.starts_at == dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
    pinned.move_to(appointment.starts_at - dt.timedelta(hours=2))
    mail.outbox.clear()
    run_dispatch()
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert reminders
    assert {m.subject for m in reminders} == {
        "Reminder: your appointment at Troy on Mon 9 Mar 10:00"
    }
