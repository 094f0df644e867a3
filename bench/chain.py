"""Generate the synthetic clinic chain in the bench database (COPY for the big tables).

10 locations (one with 15 therapists), 100 therapists, 50,000 clients with intakes,
~200,000 appointments (a year of history and 8 weeks ahead), ~1,000,000 outbox rows (sent
history and pending reminders). Skips the work when a current chain is already there.

  .venv/bin/python -m bench.chain [--fresh]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import sys
import time
from decimal import Decimal
from typing import Any

from bench.common import machine, setup

TEAMS = [15, 10, 10, 10, 10, 10, 10, 10, 10, 5]  # 10 locations, 100 therapists
CLIENTS = 50_000
HISTORY_DAYS, AHEAD_DAYS = 365, 56
PER_DAY_PAST, PER_DAY_AHEAD = 7, 5  # of the ten hourly starts 08:00..17:00, Monday to Friday
ZONES = ["America/New_York"] * 6 + ["America/Chicago"] * 2 + ["America/Los_Angeles"] * 2
PASSWORD = "unwind-bench"  # noqa: S105 - synthetic accounts in a throwaway database
BIG_SLUG = "bench-1"


def copy_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY plain dicts (keyed by attname) into the model's table; missing fields get defaults."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        out = []
        for f in fields:
            value = row[f.attname] if f.attname in row else f.get_default()
            if value is None:
                out.append(r"\N")
            elif isinstance(value, bool):
                out.append("t" if value else "f")
            elif isinstance(value, dict | list):
                out.append(json.dumps(value))
            elif isinstance(value, dt.datetime | dt.date | dt.time):
                out.append(value.isoformat())
            else:
                out.append(str(value))
        writer.writerow(out)
    buffer.seek(0)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY \"{model._meta.db_table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def is_current() -> bool:
    from django.utils import timezone

    from booking.models import Appointment
    from clinic.models import Location

    if not Location.objects.filter(slug=BIG_SLUG).exists():
        return False
    last = Appointment.objects.order_by("-starts_at").values_list("starts_at", flat=True).first()
    # Generated long enough ago that "8 weeks ahead" has run short: start again.
    return last is not None and last > timezone.now() + dt.timedelta(weeks=7)


def structure(rng: random.Random) -> dict[str, Any]:
    """Locations, rooms, opening hours, services, therapists (bookable), shifts."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from clinic.models import ClinicPolicy, Location, OpeningHours, Role, Room, User
    from therapists.models import (
        Condition,
        Credential,
        Language,
        MFRTraining,
        Modality,
        Service,
        Shift,
        TherapistProfile,
    )

    ClinicPolicy.load()
    now = timezone.now()
    admin = User.objects.create(
        email="admin@bench.unwind.test",
        first_name="Bench",
        last_name="Admin",
        role=Role.CLINIC_ADMIN,
        is_staff=True,
        email_verified_at=now,
        password=make_password(PASSWORD),
    )
    mfr, _ = Modality.objects.get_or_create(
        slug="manual-mfr", defaults={"name": "Manual myofascial release", "is_mfr": True}
    )
    locations, rooms = [], {}
    for index, size in enumerate(TEAMS, start=1):
        location = Location.objects.create(
            name=f"Bench {index}",
            slug=f"bench-{index}",
            street=f"{index} Main Street",
            city="Albany",
            region="NY",
            time_zone=ZONES[index - 1],
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=w, opens=dt.time(7), closes=dt.time(20))
            for w in range(6)
        )
        rooms[location.pk] = Room.objects.bulk_create(
            Room(location=location, name=f"Room {n}") for n in range(1, size + 1)
        )
        locations.append(location)
    services = [
        Service.objects.create(
            name="MFR 60",
            slug="bench-mfr-60",
            duration_minutes=60,
            price=Decimal("120.00"),
            required_modality=mfr,
        ),
        Service.objects.create(
            name="MFR 45",
            slug="bench-mfr-45",
            duration_minutes=45,
            buffer_after_minutes=15,
            price=Decimal("95.00"),
            required_modality=mfr,
        ),
    ]
    for service in services:
        service.locations.set(locations)
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=f"therapist{n}@bench.unwind.test",
            first_name="Therapist",
            last_name=str(n),
            role=Role.THERAPIST,
            email_verified_at=now,
            password=password,
        )
        for n in range(1, sum(TEAMS) + 1)
    )
    profiles = TherapistProfile.objects.bulk_create(
        TherapistProfile(user=u, display_name=f"Therapist {u.last_name}") for u in users
    )
    conditions = list(Condition.objects.all())
    languages = list(Language.objects.all())
    teams: dict[int, list[tuple[TherapistProfile, Room]]] = {}
    through = TherapistProfile.locations.through
    links, mods, conds, langs, shifts, trainings, credentials = [], [], [], [], [], [], []
    position = 0
    since = (now - dt.timedelta(days=HISTORY_DAYS + 30)).date()
    for location, size in zip(locations, TEAMS, strict=True):
        members = profiles[position : position + size]
        position += size
        teams[location.pk] = list(zip(members, rooms[location.pk], strict=True))
        for profile in members:
            links.append(through(therapistprofile_id=profile.pk, location_id=location.pk))
            mods.append(
                TherapistProfile.modalities.through(
                    therapistprofile_id=profile.pk, modality_id=mfr.pk
                )
            )
            for condition in rng.sample(conditions, min(4, len(conditions))):
                conds.append(
                    TherapistProfile.conditions.through(
                        therapistprofile_id=profile.pk, condition_id=condition.pk
                    )
                )
            for language in languages[:1] + rng.sample(languages, min(1, len(languages))):
                langs.append(
                    TherapistProfile.languages.through(
                        therapistprofile_id=profile.pk, language_id=language.pk
                    )
                )
            shifts += [
                Shift(
                    therapist=profile,
                    location=location,
                    weekday=w,
                    starts_at=dt.time(8),
                    ends_at=dt.time(18),
                    effective_from=since,
                )
                for w in range(5)
            ]
            trainings.append(
                MFRTraining(
                    therapist=profile,
                    course="MFR I",
                    approach_or_provider="Barnes",
                    completed_on=dt.date(2020, 1, 1),
                    verified_by=admin,
                    verified_at=now,
                )
            )
            credentials.append(
                Credential(
                    therapist=profile,
                    kind="LMT",
                    licence_number=f"B-{profile.pk}",
                    jurisdiction="NY",
                    expires_on=dt.date(2099, 1, 1),
                )
            )
    through.objects.bulk_create(links)
    TherapistProfile.modalities.through.objects.bulk_create(mods)
    TherapistProfile.conditions.through.objects.bulk_create(conds, ignore_conflicts=True)
    TherapistProfile.languages.through.objects.bulk_create(langs, ignore_conflicts=True)
    Shift.objects.bulk_create(shifts)
    MFRTraining.objects.bulk_create(trainings)
    Credential.objects.bulk_create(credentials)
    return {"locations": locations, "services": services, "teams": teams, "admin": admin}


