"""What booking, rescheduling and cancelling write to the outbox (in the same transaction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from booking.changes import appointment_cancel, appointment_reschedule
from booking.notifications import BookingMessage
from booking.scheduling import appointment_book
from clinic.models import ClientProfile, Notification, NotificationStatus, User
from clinic.notifications.preferences import channels_for
from clinic.notifications.services import notification_enqueue
from workspace.notifications import WorkspaceMessage

pytestmark = pytest.mark.django_db


def ny(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


def live(kind: str | None = None):
    rows = Notification.objects.exclude(status=NotificationStatus.CANCELLED)
    return rows.filter(kind=kind) if kind else rows


def book(clinic, client, start):
    _location, service, therapist = clinic
    return appointment_book(
        client=client, service=service, therapist=therapist, start=start, actor=client
    )


def test_a_booking_queues_confirmation_reminders_and_intake_due(pinned, clinic, personas):
    appointment = book(clinic, personas.client, ny(5, 10))
    starts = appointment.starts_at
    assert live(BookingMessage.CONFIRMATION).get().due_at == dt.datetime(
        2026, 6, 1, 12, tzinfo=dt.UTC
    )
    reminders = live(BookingMessage.REMINDER).order_by("due_at")
    assert [r.due_at for r in reminders] == [
        starts - dt.timedelta(hours=48),
        starts - dt.timedelta(hours=2),
    ]
    assert {r.params["offset_hours"] for r in reminders} == {48, 2}
    # New client without an intake: nudged 48 h before (24 h alert + one day).
    assert live(BookingMessage.INTAKE_DUE).get().due_at == starts - dt.timedelta(hours=48)
    assert set(live().values_list("recipient", flat=True)) == {personas.client.pk}


def test_a_rolled_back_booking_leaves_no_notification(pinned, clinic, personas):
    seen_inside = []

    def failing_request():
        with transaction.atomic():
            book(clinic, personas.client, ny(5, 10))
            seen_inside.append(Notification.objects.count())
            raise RuntimeError("the request failed after booking")

    with pytest.raises(RuntimeError):
        failing_request()
    assert seen_inside[0] > 0
    assert not Notification.objects.exists()


def test_reminders_already_past_at_booking_time_are_not_queued(pinned, clinic, personas):
    book(clinic, personas.client, ny(2, 9))  # 25 hours ahead: only the 2 h reminder
    assert list(live(BookingMessage.REMINDER).values_list("params", flat=True)) == [
        {"offset_hours": 2}
    ]


def test_reschedule_moves_pending_reminders_and_sends_a_notice(pinned, clinic, personas):
    appointment = book(clinic, personas.client, ny(5, 10))
    appointment = appointment_reschedule(
        appointment=appointment, start=ny(8, 14), actor=personas.client
    )
    due = sorted(live(BookingMessage.REMINDER).values_list("due_at", flat=True))
    assert due == [appointment.starts_at - dt.timedelta(hours=h) for h in (48, 2)]
    assert live(BookingMessage.RESCHEDULED).count() == 1
    old = ny(5, 10) - dt.timedelta(hours=2)
    assert Notification.objects.get(kind=BookingMessage.REMINDER, due_at=old).status == "cancelled"


def test_cancel_cancels_pending_messages_and_queues_the_notice(pinned, clinic, personas):
    appointment = book(clinic, personas.client, ny(5, 10))
    appointment_cancel(appointment=appointment, actor=personas.client, reason="travel")
    assert set(live().values_list("kind", flat=True)) == {BookingMessage.CANCELLED}


def test_enqueue_is_idempotent_per_subject_kind_and_due_time(pinned, clinic, personas):
    appointment = book(clinic, personas.client, ny(5, 10))
    before = Notification.objects.count()
    for _ in range(2):
        notification_enqueue(
            kind=BookingMessage.REMINDER,
            subject=appointment,
            recipient=personas.client,
            due_at=appointment.starts_at - dt.timedelta(hours=2),
            params={"offset_hours": 2},
        )
    assert Notification.objects.count() == before


def test_channels_follow_the_clients_preferences(personas):
    profile = ClientProfile.objects.get(user=personas.client)

    def fresh():
        return User.objects.select_related("client_profile").get(pk=personas.client.pk)

    assert channels_for(fresh(), BookingMessage.REMINDER) == ["email"]
    profile.reminder_channel, profile.sms_opt_in = "sms", True
    profile.save()
    assert channels_for(fresh(), BookingMessage.REMINDER) == ["sms"]
    # Follow-ups do not go by SMS: e-mail instead.
    assert channels_for(fresh(), WorkspaceMessage.FOLLOWUP_DAY1) == ["email"]
    profile.reminder_channel, profile.email_opt_in = "both", False
    profile.save()
    assert channels_for(fresh(), BookingMessage.REMINDER) == ["sms"]
    # Essential messages always go by e-mail too.
    assert channels_for(fresh(), BookingMessage.CANCELLED) == ["email", "sms"]
    profile.sms_opt_in = False
    profile.save()
    assert channels_for(fresh(), BookingMessage.REMINDER) == []
    assert channels_for(fresh(), BookingMessage.CONFIRMATION) == ["email"]
