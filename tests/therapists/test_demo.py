"""The demo seed gives the variety the issue asks for, and is safe to run twice."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from clinic import demo as clinic_demo
from clinic.models import Role
from therapists import demo
from therapists.models import Service, Shift, TherapistProfile
from therapists.selectors import credentials_expiring

pytestmark = pytest.mark.django_db


def test_seed_is_varied_and_idempotent():
    out = io.StringIO()
    clinic_demo.seed(stdout=out)
    demo.seed(stdout=out)
    counts = (TherapistProfile.objects.count(), Shift.objects.count(), Service.objects.count())
    demo.seed(stdout=out)
    assert (
        TherapistProfile.objects.count(),
        Shift.objects.count(),
        Service.objects.count(),
    ) == counts

    profiles = TherapistProfile.objects.with_flags().select_related("user")
    assert profiles.count() >= 6
    emails = {p.user.email for p in profiles}
    assert {f"therapist{n}@demo.unwind.test" for n in range(1, 7)} <= emails
    assert all(p.user.role == Role.THERAPIST and p.user.email_verified_at for p in profiles)
    assert all(p.user.check_password(clinic_demo.demo_password()) for p in profiles)

    assert any(not p.is_trained_in_mfr for p in profiles), "one with only unverified training"
    assert any(p.is_trained_in_mfr and not p.is_licensed for p in profiles), "one expired licence"
    assert TherapistProfile.objects.filter(languages__code="nl").exists()
    assert TherapistProfile.objects.filter(competencies__slug="intraoral").exists()
    assert TherapistProfile.objects.filter(competencies__slug="pelvic").exists()
    locations = set(Shift.objects.values_list("location__name", flat=True))
    assert locations == {"Clifton Park", "Troy"}
    assert credentials_expiring().filter(expires_on__lt=timezone.localdate()).exists()

    durations = sorted(Service.objects.values_list("duration_minutes", flat=True))
    assert durations == [30, 45, 60, 90]
