"""Trained in MFR, licensed, bookable: the rules booking relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from therapists.models import Condition, Modality, TherapistProfile
from therapists.selectors import credentials_expiring, therapist_is_bookable

from .factories import (
    CredentialFactory,
    TherapistProfileFactory,
    TrainingFactory,
    bookable_therapist,
)

pytestmark = pytest.mark.django_db


def test_unverified_training_does_not_count_as_trained_in_mfr():
    profile = TherapistProfileFactory()
    CredentialFactory(therapist=profile)
    TrainingFactory(therapist=profile)  # recorded, never verified

    assert not TherapistProfile.objects.trained_in_mfr().filter(pk=profile.pk).exists()
    assert not therapist_is_bookable(profile)
    flagged = TherapistProfile.objects.with_flags().get(pk=profile.pk)
    assert (flagged.is_trained_in_mfr, flagged.is_bookable) == (False, False)


def test_verified_training_counts():
    profile = bookable_therapist()
    assert TherapistProfile.objects.trained_in_mfr().filter(pk=profile.pk).exists()
    assert therapist_is_bookable(profile)


def test_expired_licence_makes_a_trained_therapist_not_bookable():
    today = timezone.localdate()
    profile = TherapistProfileFactory()
    TrainingFactory(therapist=profile, verified=True)
    CredentialFactory(therapist=profile, expires_on=today - dt.timedelta(days=1))

    assert not therapist_is_bookable(profile, on=today)
    assert not TherapistProfile.objects.licensed(on=today).filter(pk=profile.pk).exists()
    assert not TherapistProfile.objects.with_flags(on=today).get(pk=profile.pk).is_bookable


def test_licence_is_valid_through_its_expiry_day_and_not_after():
    profile = bookable_therapist()
    expiry = profile.credentials.get().expires_on
    assert therapist_is_bookable(profile, on=expiry)
    assert not therapist_is_bookable(profile, on=expiry + dt.timedelta(days=1))


def test_inactive_therapist_or_user_is_not_bookable():
    profile = bookable_therapist()
    profile.is_active = False
    profile.save()
    assert not therapist_is_bookable(profile)

    other = bookable_therapist()
    other.user.is_active = False
    other.user.save()
    assert not therapist_is_bookable(other)


def test_credentials_expiring_lists_expired_and_within_30_days_only():
    today = timezone.localdate()
    expired = CredentialFactory(expires_on=today - dt.timedelta(days=3))
    soon = CredentialFactory(expires_on=today + dt.timedelta(days=30))
    CredentialFactory(expires_on=today + dt.timedelta(days=31))

    assert list(credentials_expiring(within_days=30, today=today)) == [expired, soon]


def test_admin_page_flags_expired_licence_as_not_bookable(client, personas):
    today = timezone.localdate()
    profile = TherapistProfileFactory(display_name="Grace Expired")
    TrainingFactory(therapist=profile, verified=True)
    CredentialFactory(therapist=profile, kind="PTA", expires_on=today - dt.timedelta(days=20))
    soon = bookable_therapist(display_name="Tom Soon")
    soon.credentials.update(expires_on=today + dt.timedelta(days=10))

    client.force_login(personas.clinic_admin)
    page = client.get(reverse("therapists:manage")).content.decode()

    warnings = page.split('id="expiring"')[1].split("</section>")[0]
    assert "Grace Expired" in warnings
    assert "not bookable on this licence" in warnings
    assert "Tom Soon" in warnings
    assert f"expires {today + dt.timedelta(days=10):%Y-%m-%d}" in warnings


def test_seeded_conditions_and_modalities():
    slugs = set(Condition.objects.values_list("slug", flat=True))
    assert {
        "back-pain",
        "neck-pain",
        "headache",
        "migraine",
        "whiplash",
        "tmj",
        "fibromyalgia",
        "plantar-fasciitis",
        "sciatica",
        "disc-problems",
        "carpal-tunnel",
        "scar-pain",
        "sports-injury",
        "myofascial-pain-syndrome",
        "chronic-pain",
        "posture",
        "stress",
    } <= slugs
    assert Condition.objects.get(slug="back-pain").codes == "M54.50"
    assert set(Modality.objects.filter(is_mfr=True).values_list("slug", flat=True)) == {
        "manual-mfr",
        "structural-mfr",
    }
