"""In-process figures on the synthetic chain: availability, matching, the day board.

  .venv/bin/python -m bench.inprocess        (after `python -m bench.chain`)
Each line: median and p95 of repeated runs, and the number of SQL queries one run makes.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

from bench.common import measure, median_p95, setup

RUNS = 15


def queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def report(label: str, fn: Callable[[], Any], runs: int = RUNS) -> list[float]:
    times = measure(fn, runs)
    print(f"{label}: {median_p95(times)}; {queries(fn)} queries")
    return times


def next_weekday(zone: Any, ahead: int = 2) -> dt.date:
    from django.utils import timezone

    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=ahead)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def availability() -> None:
    from booking.availability_selectors import open_slots, open_slots_by_location
    from clinic.models import Location
    from therapists.models import Service

    service = Service.objects.get(slug="bench-mfr-60")
    big = Location.objects.get(slug="bench-1")
    everywhere = list(Location.objects.filter(slug__startswith="bench-").order_by("pk"))
    one = big.therapists.order_by("pk").first()
    first = next_weekday(big.zone)

    def window(location: Location, days: int, ids: list[int] | None = None) -> Callable[[], Any]:
        return lambda: open_slots(
            service=service,
            location=location,
            first_day=first,
            last_day=first + dt.timedelta(days=days - 1),
            therapist_ids=ids,
        )

    slots = len(window(big, 28)())
    report("availability, one therapist, one day", window(big, 1, [one.pk]))
    report("availability, location of 15 therapists, 7 days", window(big, 7))
    report(f"availability, location of 15 therapists, 28 days ({slots:,} slots)", window(big, 28))

    def chain() -> None:
        last = first + dt.timedelta(days=27)
        open_slots_by_location(
            service=service, windows=[(location, first, last) for location in everywhere]
        )

    report("availability, whole chain (10 locations, 100 therapists), 28 days", chain, runs=5)


def matching() -> None:
    from booking.matching import matches_for
    from clinic.models import Role, User
    from therapists.models import Service

    service = Service.objects.get(slug="bench-mfr-60")
    client = User.objects.filter(role=Role.CLIENT).order_by("pk")[1]
    report(
        "matching, 100 therapists ranked for one client (10 locations, 14 days of openings)",
        lambda: matches_for(client=client, service=service, limit=100),
        runs=5,
    )


def day_board() -> None:
    from django.test import Client

    from clinic.models import Location, Role, User

    big = Location.objects.get(slug="bench-1")
    desk, _ = User.objects.get_or_create(
        email="frontdesk@bench.unwind.test",
        defaults={"first_name": "Front", "last_name": "Desk", "role": Role.FRONT_DESK},
    )
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic import mfa

    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(desk)
    # Staff pages need a verified second factor (clinic.mfa): the session carries the device.
    device = mfa.totp_device(desk) or TOTPDevice.objects.create(
        user=desk, name=mfa.TOTP_NAME, confirmed=True
    )
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # A full weekday in the past week: 15 therapists, about a hundred sessions.
    day = next_weekday(big.zone, ahead=-7)
    url = f"/booking/board/?location={big.slug}&day={day.isoformat()}"

    def page() -> None:
        response = browser.get(url, secure=True)
        if response.status_code != 200:
            sys.exit(f"day board answered {response.status_code}")

    report(f"day board page, 15 therapists, {day} (rendered)", page)
    from booking.board.selectors import board_load

    report("day board data, 15 therapists (selectors only)", lambda: board_load(big, day, day))


def directory() -> None:
    """The public therapist directory as the HTTP mix asks for it (anonymous GET)."""
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1")

    def page(url: str = "/therapists/") -> Any:
        response = browser.get(url, secure=True)
        if response.status_code != 200:
            sys.exit(f"directory answered {response.status_code}")
        return response

    cards = page().content.decode().count('class="card therapist-card"')
    report(f"directory page, anonymous ({cards} therapist cards rendered)", page)
    report("directory page 2", lambda: page("/therapists/?page=2"))


def main() -> None:
    setup()
    from bench.common import machine

    print(machine())
    if sys.argv[1:] == ["directory"]:
        directory()
        return
    availability()
    matching()
    day_board()
    directory()


if __name__ == "__main__":
    main()
