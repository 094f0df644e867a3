"""History recorded "as of" a past time (the demo) does not queue messages long stale by now."""

from __future__ import annotations

import datetime as dt

import pytest

from booking.notifications import BookingMessage
from booking.scheduling import appointment_book, appointment_complete
from clinic.models import Notification
from clinic.notifications.services import subject_filter
from workspace.notifications import WorkspaceMessage

pytestmark = pytest.mark.django_db
NY = dt.timezone(dt.timedelta(hours=-4))  # now (pinned) is Monday 1 June 2026, 08:00 in New York


def kinds(appointment) -> set[str]:
    return set(
        Notification.objects.filter(**subject_filter(appointment)).values_list("kind", flat=True)
    )


def book(clinic, personas, start: dt.datetime, **kwargs):
    _location, service, therapist = clinic
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=start,
        actor=personas.front_desk,
        **kwargs,
    )


def test_a_booking_as_of_weeks_ago_queues_no_confirmation_or_reminders(pinned, clinic, personas):
    appointment = book(clinic, personas, dt.datetime(2026, 5, 12, 10, tzinfo=NY),
                       as_of=dt.datetime(2026, 5, 5, 9, tzinfo=NY))  # fmt: skip
    assert kinds(appointment) == set()


def test_a_booking_as_of_an_hour_ago_queues_as_usual(pinned, clinic, personas):
    appointment = book(clinic, personas, dt.datetime(2026, 6, 5, 10, tzinfo=NY),
                       as_of=dt.datetime(2026, 6, 1, 7, tzinfo=NY))  # fmt: skip
    assert kinds(appointment) == {
        BookingMessage.CONFIRMATION,
        BookingMessage.REMINDER,
        BookingMessage.INTAKE_DUE,  # the client has no intake yet
    }
    confirmation = Notification.objects.get(kind=BookingMessage.CONFIRMATION)
    assert confirmation.due_at == dt.datetime(2026, 6, 1, 7, tzinfo=NY)


def test_completed_as_of_a_past_time_skips_follow_ups_due_over_a_day_ago(pinned, clinic, personas):
    # Session Thursday 28 May: day 1 (29 May) is stale, day 3 (31 May 10:00) is within a day.
    appointment = book(clinic, personas, dt.datetime(2026, 5, 28, 10, tzinfo=NY),
                       as_of=dt.datetime(2026, 5, 20, 9, tzinfo=NY))  # fmt: skip
    appointment_complete(appointment=appointment, actor=personas.front_desk,
                         as_of=dt.datetime(2026, 5, 28, 11, tzinfo=NY))  # fmt: skip
    assert kinds(appointment) == {WorkspaceMessage.FOLLOWUP_DAY3, WorkspaceMessage.FOLLOWUP_DAY7}


def test_completed_weeks_ago_queues_no_follow_ups(pinned, clinic, personas):
    appointment = book(clinic, personas, dt.datetime(2026, 5, 12, 10, tzinfo=NY),
                       as_of=dt.datetime(2026, 5, 5, 9, tzinfo=NY))  # fmt: skip
    appointment_complete(appointment=appointment, actor=personas.front_desk,
                         as_of=dt.datetime(2026, 5, 12, 11, tzinfo=NY))  # fmt: skip
    assert kinds(appointment) == set()


def test_completed_late_without_as_of_still_queues_every_follow_up(pinned, clinic, personas):
    appointment = book(clinic, personas, dt.datetime(2026, 5, 12, 10, tzinfo=NY),
                       as_of=dt.datetime(2026, 5, 5, 9, tzinfo=NY))  # fmt: skip
    appointment_complete(appointment=appointment, actor=personas.front_desk)
    assert kinds(appointment) == {
        WorkspaceMessage.FOLLOWUP_DAY1,
        WorkspaceMessage.FOLLOWUP_DAY3,
        WorkspaceMessage.FOLLOWUP_DAY7,
    }
