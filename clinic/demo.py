"""Demo clinic data: two locations, their rooms and hours, policy, consent texts and accounts.

``seed`` is idempotent: running it again finds what exists and creates nothing twice.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from clinic import mfa
from clinic.models import (
    STAFF_ROLES,
    ClientProfile,
    ClinicPolicy,
    ConsentKind,
    ConsentText,
    Location,
    OpeningHours,
    Role,
    Room,
    User,
)


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


DEMO_DOMAIN = "demo.unwind.test"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
FRONT_DESK_EMAIL = f"frontdesk@{DEMO_DOMAIN}"
CLIENT_COUNT = 20

LOCATIONS: list[dict[str, Any]] = [
    {
        "slug": "clifton-park",
        "name": "Clifton Park",
        "street": "1 Tallow Wood Drive, Suite 204",
        "city": "Clifton Park",
        "region": "NY",
        "postal_code": "12065",
        "phone": "+15183710420",
        "rooms": [
            ("Birch", "Largest room; height-adjustable table, ceiling hoist."),
            ("Cedar", "Quiet corner room."),
            ("Maple", "Mat work and self-MFR coaching."),
        ],
    },
    {
        "slug": "troy",
        "name": "Troy",
        "street": "255 River Street, 2nd floor",
        "city": "Troy",
        "region": "NY",
        "postal_code": "12180",
        "phone": "+15182730188",
        "rooms": [
            ("Hudson", "Street side; elevator access."),
            ("Mohawk", "Back room, dimmable light."),
        ],
    },
]
# Mon-Fri 8:00-19:00 and Saturday 9:00-13:00, local time.
OPENING_HOURS = [(day, dt.time(8), dt.time(19)) for day in range(5)] + [
    (5, dt.time(9), dt.time(13))
]

CONSENT_TEXTS = {
    ConsentKind.HEALTH_DATA: (
        "Processing of my health data",
        "I agree that the clinic records the health information I give in my intake and "
        "that my therapist adds during treatment, to plan and provide safe treatment. Only "
        "the therapists who treat me can read it; front-desk staff cannot. Every access is "
        "logged. I can withdraw this consent at any time; records the law requires the "
        "clinic to keep are kept for that period only.",
    ),
    ConsentKind.HANDS_ON: (
        "Hands-on myofascial release treatment",
        "Myofascial release is hands-on work with sustained pressure, directly on the skin "
        "and without oils or creams. I will be asked to undress to my comfort level and will "
        "be draped. I can ask my therapist to stop, change the pressure or avoid an area at "
        "any moment, and I will tell them about any change in my health.",
    ),
    ConsentKind.INTRAORAL: (
        "Intraoral work for the jaw",
        "For jaw (TMJ) problems my therapist may work inside my mouth wearing gloves. It is "
        "explained before it starts, and I can decline or stop it at any time.",
    ),
    ConsentKind.PELVIC: (
        "Pelvic work",
        "Some conditions are helped by work on the pelvic area. It is only done with my "
        "agreement at that session, is explained first, and I can stop it at any time.",
    ),
    ConsentKind.SMS: (
        "Text messages",
        "I agree to receive appointment reminders and booking messages by text message at "
        "the phone number in my profile. Reply STOP to end them.",
    ),
    ConsentKind.MARKETING: (
        "News and offers",
        "I would like occasional news about workshops, self-care classes and offers. "
        "I can unsubscribe from every message.",
    ),
}

CLIENT_NAMES = [
    ("Emma", "Walsh", "en"),
    ("Liam", "Ortiz", "es"),
    ("Sophie", "de Vries", "nl"),
    ("Noah", "Kowalski", "en"),
    ("Ava", "Mitchell", "en"),
    ("Lucas", "Hernández", "es"),
    ("Mia", "Chen", "en"),
    ("Ethan", "Brooks", "en"),
    ("Isabella", "Romero", "es"),
    ("Mason", "O'Neill", "en"),
    ("Harper", "Nguyen", "en"),
    ("Logan", "Foster", "en"),
    ("Ella", "Jansen", "nl"),
    ("James", "Carter", "en"),
    ("Chloe", "Patel", "en"),
    ("Benjamin", "Reyes", "es"),
    ("Grace", "Sullivan", "en"),
    ("Henry", "Lindqvist", "en"),
    ("Zoe", "Adeyemi", "en"),
    ("Daniel", "Murphy", "en"),
]


def demo_password() -> str:
    """The password of every demo account: $DEMO_PASSWORD, else "unwind-demo"."""
    return os.environ.get("DEMO_PASSWORD") or "unwind-demo"


def client_email(n: int) -> str:
    return f"client{n}@{DEMO_DOMAIN}"


def demo_logins() -> list[tuple[str, str]]:
    """(role, e-mail) of the clinic's own demo accounts, for the printed table."""
    logins = [("clinic admin", ADMIN_EMAIL), ("front desk", FRONT_DESK_EMAIL)]
    return logins + [("client", client_email(n)) for n in range(1, CLIENT_COUNT + 1)]


