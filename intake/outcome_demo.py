"""Demo outcome scores: a few weeks of NPRS, PSFS and PGIC for demo clients 1-3.

Call ``seed(stdout=...)`` after intake.demo.seed. Idempotent: a client with any outcome
response is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from clinic.models import User
from intake.models import OutcomeResponse, OutcomeSource
from intake.outcomes import outcome_record
from therapists.models import Condition

DEMO_DOMAIN = "demo.unwind.test"
# (days ago, NPRS now, PSFS activity scores, PGIC or None): improving over six weeks.
COURSE = [
    (42, 7, (2, 3, 4), None),
    (28, 6, (3, 4, 4), 3),
    (14, 4, (5, 5, 6), 2),
    (3, 3, (6, 7, 7), 2),
]
ACTIVITIES = ("Sitting through a work meeting", "Lifting groceries", "Sleeping through the night")


def _answers(code: str, nprs: int, psfs: tuple[int, ...], pgic: int | None) -> dict[str, Any]:
    if code == "nprs":
        return {"pain_now": nprs, "pain_best": max(nprs - 2, 0), "pain_worst": min(nprs + 2, 10)}
    if code == "psfs":
        answers: dict[str, Any] = {}
        for n, (name, value) in enumerate(zip(ACTIVITIES, psfs, strict=True), start=1):
            answers |= {f"activity_{n}_name": name, f"activity_{n}": value}
        return answers
    return {"change": pgic}


def _seed_client(client: User, condition: Condition | None) -> int:
    made = 0
    for index, (days_ago, nprs, psfs, pgic) in enumerate(COURSE):
        source = OutcomeSource.INTAKE if index == 0 else OutcomeSource.SESSION
        for code in ("nprs", "psfs", "pgic"):
            if code == "pgic" and pgic is None:
                continue
            response = outcome_record(
                actor=client, client=client, instrument_code=code,
                answers=_answers(code, nprs, psfs, pgic), source=source, condition=condition,
            )  # fmt: skip
            # Demo history only: the service always stamps "now".
            when = timezone.now() - dt.timedelta(days=days_ago)
            OutcomeResponse.objects.filter(pk=response.pk).update(recorded_at=when)
            made += 1
    return made


def seed(*, stdout: Any) -> None:
    condition = Condition.objects.filter(slug__contains="back").order_by("sort_order").first()
    made = 0
    for number in (1, 2, 3):
        client = User.objects.filter(email=f"client{number}@{DEMO_DOMAIN}").first()
        if client is None or OutcomeResponse.objects.filter(client=client).exists():
            continue
        made += _seed_client(client, condition)
    stdout.write(f"intake: {made} demo outcome scores created\n")
