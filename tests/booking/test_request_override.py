"""Deciding a clinical request: who pressed the button and which clinician approved are both kept."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from booking.board.actions import request_approve_for_clinician, request_decline
from booking.changes import appointment_request_decide
from booking.exceptions import ClinicianOnly
from booking.models import Appointment, AppointmentStatus, ClinicianTask
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


# Issue 11 changes what these asserted: front desk no longer records a clinician's say-so (an
# override); approving is the therapist's own act, and front desk routes the request instead.


@pytest.mark.parametrize("named", ["therapist", "clinic_admin", None])
def test_front_desk_cannot_approve_even_naming_a_clinician(personas, requested, named):
    appointment = requested()
    with pytest.raises(ClinicianOnly) as refused:
        request_approve_for_clinician(
            appointment=appointment,
            actor=personas.front_desk,
            approved_by=getattr(personas, named) if named else None,
        )
    assert refused.value.status_code == 403
    assert "route the request" in refused.value.message
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REQUESTED
    assert (appointment.decided_by, appointment.approved_by) == (None, None)
    assert not _decisions(appointment).exists()


def test_only_an_active_therapist_signed_in_as_themselves_approves(personas, requested):
    appointment = requested()
    not_theirs = [
        (personas.clinic_admin, None),  # an admin who is not a clinician
        (personas.other_therapist, personas.therapist),  # naming a colleague
        (TherapistUserFactory(is_active=False), None),
        (personas.client, None),
    ]
    for actor, approved_by in not_theirs:
        with pytest.raises(ClinicianOnly):
            appointment_request_decide(
                appointment=appointment, actor=actor, approve=True, approved_by=approved_by
            )
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.REQUESTED


def test_a_request_whose_time_has_passed_cannot_be_approved(personas, requested):
    appointment = requested()
    passed = time_machine.travel(appointment.starts_at + dt.timedelta(minutes=1))
    with passed, pytest.raises(ValidationFailed) as refused:
        appointment_request_decide(appointment=appointment, actor=personas.therapist, approve=True)
    assert refused.value.code == "request_time_passed"
    assert refused.value.status_code == 400
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.REQUESTED


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


def test_front_desk_asks_a_named_clinician_whose_queue_shows_the_request_to_approve(
    client, api_as, personas, requested
):
    from booking.board.actions import request_route
    from tests.booking.factories import TherapistProfileFactory

    appointment = requested()
    # Through the API, front desk cannot approve either.
    refused = api_as(personas.front_desk).post(
        f"/api/v1/appointments/{appointment.pk}/decision/", {"approve": True}
    )
    assert refused.status_code == 403
    # Only a therapist can be asked; then it is in their queue (the day view).
    with pytest.raises(ValidationFailed):
        request_route(
            appointment=appointment, clinician=personas.clinic_admin, actor=personas.front_desk
        )
    colleague = personas.other_therapist  # not the appointment's therapist
    TherapistProfileFactory(user=colleague, bookable=False)
    request_route(appointment=appointment, clinician=colleague, actor=personas.front_desk)
    client.force_login(colleague)
    queue = client.get(reverse("workspace:day")).content.decode()
    assert "Requests routed to you" in queue
    assert reverse("booking:appointment", args=[appointment.pk]) in queue
    detail = client.get(reverse("booking:appointment", args=[appointment.pk]))
    assert detail.status_code == 200
    assert "Approve request" in detail.content.decode()
    client.post(reverse("booking:appointment-decide", args=[appointment.pk]), {"approve": "1"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert (appointment.decided_by, appointment.approved_by) == (colleague, colleague)
    assert not ClinicianTask.objects.filter(appointment=appointment, resolved_at=None).exists()
    # Once decided, the request leaves their queue (and the appointment their view).
    assert "Requests routed to you" not in client.get(reverse("workspace:day")).content.decode()
