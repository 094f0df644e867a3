"""Who may open each page: anonymous → sign-in, wrong role → 403, right role → 200."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import LocationFactory
from therapists.models import Closure

from .factories import (
    CredentialFactory,
    ServiceFactory,
    ShiftFactory,
    TherapistProfileFactory,
    TimeOffFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = {Role.CLINIC_ADMIN}
SCHEDULERS = {Role.FRONT_DESK, Role.CLINIC_ADMIN}
THERAPIST = {Role.THERAPIST}

STAFF_PAGES = [
    ("therapists:manage", None, ADMIN),
    ("therapists:manage-create", None, ADMIN),
    ("therapists:manage-therapist", "profile", ADMIN),
    ("therapists:manage-edit", "profile", ADMIN),
    ("therapists:credential-create", "profile", ADMIN),
    ("therapists:credential-edit", "credential", ADMIN),
    ("therapists:credential-delete", "credential", ADMIN),
    ("therapists:training-create", "profile", ADMIN),
    ("therapists:training-verify", "training", ADMIN),
    ("therapists:shift-create", "profile", ADMIN),
    ("therapists:shift-edit", "shift", ADMIN),
    ("therapists:shift-delete", "shift", ADMIN),
    ("therapists:services", None, ADMIN),
    ("therapists:service-create", None, ADMIN),
    ("therapists:service-edit", "service", ADMIN),
    ("therapists:time-off", None, SCHEDULERS),
    ("therapists:time-off-create", None, SCHEDULERS),
    ("therapists:time-off-edit", "block", SCHEDULERS),
    ("therapists:time-off-delete", "block", SCHEDULERS),
    ("therapists:closure-create", None, SCHEDULERS),
    ("therapists:closure-delete", "closure", SCHEDULERS),
    ("therapists:me", None, THERAPIST),
    ("therapists:me-training-create", None, THERAPIST),
]


@pytest.fixture
def objects(personas):
    profile = TherapistProfileFactory(user=personas.therapist)
    return {
        "profile": profile,
        "credential": CredentialFactory(therapist=profile),
        "training": TrainingFactory(therapist=profile),
        "shift": ShiftFactory(therapist=profile),
        "service": ServiceFactory(),
        "block": TimeOffFactory(therapist=profile),
        "closure": Closure.objects.create(
            location=LocationFactory(),
            starts_at="2026-12-24T05:00Z",
            ends_at="2026-12-26T05:00Z",
            reason="Holidays",
        ),
    }


def url_for(name, arg, objects):
    return reverse(name, args=[objects[arg].pk] if arg else [])


@pytest.mark.parametrize(("name", "arg", "allowed"), STAFF_PAGES)
def test_anonymous_is_sent_to_sign_in(client, objects, name, arg, allowed):
    response = client.get(url_for(name, arg, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "arg", "allowed"), STAFF_PAGES)
@pytest.mark.parametrize("persona", ["client", "therapist", "front_desk", "clinic_admin"])
def test_role_access(client, personas, objects, name, arg, allowed, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    response = client.get(url_for(name, arg, objects))
    assert response.status_code == (200 if user.role in allowed else 403)


@pytest.mark.parametrize(
    "name",
    ["therapists:training-verify", "therapists:credential-delete", "therapists:shift-delete"],
)
@pytest.mark.parametrize("persona", ["client", "therapist", "front_desk"])
def test_wrong_role_cannot_post_changes(client, personas, objects, name, persona):
    arg = {
        "therapists:training-verify": "training",
        "therapists:credential-delete": "credential",
        "therapists:shift-delete": "shift",
    }[name]
    client.force_login(getattr(personas, persona))
    response = client.post(url_for(name, arg, objects), {"evidence": "x"})
    assert response.status_code == 403
    model = type(objects[arg])
    assert model.objects.filter(pk=objects[arg].pk).exists()
    objects["training"].refresh_from_db()
    assert not objects["training"].is_verified


def test_therapist_without_profile_gets_404_on_own_page(client, personas):
    client.force_login(personas.other_therapist)
    assert client.get(reverse("therapists:me")).status_code == 404


def test_missing_objects_are_404_for_admin(client, personas):
    client.force_login(personas.clinic_admin)
    assert client.get(reverse("therapists:manage-therapist", args=[999999])).status_code == 404
    assert client.get(reverse("therapists:shift-edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", [None, "client", "therapist", "front_desk", "clinic_admin"])
def test_public_pages_are_open(client, personas, objects, persona):
    if persona:
        client.force_login(getattr(personas, persona))
    assert client.get(reverse("therapists:directory")).status_code == 200
    assert (
        client.get(reverse("therapists:profile", args=[objects["profile"].pk])).status_code == 200
    )