def _seed_locations() -> None:
    for data in LOCATIONS:
        data = dict(data)
        rooms = data.pop("rooms")
        slug = data.pop("slug")
        location, _created = Location.objects.get_or_create(
            slug=slug, defaults={**data, "time_zone": "America/New_York"}
        )
        for name, notes in rooms:
            Room.objects.get_or_create(location=location, name=name, defaults={"notes": notes})
        if not location.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(location=location, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in OPENING_HOURS
            )


def _seed_consent_texts() -> None:
    for kind, (title, body) in CONSENT_TEXTS.items():
        ConsentText.objects.get_or_create(
            kind=kind, version=1, defaults={"title": title, "body": body}
        )


def _ensure_user(email: str, **fields: Any) -> tuple[User, bool]:
    """Create the demo user, or reset an existing one's password so the printed login works."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email, **fields)
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.is_active = True
    user.set_password(demo_password())
    user.save()
    return user, created


def _seed_accounts() -> None:
    _ensure_user(
        ADMIN_EMAIL,
        first_name="Alex",
        last_name="Morgan",
        role=Role.CLINIC_ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    _ensure_user(FRONT_DESK_EMAIL, first_name="Dana", last_name="Reid", role=Role.FRONT_DESK)
    for n, (first, last, language) in enumerate(CLIENT_NAMES[:CLIENT_COUNT], start=1):
        user, _created = _ensure_user(
            client_email(n), first_name=first, last_name=last, role=Role.CLIENT
        )
        ClientProfile.objects.get_or_create(
            user=user,
            defaults={
                "phone": f"+1518555{1000 + n:04d}",
                "date_of_birth": dt.date(1958 + (n * 7) % 45, 1 + n % 12, 1 + (n * 3) % 28),
                "preferred_language": language,
                "reminder_channel": "both" if n % 3 == 0 else "email",
                "sms_opt_in": n % 3 == 0,
                "marketing_opt_in": n % 4 == 0,
            },
        )


@transaction.atomic
def seed(*, stdout: Writer) -> None:
    """Create (or top up) the demo clinic's locations, policy, consent texts and accounts."""
    _seed_locations()
    ClinicPolicy.load()
    _seed_consent_texts()
    _seed_accounts()
    stdout.write(
        f"clinic: {Location.objects.count()} locations, {Room.objects.count()} rooms, "
        f"{User.objects.filter(email__endswith='@' + DEMO_DOMAIN).count()} demo accounts\n"
    )


@transaction.atomic
def second_factors_seed() -> list[tuple[str, str]]:
    """Give every demo staff account a confirmed authenticator (kept across re-runs) and return
    (e-mail, TOTP secret) pairs, so a tester can add them to an authenticator app."""
    staff = User.objects.filter(
        email__endswith="@" + DEMO_DOMAIN, role__in=STAFF_ROLES, is_active=True
    ).order_by("email")
    return [(user.email, mfa.totp_secret(mfa.totp_device_ensure(user=user))) for user in staff]
