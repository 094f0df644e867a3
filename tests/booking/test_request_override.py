"""Deciding a clinical request: who pressed the button and which clinician approved are both kept."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from booking.board.actions import request_approve_for_clinician, request_decline
from booking.changes import appointment_request_decide
from booking.models import Appointment, AppointmentStatus
from clinic.exceptions import ValidationFailed
from clinic.models import AuditEvent
from tests.booking.factories import AppointmentFactory, clinic_setup
from tests.factories import TherapistUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(personas: Any) -> Any:
    """A requested appointment of the client, waiting for a clinician's decision."""
    location, service, (profile,) = clinic_setup()
    hours = iter(range(1, 100))

    def make(**extra: Any) -> Appointment:
        extra.setdefault("status", AppointmentStatus.REQUESTED)
        return AppointmentFactory(
            client=personas.client, therapist=profile, service=service, location=location,
            room=location.rooms.first(),
            starts_at=timezone.now() + dt.timedelta(days=3, hours=2 * next(hours)), **extra,
        )  # fmt: skip

    return make


def _decisions(appointment: Appointment) -> Any:
    return AuditEvent.objects.filter(
        object_type="booking.Appointment", object_id=str(appointment.pk)
    )


def test_override_records_front_desk_as_actor_and_the_clinician_as_approver(personas, requested):
    appointment = requested()
    approved = request_approve_for_clinician(
        appointment=appointment, actor=personas.front_desk, approved_by=personas.therapist
    )
    approved.refresh_from_db()
    assert approved.status == AppointmentStatus.BOOKED
    assert (approved.decided_by, approved.approved_by) == (personas.front_desk, personas.therapist)
    assert approved.decided_at is not None
    (event,) = _decisions(appointment)
    assert (event.actor, event.actor_role, event.action, event.subject) == (
        personas.front_desk, "front_desk", "decide", personas.client,
    )  # fmt: skip
    assert event.detail.startswith("override: request approved")
    assert f"clinician #{personas.therapist.pk} {personas.therapist.email}" in event.detail


def test_the_domain_function_takes_the_approver_apart_from_the_actor(personas, requested):
    appointment = appointment_request_decide(
        appointment=requested(),
        actor=personas.front_desk,
        approve=True,
        approved_by=personas.clinic_admin,
    )
    assert (appointment.decided_by, appointment.approved_by) == (
        personas.front_desk, personas.clinic_admin,
    )  # fmt: skip
    assert _decisions(appointment).get().actor == personas.front_desk


def test_override_without_a_clinician_is_refused_and_changes_nothing(personas, requested):
    appointment = requested()
    attempts = [
        lambda: appointment_request_decide(
            appointment=appointment, actor=personas.front_desk, approve=True
        ),
        lambda: request_approve_for_clinician(
            appointment=appointment, actor=personas.front_desk, approved_by=None
        ),
        lambda: appointment_request_decide(
            appointment=appointment,
            actor=personas.front_desk,
            approve=True,
            approved_by=personas.front_desk,
        ),
        lambda: appointment_request_decide(
            appointment=appointment,
            actor=personas.front_desk,
            approve=True,
            approved_by=personas.client,
        ),
        lambda: appointment_request_decide(
            appointment=appointment,
            actor=personas.front_desk,
            approve=True,
            approved_by=TherapistUserFactory(is_active=False),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert "approved_by" in refused.value.extra["fields"]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REQUESTED
    assert (appointment.decided_by, appointment.approved_by) == (None, None)
    assert not _decisions(appointment).exists()


def test_a_clinician_approving_is_both_actor_and_approver(personas, requested):
    appointment = appointment_request_decide(
        appointment=requested(), actor=personas.therapist, approve=True
    )
    assert (appointment.decided_by, appointment.approved_by) == (
        personas.therapist, personas.therapist,
    )  # fmt: skip
    event = _decisions(appointment).get()
    assert (event.actor, event.detail) == (personas.therapist, "request: approved")


def test_a_decline_names_no_approver_and_cannot_be_given_one(personas, requested):
    appointment = requested()
    with pytest.raises(ValidationFailed):
        appointment_request_decide(
            appointment=appointment, actor=personas.front_desk, approve=False,
            approved_by=personas.therapist,
        )  # fmt: skip
    declined = request_decline(
        appointment=appointment, actor=personas.front_desk, reason="Client withdrew"
    )
    assert declined.status == AppointmentStatus.CANCELLED
    assert (declined.decided_by, declined.approved_by) == (personas.front_desk, None)
    assert _decisions(appointment).get().detail == "request: declined"


def test_migration_names_the_clinician_on_earlier_approvals_only(personas, requested):
    migration = importlib.import_module(
        "booking.migrations.0003_appointment_approved_by_alter_appointment_decided_by"
    )
    now = timezone.now()
    approved = requested(status=AppointmentStatus.BOOKED, decided_by=personas.therapist,
                         decided_at=now)  # fmt: skip
    declined = requested(status=AppointmentStatus.CANCELLED, decided_by=personas.therapist,
                         decided_at=now, cancelled_at=now)  # fmt: skip
    later_cancelled = requested(status=AppointmentStatus.CANCELLED, decided_by=personas.therapist,
                                decided_at=now, cancelled_at=now + dt.timedelta(days=1))  # fmt: skip
    untouched = requested()
    migration.approvals_name_their_clinician(apps, None)
    found = dict(
        Appointment.objects.filter(
            pk__in=[approved.pk, declined.pk, later_cancelled.pk, untouched.pk]
        ).values_list("pk", "approved_by")
    )
    assert found == {
        approved.pk: personas.therapist.pk,
        declined.pk: None,
        later_cancelled.pk: personas.therapist.pk,
        untouched.pk: None,
    }
