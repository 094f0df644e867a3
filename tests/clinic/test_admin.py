"""Django admin: clinic models are registered; the audit trail cannot be changed there."""

from __future__ import annotations

import pytest
from django.contrib import admin

from clinic.audit import audit_record
from clinic.models import (
    AuditAction,
    AuditEvent,
    ClientProfile,
    ClinicPolicy,
    Location,
    Room,
    StaffInvitation,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", [User, ClientProfile, Location, Room, ClinicPolicy, StaffInvitation, AuditEvent]
)
def test_clinic_models_are_registered(model):
    assert admin.site.is_registered(model)


def test_audit_events_are_read_only_in_admin(client, personas):
    event = audit_record(
        actor=personas.therapist,
        action=AuditAction.VIEW,
        target=personas.client.client_profile,
        subject=personas.client,
    )
    client.force_login(personas.clinic_admin)

    assert client.get("/admin/clinic/auditevent/").status_code == 200
    page = client.get(f"/admin/clinic/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="actor_email"' not in page.content
    assert client.get("/admin/clinic/auditevent/add/").status_code == 403
    assert (
        client.post(f"/admin/clinic/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        f"/admin/clinic/auditevent/{event.pk}/change/", {"actor_email": "someone@else.test"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.actor_email == personas.therapist.email


def test_clinic_admin_sees_admin_index_but_other_roles_do_not(client, personas):
    client.force_login(personas.clinic_admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/clinic/location/").status_code == 200
    for user in (personas.client, personas.therapist, personas.front_desk):
        client.force_login(user)
        assert client.get("/admin/").status_code == 302


def test_admin_adds_a_user_with_a_lowercased_email(client, personas):
    client.force_login(personas.clinic_admin)
    password = "a mild Tuesday fascia 42"
    response = client.post(
        "/admin/clinic/user/add/",
        {
            "email": "New.Desk@Example.test",
            "first_name": "Nell",
            "role": "front_desk",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.desk@example.test")
    assert user.role == "front_desk"
    assert user.check_password(password)
