"""Training verification and what a therapist may change about themselves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.exceptions import ValidationFailed
from therapists import services

from .factories import TherapistProfileFactory, TrainingFactory, language

pytestmark = pytest.mark.django_db


def test_clinic_admin_verifies_training_with_evidence(personas):
    training = TrainingFactory()
    services.training_verify(
        training=training, verifier=personas.clinic_admin, evidence=" cert 12 "
    )
    training.refresh_from_db()
    assert training.is_verified
    assert training.verified_by == personas.clinic_admin
    assert training.evidence == "cert 12"


def test_verification_needs_evidence(personas):
    training = TrainingFactory()
    with pytest.raises(ValidationFailed, match="checked against"):
        services.training_verify(training=training, verifier=personas.clinic_admin, evidence=" ")
    training.refresh_from_db()
    assert not training.is_verified


def test_therapist_cannot_verify_own_training_in_the_service(personas):
    profile = TherapistProfileFactory(user=personas.therapist)
    training = TrainingFactory(therapist=profile)
    with pytest.raises(ValidationFailed):
        services.training_verify(training=training, verifier=personas.therapist, evidence="me")
    training.refresh_from_db()
    assert not training.is_verified


def test_verifier_who_is_the_trainee_is_refused_even_as_admin(personas):
    # Roles can change: a user once a therapist and now an admin still cannot verify themself.
    profile = TherapistProfileFactory(user=personas.therapist)
    training = TrainingFactory(therapist=profile)
    personas.therapist.role = "clinic_admin"
    with pytest.raises(ValidationFailed, match="your own"):
        services.training_verify(training=training, verifier=personas.therapist, evidence="x")


def test_therapist_cannot_verify_own_training_on_the_page(client, personas):
    profile = TherapistProfileFactory(user=personas.therapist)
    training = TrainingFactory(therapist=profile)
    client.force_login(personas.therapist)
    response = client.post(
        reverse("therapists:training-verify", args=[training.pk]), {"evidence": "x"}
    )
    assert response.status_code == 403
    training.refresh_from_db()
    assert not training.is_verified


def test_training_added_by_therapist_starts_unverified(client, personas):
    profile = TherapistProfileFactory(user=personas.therapist)
    client.force_login(personas.therapist)
    response = client.post(
        reverse("therapists:me-training-create"),
        {
            "course": "MFR I",
            "approach_or_provider": "JFB",
            "level": "I",
            "completed_on": "2025-05-01",
            "verified_by": personas.therapist.pk,
            "verified_at": "2025-05-01T10:00",
        },
    )
    assert response.status_code == 302
    training = profile.trainings.get()
    assert not training.is_verified


def test_therapist_edits_own_bio_and_languages_only(client, personas):
    profile = TherapistProfileFactory(
        user=personas.therapist, display_name="Theo", max_sessions_per_day=6
    )
    client.force_login(personas.therapist)
    response = client.post(
        reverse("therapists:me"),
        {
            "pronouns": "he/him",
            "bio": "New bio",
            "languages": [language("nl").pk],
            "display_name": "Hacked",
            "max_sessions_per_day": 20,
            "is_active": "",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.bio, profile.pronouns) == ("New bio", "he/him")
    assert list(profile.languages.values_list("code", flat=True)) == ["nl"]
    assert (profile.display_name, profile.max_sessions_per_day, profile.is_active) == (
        "Theo",
        6,
        True,
    )


def test_update_own_refuses_other_fields_and_other_profiles(personas):
    mine = TherapistProfileFactory(user=personas.therapist)
    theirs = TherapistProfileFactory(user=personas.other_therapist)
    with pytest.raises(ValidationFailed):
        services.therapist_profile_update_own(
            profile=mine, actor=personas.therapist, is_active=False
        )
    with pytest.raises(ValidationFailed):
        services.therapist_profile_update_own(profile=theirs, actor=personas.therapist, bio="x")


def test_profile_only_for_therapist_users(personas):
    with pytest.raises(ValidationFailed):
        services.therapist_profile_create(user=personas.client, display_name="Nope")
    profile = services.therapist_profile_create(user=personas.therapist, display_name="Theo")
    assert profile.user == personas.therapist


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def test_therapist_uploads_photo_and_a_non_image_is_refused(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    profile = TherapistProfileFactory(user=personas.therapist)
    client.force_login(personas.therapist)
    url = reverse("therapists:me")

    bad = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    response = client.post(url, {"bio": "x", "photo": bad})
    assert response.status_code == 400
    assert "photo" in response.context["form"].errors

    good = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    assert client.post(url, {"bio": "x", "photo": good}).status_code == 302
    profile.refresh_from_db()
    assert profile.photo.name.startswith("therapists/photos/")

    # Saving again without a new file keeps the photo.
    assert client.post(url, {"bio": "y"}).status_code == 302
    profile.refresh_from_db()
    assert profile.photo
