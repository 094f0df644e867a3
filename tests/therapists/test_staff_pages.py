"""Staff pages do what they say, and bad input becomes a form error, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import LocationFactory
from therapists.models import Closure, Credential, Service, Shift, TimeOff

from .factories import ShiftFactory, TherapistProfileFactory, TrainingFactory, modality

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.clinic_admin)
    return client


def test_admin_creates_profile_for_therapist_user(admin_client, personas):
    location = LocationFactory()
    response = admin_client.post(
        reverse("therapists:manage-create"),
        {
            "user": personas.therapist.pk,
            "display_name": "Theo Lane",
            "gender": "man",
            "locations": [location.pk],
            "max_sessions_per_day": 6,
            "accepting_new_clients": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    profile = personas.therapist.therapist_profile
    assert profile.display_name == "Theo Lane"
    assert list(profile.locations.all()) == [location]


def test_create_profile_refuses_non_therapist_user(admin_client, personas):
    response = admin_client.post(
        reverse("therapists:manage-create"),
        {
            "user": personas.client.pk,
            "display_name": "Nope",
            "gender": "man",
            "max_sessions_per_day": 6,
        },
    )
    assert response.status_code == 400
    assert "user" in response.context["form"].errors


def test_admin_verifies_training_on_the_page(admin_client, personas):
    training = TrainingFactory()
    response = admin_client.post(
        reverse("therapists:training-verify", args=[training.pk]), {"evidence": "Certificate 881"}
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.verified_by == personas.clinic_admin
    assert training.evidence == "Certificate 881"

    admin_client.post(reverse("therapists:training-unverify", args=[training.pk]))
    training.refresh_from_db()
    assert not training.is_verified


def test_overlapping_shift_on_the_page_shows_the_conflict(admin_client):
    existing = ShiftFactory(location=LocationFactory(name="Troy", slug="troy"))
    other = LocationFactory(name="Clifton Park", slug="clifton-park")
    response = admin_client.post(
        reverse("therapists:shift-create", args=[existing.therapist_id]),
        {
            "location": other.pk,
            "weekday": 1,
            "starts_at": "10:00",
            "ends_at": "12:00",
            "effective_from": "2026-03-02",
        },
    )
    assert response.status_code == 400
    assert "overlaps Tue 09:00\u201313:00 at Troy from 2026-01-05" in response.content.decode()
    assert Shift.objects.count() == 1


def test_admin_adds_credential_and_duplicate_is_a_form_error(admin_client):
    therapist = TherapistProfileFactory()
    data = {
        "kind": "LMT",
        "licence_number": "LMT-1",
        "jurisdiction": "NY",
        "expires_on": "2027-01-31",
    }
    url = reverse("therapists:credential-create", args=[therapist.pk])
    assert admin_client.post(url, data).status_code == 302
    assert admin_client.post(url, data).status_code == 400
    assert Credential.objects.count() == 1


def test_admin_creates_service(admin_client):
    location = LocationFactory()
    response = admin_client.post(
        reverse("therapists:service-create"),
        {
            "name": "MFR session",
            "slug": "mfr-session",
            "description": "60 min",
            "kind": "follow_up",
            "duration_minutes": 60,
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 15,
            "price": "130.00",
            "required_modality": modality("manual-mfr").pk,
            "locations": [location.pk],
            "bookable_online": "on",
            "is_active": "on",
            "sort_order": 10,
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(slug="mfr-session")
    assert service.blocked_minutes == 75


def test_negative_price_is_a_form_error(admin_client):
    response = admin_client.post(
        reverse("therapists:service-create"),
        {
            "name": "X",
            "slug": "x",
            "kind": "follow_up",
            "duration_minutes": 60,
            "buffer_before_minutes": 0,
            "buffer_after_minutes": 0,
            "price": "-1",
            "sort_order": 1,
        },
    )
    assert response.status_code == 400
    assert "price" in response.context["form"].errors


def test_front_desk_adds_time_off_and_closure(client, personas):
    therapist = TherapistProfileFactory()
    location = LocationFactory()
    client.force_login(personas.front_desk)
    response = client.post(
        reverse("therapists:time-off-create"),
        {
            "therapist": therapist.pk,
            "starts_at": "2026-08-03T09:00",
            "ends_at": "2026-08-07T17:00",
            "kind": "course",
            "reason": "MFR II seminar",
        },
    )
    assert response.status_code == 302
    assert TimeOff.objects.get().kind == "course"

    response = client.post(
        reverse("therapists:closure-create"),
        {
            "location": location.pk,
            "starts_on": "2026-12-25",
            "ends_on": "2026-12-26",
            "reason": "Holidays",
        },
    )
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert closure.ends_at - closure.starts_at == dt.timedelta(days=2)


def test_time_off_ending_before_start_is_a_form_error(client, personas):
    therapist = TherapistProfileFactory()
    client.force_login(personas.front_desk)
    response = client.post(
        reverse("therapists:time-off-create"),
        {
            "therapist": therapist.pk,
            "starts_at": "2026-08-07T09:00",
            "ends_at": "2026-08-03T17:00",
            "kind": "vacation",
        },
    )
    assert response.status_code == 400
    assert not TimeOff.objects.exists()


def test_time_off_and_its_changes_are_confirmed(client, personas):
    therapist = TherapistProfileFactory()
    client.force_login(personas.front_desk)
    data = {
        "therapist": therapist.pk,
        "starts_at": "2026-08-03T09:00",
        "ends_at": "2026-08-07T17:00",
        "kind": "course",
        "reason": "MFR II seminar",
    }
    page = client.post(reverse("therapists:time-off-create"), data, follow=True)
    assert "Time off added." in page.content.decode()
    row = TimeOff.objects.get()
    page = client.post(
        reverse("therapists:time-off-edit", args=[row.pk]),
        {**data, "reason": "Seminar"},
        follow=True,
    )
    assert "Time off saved." in page.content.decode()
