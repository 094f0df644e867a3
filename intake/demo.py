"""Demo intakes (the default questionnaire and rules, an intake per screening outcome) and scores.

client1..10 are returning clients who must be able to book: CLEAR or AREA.
client11+ cover HOLD, REVIEW, URGENT, EMERGENCY, a draft, a missing intake, a cleared hold and
a "needs a call". Clients 1-3 have six weeks of NPRS, PSFS and PGIC scores, recorded through
outcome_record as of the day each was taken. Idempotent: a client who already has an intake
(or, for the scores, any outcome response) is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from clinic.models import Role, User
from intake import services
from intake.models import IntakeResponse, OutcomeResponse, OutcomeSource, ReviewAction
from intake.outcomes import outcome_record
from intake.questionnaires import load_default_intake
from intake.screening import load_default_rules
from therapists.care import care_relationship_start
from therapists.models import Condition

DEMO_DOMAIN = "demo.unwind.test"

BASELINE_ANSWERS: dict[str, Any] = {
    "reason": "Stiff, aching lower back after long days at the desk.",
    "age": 42,
    "conditions": ["back-pain"],
    "pain_map": [
        {"region": "lower-back", "side": "midline", "intensity": 6},
        {"region": "buttock", "side": "left", "intensity": 4, "radiates_to": "thigh-back"},
    ],
    "pain_now": 5,
    "pain_best": 2,
    "pain_worst": 7,
    "onset": "gradual",
    "duration": "gt1y",
    "worse": "Sitting for more than an hour.",
    "better": "Walking, warm shower.",
    "tried": ["physical-therapy", "massage"],
    "tried_outcome": "Helped for a few weeks each time.",
    "surgeries": False,
    "scars": False,
    "anticoagulants": False,
    "contra": ["none"],
    "calf_swelling": False,
    "rf_back_emergency": ["none"],
    "rf_back_urgent": ["none"],
    "rf_back_review": ["none"],
    "goals": ["less-pain", "range-of-motion"],
    "psfs_activity_1": "Sitting through a workday",
    "psfs_score_1": 4,
    "pref_therapist_gender": "no-preference",
    "pref_pressure": "medium",
    "consent_health_data": True,
    "consent_hands_on": True,
    "signature": "Demo Client",
}

# Answers that differ from the baseline for each scenario.
SCENARIOS: dict[str, dict[str, Any]] = {
    "clear": {},
    "area": {"contra": ["wound"], "area_site": "Right knee (arthroscopy scar, 6 weeks)"},
    "hold": {"contra": ["pregnancy"], "pregnancy_trimester": "2"},
    "review": {"rf_back_review": ["night-pain"]},
    "urgent": {"calf_swelling": True, "calf_chest": ["none"]},
    "emergency": {"rf_back_emergency": ["saddle", "bladder"]},
}

# client number → (scenario, then: None | "draft" | "missing" | review action)
PLAN: dict[int, tuple[str, str | None]] = {
    **{n: ("clear" if n % 3 else "area", None) for n in range(1, 11)},
    11: ("hold", None),
    12: ("review", None),
    13: ("urgent", None),
    14: ("emergency", None),
    15: ("clear", "draft"),
    16: ("clear", "missing"),
    17: ("hold", ReviewAction.CLEARED_WITH_PRECAUTIONS),
    18: ("review", ReviewAction.NEEDS_CALL),
}


DEMO_NOTES: dict[str, str] = {
    ReviewAction.NEEDS_CALL: "Wants to talk about the night pain first (demo).",
    ReviewAction.CLEARED_WITH_PRECAUTIONS: "Second trimester: side-lying only (demo).",
}


def scenario_answers(name: str, **extra: Any) -> dict[str, Any]:
    return {**BASELINE_ANSWERS, **SCENARIOS[name], **extra}


def seed(*, stdout: Any) -> None:
    load_default_intake()
    load_default_rules()
    # Clearing is a therapist's act. Demo therapists have no appointments when intake seeds, so
    # the first one is made the reviewing clinician of each client it decides on.
    reviewer = User.objects.filter(role=Role.THERAPIST, is_active=True).order_by("pk").first()
    made = 0
    for number, (scenario, then) in PLAN.items():
        client = User.objects.filter(email=f"client{number}@{DEMO_DOMAIN}").first()
        if client is None or then == "missing":
            continue
        if IntakeResponse.objects.filter(client=client).exists():
            continue
        answers = scenario_answers(scenario, signature=client.get_full_name() or client.email)
        services.intake_start(client=client)
        services.intake_save_answers(client=client, answers=answers)
        made += 1
        if then == "draft":
            continue
        response = services.intake_submit(client=client)
        if then and reviewer is not None:
            care_relationship_start(therapist=reviewer, client=client)
            services.review_decide(
                reviewer=reviewer,
                response_id=response.pk,
                action=then,
                note=DEMO_NOTES[then],
                areas=["abdomen"] if then == ReviewAction.CLEARED_WITH_PRECAUTIONS else [],
            )
    stdout.write(f"intake: {made} demo intakes created\n")

    outcomes_seed(stdout=stdout)


# (days ago, NPRS now, PSFS activity scores, PGIC or None): improving over six weeks.
COURSE = [
    (42, 7, (2, 3, 4), None),
    (28, 6, (3, 4, 4), 3),
    (14, 4, (5, 5, 6), 2),
    (3, 3, (6, 7, 7), 2),
]
ACTIVITIES = ("Sitting through a work meeting", "Lifting groceries", "Sleeping through the night")


def _outcome_answers(
    code: str, nprs: int, psfs: tuple[int, ...], pgic: int | None
) -> dict[str, Any]:
    if code == "nprs":
        return {"pain_now": nprs, "pain_best": max(nprs - 2, 0), "pain_worst": min(nprs + 2, 10)}
    if code == "psfs":
        answers: dict[str, Any] = {}
        for n, (name, value) in enumerate(zip(ACTIVITIES, psfs, strict=True), start=1):
            answers |= {f"activity_{n}_name": name, f"activity_{n}": value}
        return answers
    return {"change": pgic}


def _outcomes_seed_client(client: User, condition: Condition | None) -> int:
    made = 0
    now = timezone.now()
    for index, (days_ago, nprs, psfs, pgic) in enumerate(COURSE):
        source = OutcomeSource.INTAKE if index == 0 else OutcomeSource.SESSION
        for code in ("nprs", "psfs", "pgic"):
            if code == "pgic" and pgic is None:
                continue
            outcome_record(
                actor=client, client=client, instrument_code=code,
                answers=_outcome_answers(code, nprs, psfs, pgic), source=source,
                condition=condition, as_of=now - dt.timedelta(days=days_ago),
            )  # fmt: skip
            made += 1
    return made


def outcomes_seed(*, stdout: Any) -> None:
    """A few weeks of NPRS, PSFS and PGIC for demo clients 1-3 (after their intakes)."""
    condition = Condition.objects.filter(slug__contains="back").order_by("sort_order").first()
    made = 0
    for number in (1, 2, 3):
        client = User.objects.filter(email=f"client{number}@{DEMO_DOMAIN}").first()
        if client is None or OutcomeResponse.objects.filter(client=client).exists():
            continue
        made += _outcomes_seed_client(client, condition)
    stdout.write(f"intake: {made} demo outcome scores created\n")
