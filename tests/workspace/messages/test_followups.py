"""Day-1 self-care plan content and the therapist digest across locations in two zones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.scheduling import appointment_book, appointment_complete
from clinic.models import AuditEvent, ClientProfile, Notification
from tests.outbox import run_dispatch
from workspace import selfcare
from workspace.models import Exercise
from workspace.notifications import WorkspaceMessage, followups_enqueue

pytestmark = pytest.mark.django_db
NY = dt.timezone(dt.timedelta(hours=-4))
DAY1_SUBJECT = "Your self-care plan after your session"


@pytest.fixture
def completed(pinned, clinic, personas):
    _location, service, therapist = clinic
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 2, 10, tzinfo=NY),
        actor=personas.client,
    )
    pinned.move_to(appointment.ends_at)
    appointment = appointment_complete(appointment=appointment, actor=personas.clinic_admin)
    followups_enqueue(appointment)  # idempotent if completing queued them
    return appointment


def assign(appointment, django_capture_on_commit_callbacks, *slugs: str):
    with django_capture_on_commit_callbacks(execute=True):
        return selfcare.selfcare_plan_assign(
            appointment=appointment,
            actor=appointment.therapist.user,
            items=[{"exercise": Exercise.objects.get(slug=slug)} for slug in slugs],
            message="Gently, and never into sharp pain.",
        )


def day1_mails() -> list:
    return [m for m in mail.outbox if m.subject == DAY1_SUBJECT]


def test_day1_sends_the_assigned_plan_with_instructions_and_precautions(
    pinned, completed, django_capture_on_commit_callbacks
):
    plan = assign(completed, django_capture_on_commit_callbacks, "foam-roller-thoracic")
    # The day-1 row was still pending, so assigning queued nothing extra.
    assert Notification.objects.filter(kind=WorkspaceMessage.FOLLOWUP_DAY1).count() == 1
    pinned.move_to(dt.datetime(2026, 6, 3, 10, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    (message,) = day1_mails()
    exercise = Exercise.objects.get(slug="foam-roller-thoracic")
    for text in (message.body, message.alternatives[0][0]):
        assert exercise.name in text
        assert exercise.instructions.split(".")[0] in text
        assert "Gently, and never into sharp pain." in text
        assert selfcare.general_precautions()[0] in text
    assert exercise.name not in message.subject
    assert AuditEvent.objects.filter(
        object_type="workspace.SelfCarePlan", object_id=str(plan.pk), action="export"
    ).exists()


def test_without_a_plan_day1_points_to_the_account(pinned, completed):
    pinned.move_to(dt.datetime(2026, 6, 3, 10, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    (message,) = day1_mails()
    assert "Your self-care plan from your therapist is in your account" in message.body


def test_a_plan_assigned_after_day1_went_out_is_sent_then(
    pinned, completed, django_capture_on_commit_callbacks
):
    pinned.move_to(dt.datetime(2026, 6, 3, 10, tzinfo=NY))
    run_dispatch()
    mail.outbox.clear()
    pinned.move_to(dt.datetime(2026, 6, 3, 15, tzinfo=NY))
    assign(completed, django_capture_on_commit_callbacks, "foam-roller-thigh-side")
    run_dispatch()
    (message,) = day1_mails()
    assert Exercise.objects.get(slug="foam-roller-thigh-side").name in message.body
    # Assigning again (a replacement) sends the new plan once more, not the old one.
    mail.outbox.clear()
    pinned.shift(dt.timedelta(minutes=5))
    assign(completed, django_capture_on_commit_callbacks, "foam-roller-thoracic")
    run_dispatch()
    (message,) = day1_mails()
    assert Exercise.objects.get(slug="foam-roller-thoracic").name in message.body
    assert Exercise.objects.get(slug="foam-roller-thigh-side").name not in message.body


def test_a_dutch_client_gets_the_plan_in_dutch(
    pinned, completed, personas, django_capture_on_commit_callbacks
):
    ClientProfile.objects.filter(user=personas.client).update(preferred_language="nl")
    assign(completed, django_capture_on_commit_callbacks, "foam-roller-thoracic")
    pinned.move_to(dt.datetime(2026, 6, 3, 10, tzinfo=NY))
    mail.outbox.clear()
    run_dispatch()
    (message,) = [m for m in mail.outbox if m.to == [personas.client.email]]
    for text in (message.body, message.alternatives[0][0]):
        assert "Foamroller: bovenrug" in text
        assert "Ga op uw rug liggen met de roller" in text
        assert "Stop en neem contact op met de praktijk" in text
        assert "Foam roller: upper back" not in text