def clients(rng: random.Random) -> list[int]:
    """50,000 verified clients with profiles; nine in ten have a submitted, cleared intake."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from clinic.models import ClientProfile, Role, User
    from intake.models import IntakeResponse, Questionnaire, ScreeningResult

    now = timezone.now()
    password = make_password(PASSWORD)
    copy_rows(
        User,
        [
            {
                "email": f"client{n}@bench.unwind.test",
                "first_name": "Client",
                "last_name": str(n),
                "role": Role.CLIENT,
                "is_active": True,
                "is_staff": False,
                "is_superuser": False,
                "email_verified_at": now,
                "date_joined": now,
                "password": password,
            }
            for n in range(1, CLIENTS + 1)
        ],
    )
    ids = list(User.objects.filter(role=Role.CLIENT).order_by("pk").values_list("pk", flat=True))
    copy_rows(
        ClientProfile,
        [
            {"user_id": pk, "phone": f"+1518{pk:07d}", "created_at": now, "sms_opt_in": pk % 3 == 0}
            for pk in ids
        ],
    )
    questionnaire = Questionnaire.objects.order_by("-pk").first()
    cleared = [pk for pk in ids if pk % 10]
    if questionnaire is not None:
        submitted = now - dt.timedelta(days=30)
        copy_rows(
            IntakeResponse,
            [
                {
                    "client_id": pk,
                    "questionnaire_id": questionnaire.pk,
                    "status": "submitted",
                    "answers": {"conditions": []},
                    "created_at": submitted,
                    "updated_at": submitted,
                    "submitted_at": submitted,
                }
                for pk in cleared
            ],
        )
        responses = IntakeResponse.objects.filter(client_id__in=cleared).values_list(
            "pk", "client_id"
        )
        copy_rows(
            ScreeningResult,
            [
                {
                    "response_id": r,
                    "client_id": c,
                    "level": "clear",
                    "effective_level": "clear",
                    "evaluated_at": submitted,
                }
                for r, c in responses
            ],
        )
    return ids


def appointments(rng: random.Random, chain: dict[str, Any], client_ids: list[int]) -> int:
    """Hourly sessions, Monday to Friday, a year back and eight weeks ahead."""
    from django.utils import timezone

    from booking.models import Appointment

    now = timezone.now()
    rows: list[dict[str, Any]] = []
    services = chain["services"]
    today = now.date()
    # A client is never in two sessions at once (an exclusion constraint says so); every
    # session starts on a UTC hour and lasts at most an hour, so equal starts are the overlaps.
    taken: set[tuple[int, dt.datetime]] = set()
    for location in chain["locations"]:
        zone = location.zone
        for profile, room in chain["teams"][location.pk]:
            for offset in range(-HISTORY_DAYS, AHEAD_DAYS + 1):
                day = today + dt.timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                past = offset < 0
                for hour in rng.sample(range(8, 18), PER_DAY_PAST if past else PER_DAY_AHEAD):
                    start = dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)
                    service = services[hour % 2]
                    roll = rng.random()
                    if past:
                        status = (
                            "cancelled"
                            if roll < 0.08
                            else "no_show"
                            if roll < 0.12
                            else "completed"
                        )
                    else:
                        status = "cancelled" if roll < 0.08 else "booked"
                    client_id = rng.choice(client_ids)
                    while (client_id, start) in taken:
                        client_id = rng.choice(client_ids)
                    taken.add((client_id, start))
                    rows.append(
                        {
                            "client_id": client_id,
                            "therapist_id": profile.pk,
                            "service_id": service.pk,
                            "location_id": location.pk,
                            "room_id": room.pk,
                            "starts_at": start,
                            "ends_at": start + dt.timedelta(minutes=service.duration_minutes),
                            "occupied_from": start,
                            "occupied_until": start + dt.timedelta(minutes=60),
                            "status": status,
                            "booked_with_intake_due": False,
                            "cancellation_reason": "",
                            "created_at": start - dt.timedelta(days=14),
                            "updated_at": start - dt.timedelta(days=14),
                        }
                    )
    for begin in range(0, len(rows), 50_000):
        copy_rows(Appointment, rows[begin : begin + 50_000])
    return len(rows)


def outbox() -> int:
    """Sent history for past sessions and pending reminders for future ones (~1,000,000 rows)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from booking.models import Appointment
    from clinic.models import Notification

    now = timezone.now()
    subject_type = ContentType.objects.get_for_model(Appointment).pk
    total = 0
    batch: list[dict[str, Any]] = []
    rows = (
        Appointment.objects.exclude(status="cancelled")
        .values_list("pk", "client_id", "starts_at", "created_at")
        .iterator(chunk_size=20_000)
    )
    for pk, client_id, starts_at, created in rows:
        base = {
            "subject_type_id": subject_type,
            "subject_id": pk,
            "recipient_id": client_id,
            "event_at": starts_at,
            "created_at": created,
            "updated_at": created,
        }
        messages = [("confirmation", "email", created, {})]
        for hours in (48, 2):
            for channel in ("email", "sms"):
                messages.append(
                    (
                        "reminder",
                        channel,
                        starts_at - dt.timedelta(hours=hours),
                        {"offset_hours": hours},
                    )
                )
        for kind, channel, due, params in messages:
            sent = due <= now
            batch.append(
                {
                    **base,
                    "kind": kind,
                    "channel": channel,
                    "due_at": due,
                    "params": params,
                    "status": "sent" if sent else "pending",
                    "attempts": 1 if sent else 0,
                    "sent_at": due if sent else None,
                    "version": 3 if sent else 0,
                }
            )
        if len(batch) >= 50_000:
            copy_rows(Notification, batch)
            total += len(batch)
            batch = []
    copy_rows(Notification, batch)
    return total + len(batch)


def main() -> None:
    fresh = "--fresh" in sys.argv
    setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    if not fresh and is_current():
        print("chain: already generated (use --fresh to start again)")
        return
    if connection.introspection.table_names() and _has_rows():
        connection.close()
        setup(fresh=True)
        call_command("migrate", verbosity=0)
    print(machine())
    rng = random.Random(15)
    began = time.perf_counter()
    with transaction.atomic():
        chain = structure(rng)
        client_ids = clients(rng)
        count = appointments(rng, chain, client_ids)
    print(
        f"chain: structure, {len(client_ids):,} clients and {count:,} appointments in {time.perf_counter() - began:.0f} s"
    )
    began = time.perf_counter()
    with transaction.atomic():
        messages = outbox()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"chain: {messages:,} outbox rows, then VACUUM ANALYZE, in {time.perf_counter() - began:.0f} s"
    )


def _has_rows() -> bool:
    from clinic.models import Location

    return Location.objects.exists()


if __name__ == "__main__":
    main()
