"""Demo therapists, their credentials, training, hours, and the clinic's four services.

Idempotent: a second run finds what exists. Expiry dates are relative to today, so the
expired licence stays expired and the valid ones stay valid whenever the demo is seeded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from clinic.demo import ADMIN_EMAIL, DEMO_DOMAIN, demo_password
from clinic.models import Location, Role, User
from therapists import hours
from therapists.models import (
    Competency,
    Condition,
    Credential,
    Language,
    MFRTraining,
    Modality,
    Service,
    ServiceKind,
    TherapistProfile,
)

CP, TROY = "Clifton Park", "Troy"
HISTORY_WEEKS = 8
# Shifts are (weekday 0 = Monday, location, first hour, last hour), local time.
THERAPISTS: list[dict[str, Any]] = [
    {
        "first": "Maya",
        "last": "Jansen",
        "pronouns": "she/her",
        "gender": "woman",
        "bio": "Physical therapist from Utrecht; 12 years of myofascial release for chronic back and neck pain.",
        "credential": ("PT", "NY", 700),
        "trainings": [
            ("MFR I", "John F. Barnes approach", "I", True),
            ("MFR II", "John F. Barnes approach", "II", True),
        ],
        "languages": ["en", "nl"],
        "modalities": ["manual-mfr", "structural-mfr", "self-mfr-coaching"],
        "competencies": [],
        "conditions": ["back-pain", "neck-pain", "sciatica", "disc-problems", "fibromyalgia"],
        "shifts": [(0, CP, 9, 17), (2, CP, 9, 17), (1, TROY, 9, 17), (3, TROY, 9, 17)],
    },
    {
        "first": "Daniel",
        "last": "Okafor",
        "pronouns": "he/him",
        "gender": "man",
        "bio": "Massage therapist focused on jaw, head and neck; trained in intraoral work for TMJ.",
        "credential": ("LMT", "NY", 400),
        "trainings": [
            ("Myofascial Release for the TMJ", "Myofascial Release Seminars", "Advanced", True)
        ],
        "languages": ["en"],
        "modalities": ["manual-mfr", "active-release"],
        "competencies": ["intraoral"],
        "conditions": ["tmj", "headache", "migraine", "neck-pain", "whiplash"],
        "shifts": [(0, TROY, 10, 18), (1, TROY, 10, 18), (3, TROY, 10, 18), (4, TROY, 10, 18)],
    },
    {
        "first": "Priya",
        "last": "Raman",
        "pronouns": "she/her",
        "gender": "woman",
        "bio": "Doctor of physical therapy; pelvic health, post-surgical scars and chronic pain.",
        "credential": ("DPT", "NY", 900),
        "trainings": [("Fascial Pelvis", "Myofascial Release Seminars", "Specialty", True)],
        "languages": ["en", "hi"],
        "modalities": ["manual-mfr", "structural-mfr"],
        "competencies": ["pelvic"],
        "conditions": ["back-pain", "scar-pain", "chronic-pain", "posture"],
        "shifts": [(1, CP, 8, 14), (3, CP, 8, 14), (4, CP, 8, 14)],
    },
    {
        "first": "Sam",
        "last": "Rivera",
        "pronouns": "they/them",
        "gender": "non_binary",
        "bio": "Sports massage and Active Release for runners and climbers.",
        "credential": ("LMT", "NY", 500),
        "trainings": [("Intro to fascia weekend", "Local workshop", "Intro", False)],
        "languages": ["en", "es"],
        "modalities": ["sports-massage", "active-release", "manual-mfr"],
        "competencies": [],
        "conditions": ["sports-injury", "plantar-fasciitis"],
        "shifts": [(2, TROY, 12, 20), (4, TROY, 12, 20), (5, TROY, 9, 13)],
    },
    {
        "first": "Grace",
        "last": "Kim",
        "pronouns": "she/her",
        "gender": "woman",
        "bio": "PT assistant; hands and wrists, desk workers.",
        "credential": ("PTA", "NY", -20),
        "trainings": [("MFR I", "John F. Barnes approach", "I", True)],
        "languages": ["en"],
        "modalities": ["manual-mfr", "self-mfr-coaching"],
        "competencies": [],
        "conditions": ["carpal-tunnel", "myofascial-pain-syndrome"],
        "shifts": [(0, CP, 12, 19), (4, CP, 9, 15)],
    },
    {
        "first": "Tom",
        "last": "Becker",
        "pronouns": "he/him",
        "gender": "man",
        "bio": "Physical therapist, Pilates and structural integration; posture and stress.",
        "credential": ("PT", "NY", 15),
        "trainings": [("Structural MFR", "Rolf Institute", "Certificate", True)],
        "languages": ["en", "de"],
        "modalities": ["structural-mfr", "pilates", "structural-integration"],
        "competencies": [],
        "conditions": ["posture", "stress", "chronic-pain"],
        "shifts": [(5, CP, 9, 15), (4, TROY, 13, 19), (2, TROY, 8, 12)],
    },
]

SERVICES: list[dict[str, Any]] = [
    {
        "slug": "initial-mfr-assessment",
        "name": "Initial MFR assessment",
        "kind": ServiceKind.ASSESSMENT,
        "duration_minutes": 90,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "price": Decimal("180.00"),
        "modality": "manual-mfr",
        "sort_order": 10,
        "description": "Your first visit: we go through your intake, assess posture and movement, and start treatment. Skin-to-skin work without oils; wear comfortable underwear or shorts.",
    },
    {
        "slug": "mfr-session",
        "name": "MFR session",
        "kind": ServiceKind.FOLLOW_UP,
        "duration_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "price": Decimal("130.00"),
        "modality": "manual-mfr",
        "sort_order": 20,
        "description": "A full myofascial release treatment with sustained holds of two minutes or more.",
    },
    {
        "slug": "follow-up",
        "name": "Follow-up",
        "kind": ServiceKind.FOLLOW_UP,
        "duration_minutes": 45,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 10,
        "price": Decimal("100.00"),
        "modality": "manual-mfr",
        "sort_order": 30,
        "description": "A shorter treatment to keep progress going between full sessions.",
    },
    {
        "slug": "self-care-coaching",
        "name": "Self-care coaching",
        "kind": ServiceKind.FOLLOW_UP,
        "duration_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 5,
        "price": Decimal("60.00"),
        "modality": "self-mfr-coaching",
        "sort_order": 40,
        "description": "Learn a home programme with foam roller, massage balls and stretches.",
    },
]


def therapist_email(n: int) -> str:
    return f"therapist{n}@{DEMO_DOMAIN}"


def _ensure_user(n: int, data: dict[str, Any]) -> User:
    user = User.objects.filter(email__iexact=therapist_email(n)).first()
    if user is None:
        user = User(email=therapist_email(n), role=Role.THERAPIST)
    user.first_name, user.last_name = data["first"], data["last"]
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.is_active = True
    user.set_password(demo_password())
    user.save()
    return user


def _seed_profile(n: int, data: dict[str, Any], locations: dict[str, Location]) -> TherapistProfile:
    user = _ensure_user(n, data)
    profile, _created = TherapistProfile.objects.get_or_create(
        user=user,
        defaults={
            "display_name": f"{data['first']} {data['last']}",
            "pronouns": data["pronouns"],
            "gender": data["gender"],
            "bio": data["bio"],
            "max_sessions_per_day": 7,
        },
    )
    profile.languages.set(Language.objects.filter(code__in=data["languages"]))
    profile.modalities.set(Modality.objects.filter(slug__in=data["modalities"]))
    profile.competencies.set(Competency.objects.filter(slug__in=data["competencies"]))
    profile.conditions.set(Condition.objects.filter(slug__in=data["conditions"]))
    profile.locations.set({locations[name] for _d, name, _s, _e in data["shifts"]})
    return profile


def _seed_credentials_and_training(
    n: int, profile: TherapistProfile, data: dict[str, Any], admin: User | None
) -> None:
    kind, jurisdiction, days = data["credential"]
    today = timezone.localdate()
    Credential.objects.update_or_create(
        kind=kind,
        jurisdiction=jurisdiction,
        licence_number=f"{kind}-{100200 + n}",
        defaults={"therapist": profile, "expires_on": today + dt.timedelta(days=days)},
    )
    for index, (course, provider, level, verified) in enumerate(data["trainings"]):
        completed = today - dt.timedelta(days=400 * (index + 1))
        training, _created = MFRTraining.objects.get_or_create(
            therapist=profile,
            course=course,
            defaults={"approach_or_provider": provider, "level": level, "completed_on": completed},
        )
        if verified and admin is not None and not training.is_verified:
            training.verified_by, training.verified_at = admin, timezone.now()
            training.evidence = f"Certificate {course} seen by the clinic (demo)"
            training.save()


def _seed_shifts(
    profile: TherapistProfile, data: dict[str, Any], locations: dict[str, Location]
) -> None:
    if profile.shifts.exists():
        return
    # Eight weeks back: the demo's past appointments are booked through availability as of
    # their time, so the therapists must already have worked then.
    start = timezone.localdate() - dt.timedelta(
        days=timezone.localdate().weekday() + 7 * HISTORY_WEEKS
    )
    for weekday, name, first_hour, last_hour in data["shifts"]:
        hours.shift_create(
            therapist=profile,
            location=locations[name],
            weekday=weekday,
            starts_at=dt.time(first_hour),
            ends_at=dt.time(last_hour),
            effective_from=start,
            effective_to=None,
        )


def _seed_services(locations: dict[str, Location]) -> None:
    for data in SERVICES:
        data = dict(data)
        modality = Modality.objects.filter(slug=data.pop("modality")).first()
        service, created = Service.objects.get_or_create(
            slug=data.pop("slug"), defaults={**data, "required_modality": modality}
        )
        if created:
            service.locations.set(locations.values())


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    """Create six demo therapists across both demo locations and the four services."""
    locations = {loc.name: loc for loc in Location.objects.filter(name__in=[CP, TROY])}
    if len(locations) < 2:
        stdout.write("therapists: demo locations missing (run the clinic seed first); skipped.\n")
        return
    admin = User.objects.filter(email__iexact=ADMIN_EMAIL).first()
    for n, data in enumerate(THERAPISTS, start=1):
        profile = _seed_profile(n, data, locations)
        _seed_credentials_and_training(n, profile, data, admin)
        _seed_shifts(profile, data, locations)
    _seed_services(locations)
    bookable = TherapistProfile.objects.bookable().count()
    stdout.write(
        f"therapists: {len(THERAPISTS)} therapists ({bookable} bookable), {len(SERVICES)} services.\n"
    )
