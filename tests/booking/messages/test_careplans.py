"""Care plan off track, outcome measure due and intake flagged: queued once, sent without health detail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.messages import care_plans_off_track_enqueue
from booking.models import CarePlan
from booking.notifications import BookingMessage
from clinic.models import Notification, NotificationStatus
from tests.outbox import completed_session, mails_to, rows, run_dispatch

pytestmark = pytest.mark.django_db
NY = dt.timezone(dt.timedelta(hours=-4))


# --- care plan off track ---------------------------------------------------------------------


@pytest.fixture
def behind_plan(clinic, personas):
    _location, service, therapist = clinic
    # Weekly for six weeks from 11 May: by Monday 1 June three sessions were due, none done.
    return CarePlan.objects.create(
        client=personas.client,
        therapist=therapist,
        service=service,
        sessions_per_week=1,
        weeks=6,
        starts_on=dt.date(2026, 5, 11),
    )


def test_a_plan_behind_schedule_nudges_client_and_therapist_once_per_plan_week(
    pinned, behind_plan, personas
):
    therapist_user = behind_plan.therapist.user
    assert care_plans_off_track_enqueue() == 2
    care_plans_off_track_enqueue()  # the next hourly run adds nothing
    queued = rows(BookingMessage.CARE_PLAN_OFF_TRACK)
    assert set(queued.values_list("recipient", flat=True)) == {
        personas.client.pk,
        therapist_user.pk,
    }
    # Keyed on the plan week: Monday 1 June, 10:00 New York.
    assert {r.due_at for r in queued} == {dt.datetime(2026, 6, 1, 10, tzinfo=NY)}
    pinned.move_to(dt.datetime(2026, 6, 1, 10, 0, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    (to_client,) = mails_to(personas.client)
    assert to_client.subject == "Your care plan: time to book your next sessions"
    assert "0 sessions of the 6" in to_client.body
    (to_therapist,) = mails_to(therapist_user)
    assert to_therapist.subject == f"Care plan behind schedule: {personas.client}"
    for message in (to_client, to_therapist):
        assert behind_plan.service.name not in message.subject + message.body
    # A week later, still behind: one more nudge for the new week.
    pinned.move_to(dt.datetime(2026, 6, 8, 11, 0, tzinfo=NY))
    assert care_plans_off_track_enqueue() == 2
    assert rows(BookingMessage.CARE_PLAN_OFF_TRACK).count() == 4


def test_a_plan_back_on_track_before_sending_sends_nothing(pinned, clinic, behind_plan, personas):
    care_plans_off_track_enqueue()
    for week in range(3):
        completed_session(
            clinic,
            personas.client,
            dt.datetime(2026, 5, 12 + 7 * week, 10, tzinfo=NY),
            care_plan=behind_plan,
            plan_session_number=week + 1,
        )
    pinned.move_to(dt.datetime(2026, 6, 1, 10, 0, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    assert mail.outbox == []
    assert set(
        Notification.objects.filter(kind=BookingMessage.CARE_PLAN_OFF_TRACK).values_list(
            "status", flat=True
        )
    ) == {NotificationStatus.CANCELLED}
    assert care_plans_off_track_enqueue() == 0


def test_a_plan_on_track_or_closed_is_not_nudged(pinned, behind_plan):
    behind_plan.status = "completed"
    behind_plan.save()
    assert care_plans_off_track_enqueue() == 0


# --- outcome measure due ---------------------------------------------------------------------


# --- intake flagged --------------------------------------------------------------------------


@pytest.fixture
def flagged(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    return submit_intake(personas.client, "hold")
