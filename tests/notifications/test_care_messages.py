"""Care plan off track, outcome measure due and intake flagged: queued once, sent without health detail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from booking.messages import care_plans_off_track_enqueue
from booking.models import CarePlan
from booking.notifications import BookingMessage
from clinic.models import Notification, NotificationStatus
from intake import services as intake_services
from intake.messages import IntakeMessage
from intake.models import OutcomeInstrument, StaffAlert
from tests.booking.factories import AppointmentFactory
from tests.notifications.conftest import run_dispatch
from workspace.messages import outcomes_due_enqueue
from workspace.notifications import WorkspaceMessage

pytestmark = pytest.mark.django_db
NY = dt.timezone(dt.timedelta(hours=-4))


def rows(kind: str):
    return Notification.objects.filter(kind=kind).exclude(status=NotificationStatus.CANCELLED)


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def completed_session(clinic, client, start: dt.datetime, **extra):
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


def test_an_outcome_measure_due_after_a_session_asks_for_a_check_in_once(pinned, clinic, personas):
    completed_session(clinic, personas.client, dt.datetime(2026, 5, 31, 10, tzinfo=NY))
    assert outcomes_due_enqueue() == 1
    assert outcomes_due_enqueue() == 1  # same key: the unique row is kept, no second one
    (row,) = rows(WorkspaceMessage.OUTCOME_DUE)
    assert row.due_at == dt.datetime(2026, 6, 2, 10, tzinfo=NY)  # two days on, 10:00 local
    pinned.move_to(row.due_at)
    mail.outbox.clear()
    run_dispatch()
    (message,) = mails_to(personas.client)
    assert message.subject == "A check-in is due"
    assert reverse("intake:my-outcomes") in message.body
    # Neither the instrument nor anything hinting at a condition is in the message.
    for instrument in OutcomeInstrument.objects.all():
        assert instrument.name not in message.body
        assert instrument.code.upper() not in message.body + message.subject


def test_nothing_due_at_send_time_cancels_the_reminder(pinned, clinic, personas):
    completed_session(clinic, personas.client, dt.datetime(2026, 5, 31, 10, tzinfo=NY))
    outcomes_due_enqueue()
    OutcomeInstrument.objects.update(use_at_intake=False, use_at_review=False)
    pinned.move_to(dt.datetime(2026, 6, 2, 10, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    assert mails_to(personas.client) == []
    assert Notification.objects.get(kind=WorkspaceMessage.OUTCOME_DUE).status == "cancelled"
    assert outcomes_due_enqueue() == 0


# --- intake flagged --------------------------------------------------------------------------


@pytest.fixture
def flagged(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    return submit_intake(personas.client, "hold")


def test_a_flagged_intake_emails_its_therapists_and_admins_a_link_only(flagged, personas):
    alert = StaffAlert.objects.get(client=personas.client)
    queued = rows(IntakeMessage.INTAKE_FLAGGED)
    # Not the other therapist (not theirs), not the front desk (never reads intakes).
    assert set(queued.values_list("recipient", flat=True)) == {
        personas.therapist.pk,
        personas.clinic_admin.pk,
    }
    assert {(r.subject_id, r.channel) for r in queued} == {(alert.pk, "email")}
    mail.outbox.clear()
    run_dispatch()
    review_url = reverse("intake:review-detail", args=[flagged.pk])
    for user in (personas.therapist, personas.clinic_admin):
        (message,) = mails_to(user)
        assert message.subject == "An intake needs your review"
        assert f"{review_url} " in message.body or f"{review_url}\n" in message.body
        text = message.subject + message.body + message.alternatives[0][0]
        assert personas.client.first_name not in text
        assert "List-Unsubscribe" not in message.extra_headers  # a safety alert has no opt-out
        for answer in flagged.answers.values():
            if isinstance(answer, str) and len(answer) > 3:
                assert answer not in text
    assert mails_to(personas.other_therapist) == []
    assert mails_to(personas.front_desk) == []


def test_a_rolled_back_intake_submission_queues_no_alert(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    seen_inside = []

    def failing_request():
        with transaction.atomic():
            submit_intake(personas.client, "hold")
            seen_inside.append(rows(IntakeMessage.INTAKE_FLAGGED).count())
            raise RuntimeError("the request failed after the submit")

    with pytest.raises(RuntimeError):
        failing_request()
    assert seen_inside == [2]  # queued inside the submit's transaction...
    assert not StaffAlert.objects.exists()  # ...and gone with it
    assert not Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).exists()


def test_an_alert_resolved_before_sending_is_not_sent(flagged, personas):
    intake_services.review_decide(
        reviewer=personas.therapist, response_id=flagged.pk, action="cleared", note="Spoke to them."
    )
    mail.outbox.clear()
    run_dispatch()
    assert [m for m in mail.outbox if m.subject == "An intake needs your review"] == []
    assert set(
        Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).values_list(
            "status", flat=True
        )
    ) == {NotificationStatus.CANCELLED}


def test_a_clear_intake_alerts_nobody(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    submit_intake(personas.client, "clear")
    assert not Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).exists()
