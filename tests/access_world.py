"""The objects the access matrix asks for: every id in a route points at something of client A's,
treated by the treating therapist (tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from booking.models import (
    Appointment,
    AppointmentStatus,
    CarePlan,
    WaitlistEntry,
    WaitlistOffer,
)
from clinic.accounts import staff_invite
from clinic.models import Notification, Role
from intake import services as intake_services
from intake.demo import scenario_answers
from tests.booking.factories import (
    AppointmentFactory,
    ServiceFactory,
    TherapistProfileFactory,
    open_every_day,
    work_every_day,
)
from tests.factories import LocationFactory, RoomFactory
from tests.therapists.factories import CredentialFactory, TimeOffFactory, TrainingFactory
from therapists.models import Closure, Shift

PERSONAS = (
    "anonymous",
    "client_a",
    "client_b",
    "treating_therapist",
    "other_therapist",
    "front_desk",
    "clinic_admin",
)


def sign_in(client: Client, user: Any) -> Client:
    """Sign ``user`` in on ``client`` as they would be after a complete sign-in.

    The one place the matrix signs anybody in: a second factor, once staff need one, is
    marked as verified here.
    """
    client.force_login(user)
    return client


@dataclass
class World:
    users: dict[str, Any]
    kwargs: dict[str, Any]


def build_world(personas: Any) -> World:
    """Client A's records with the treating therapist; client B and the other therapist are
    outsiders to all of them."""
    client_a, therapist = personas.client, personas.therapist
    location = LocationFactory(slug="matrix", time_zone="America/New_York")
    room = RoomFactory(location=location, name="Room A")
    open_every_day(location, dt.time(7, 0), dt.time(20, 0))
    service = ServiceFactory(locations=[location])
    profile = TherapistProfileFactory(user=therapist, locations=[location])
    other = TherapistProfileFactory(user=personas.other_therapist, locations=[location])
    for p in (profile, other):
        work_every_day(p, location, dt.time(8, 0), dt.time(18, 0))
    shift = Shift.objects.filter(therapist=profile).first()
    credential = CredentialFactory(therapist=profile)
    training = TrainingFactory(therapist=profile)
    time_off = TimeOffFactory(therapist=profile)
    start = timezone.now() + dt.timedelta(days=30)
    closure = Closure.objects.create(
        location=location, starts_at=start, ends_at=start + dt.timedelta(hours=2), reason="Drill"
    )

    intake_services.intake_start(client=client_a)
    intake_services.intake_save_answers(client=client_a, answers=scenario_answers("clear"))
    response = intake_services.intake_submit(client=client_a)

    appointment: Appointment = AppointmentFactory(
        client=client_a,
        therapist=profile,
        service=service,
        location=location,
        room=room,
        status=AppointmentStatus.CHECKED_IN,
        starts_at=timezone.now() - dt.timedelta(minutes=30),
    )
    plan = CarePlan.objects.create(
        client=client_a,
        therapist=profile,
        service=service,
        sessions_per_week=1,
        weeks=4,
        starts_on=timezone.localdate() + dt.timedelta(days=7),
    )
    entry = WaitlistEntry.objects.create(client=client_a, service=service, therapist=profile)
    offer_start = timezone.now() + dt.timedelta(days=2)
    offer = WaitlistOffer.objects.create(
        entry=entry,
        therapist=profile,
        location=location,
        starts_at=offer_start,
        ends_at=offer_start + dt.timedelta(hours=1),
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    invitation, _token = staff_invite(
        invited_by=personas.clinic_admin,
        email="new-staff@example.test",
        first_name="Nina",
        role=Role.FRONT_DESK,
    )
    notification = Notification.objects.create(
        kind="confirmation",
        subject_type=ContentType.objects.get_for_model(Appointment),
        subject_id=appointment.pk,
        recipient=client_a,
        channel="email",
        due_at=timezone.now(),
    )
    users = {
        "anonymous": None,
        "client_a": client_a,
        "client_b": personas.other_client,
        "treating_therapist": therapist,
        "other_therapist": personas.other_therapist,
        "front_desk": personas.front_desk,
        "clinic_admin": personas.clinic_admin,
    }
    kwargs = {
        "therapist": profile.pk,
        "credential": credential.pk,
        "training": training.pk,
        "shift": shift.pk if shift else 0,
        "time_off": time_off.pk,
        "closure": closure.pk,
        "service": service.pk,
        "location": location.slug,
        "room": room.pk,
        "invitation": invitation.pk,
        "intake_response": response.pk,
        "appointment": appointment.pk,
        "care_plan": plan.pk,
        "waitlist_entry": entry.pk,
        "waitlist_offer": offer.pk,
        "notification": notification.pk,
        "client_a": client_a.pk,
    }
    return World(users=users, kwargs=kwargs)
