"""The demo clinic: idempotent seeding, and every printed login works."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.http import HttpRequest

from booking.models import Appointment, AppointmentStatus, CarePlan, WaitlistEntry
from clinic import demo
from clinic.models import (
    ClientProfile,
    ClinicPolicy,
    ConsentKind,
    ConsentText,
    Location,
    Notification,
    OpeningHours,
    Role,
    Room,
    User,
)
from intake.models import IntakeResponse, OutcomeResponse
from tests.mfa import verify_after_password
from workspace.models import SelfCarePlan, SessionNote, SessionNoteAddendum
from workspace.notifications import WorkspaceMessage

pytestmark = pytest.mark.django_db

MODELS = (
    User, ClientProfile, Location, Room, OpeningHours, ConsentText, ClinicPolicy,
    IntakeResponse, OutcomeResponse, Appointment, CarePlan, WaitlistEntry,
    SessionNote, SessionNoteAddendum, SelfCarePlan, Notification,
)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_gives_the_same_data_and_every_login_works(client):
    seed()
    first = counts()
    output = seed()

    assert counts() == first
    assert first["Appointment"] > 30
    assert first["Location"] == 2
    assert first["ClinicPolicy"] == 1
    assert first["ConsentText"] == len(ConsentKind)
    for _role, email in demo.demo_logins():
        assert email in output
        user = authenticate(HttpRequest(), username=email.upper(), password="unwind-demo")
        assert user is not None, email
        assert user.email_verified_at is not None
    assert client.login(
        request=HttpRequest(), username="client1@demo.unwind.test", password="unwind-demo"
    )


def test_demo_clinic_contents():
    seed()

    clifton, troy = Location.objects.get(slug="clifton-park"), Location.objects.get(slug="troy")
    assert (clifton.rooms.count(), troy.rooms.count()) == (3, 2)
    assert {clifton.time_zone, troy.time_zone} == {"America/New_York"}
    hours = {(h.weekday, h.opens.hour, h.closes.hour) for h in troy.opening_hours.all()}
    assert hours == {(d, 8, 19) for d in range(5)} | {(5, 9, 13)}
    admin = User.objects.get(email="admin@demo.unwind.test")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.CLINIC_ADMIN, True, True)
    assert User.objects.get(email="frontdesk@demo.unwind.test").role == Role.FRONT_DESK
    clients = User.objects.filter(email__regex=r"^client\d+@demo\.unwind\.test$")
    assert clients.count() == 20
    assert all(c.role == Role.CLIENT for c in clients)
    profiles = ClientProfile.objects.filter(user__in=clients)
    assert profiles.count() == 20
    assert profiles.filter(preferred_language="nl").exists()
    assert profiles.values("preferred_language").distinct().count() >= 3


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    output = seed()
    assert "another-demo-pass" in output
    assert authenticate(
        HttpRequest(), username="frontdesk@demo.unwind.test", password="another-demo-pass"
    )


def test_rerun_restores_a_changed_demo_password():
    seed()
    user = User.objects.get(email="client3@demo.unwind.test")
    user.set_password("something else 1234")
    user.save()
    seed()
    assert authenticate(HttpRequest(), username="client3@demo.unwind.test", password="unwind-demo")


def test_every_demo_account_signs_in_and_reaches_its_role_home(client):
    seed()
    homes = {
        Role.CLIENT: "/client/",
        Role.THERAPIST: "/therapist/",
        Role.FRONT_DESK: "/front-desk/",
        Role.CLINIC_ADMIN: "/clinic-admin/",
    }
    users = list(User.objects.filter(email__endswith="@demo.unwind.test"))
    assert {u.role for u in users} >= {Role.CLIENT, Role.FRONT_DESK, Role.CLINIC_ADMIN}

    for user in users:
        response = client.post(
            "/accounts/login/", {"username": user.email, "password": "unwind-demo"}, follow=True
        )
        if user.is_clinic_staff:
            # Staff then enter a code from the authenticator the demo gave them.
            response = verify_after_password(client, user, response)
        assert response.status_code == 200, user.email
        assert response.redirect_chain[-1][0] == homes[user.role], user.email
        client.logout()


def test_demo_history_goes_through_the_domain_and_obeys_its_rules():
    # Thursday 4 June 2026, 15:00 in New York: the board day is half done.
    with time_machine.travel(dt.datetime(2026, 6, 4, 19, 0, tzinfo=dt.UTC), tick=False):
        seed()
        now = dt.datetime.now(tz=dt.UTC)
        today = now.astimezone(Location.objects.first().zone).date()

        appointments = Appointment.objects.select_related("therapist", "service", "client")
        # Booked by a person through appointment_book, never written behind its back.
        assert not appointments.filter(created_by__isnull=True).exists()
        for appointment in appointments:
            assert appointment.created_at <= appointment.starts_at
            assert appointment.therapist.modalities.filter(
                pk=appointment.service.required_modality_id
            ).exists()
        assert appointments.filter(starts_at__lt=now, status=AppointmentStatus.COMPLETED).exists()
        assert appointments.filter(status=AppointmentStatus.NO_SHOW).exists()
        assert appointments.filter(starts_at__gt=now, status=AppointmentStatus.BOOKED).exists()
        assert not appointments.filter(starts_at__gt=now, status=AppointmentStatus.COMPLETED)
        board = [a for a in appointments if a.starts_at.astimezone(dt.UTC).date() == today]
        assert {a.status for a in board} >= {AppointmentStatus.COMPLETED}
        (request,) = appointments.filter(status=AppointmentStatus.REQUESTED)
        assert request.client.email == demo.client_email(11)

        notes = SessionNote.objects.select_related("appointment")
        assert notes.count() >= 6
        for note in notes:  # signed as the session ended, which completed it
            assert note.signed_at == note.appointment.ends_at
            assert note.appointment.status == AppointmentStatus.COMPLETED
        assert SessionNoteAddendum.objects.exists()
        assert SelfCarePlan.objects.filter(replaced_at__isnull=True).count() >= 6

        # History sends nothing stale: no follow-up was due more than a day ago.
        followups = Notification.objects.filter(kind__startswith="followup_")
        assert followups.exists()
        assert not followups.filter(due_at__lt=now - dt.timedelta(days=1)).exists()
        assert not Notification.objects.filter(due_at__lt=now - dt.timedelta(days=1)).exists()
        assert WorkspaceMessage.FOLLOWUP_DAY1 in set(followups.values_list("kind", flat=True))
