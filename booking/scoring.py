"""Rank therapists for a client: pure scoring with plain-language reasons, no ORM.

Points (higher is better): condition fit up to 40, continuity 25, consented special
competency 10, language 10, gender 10, preferred location 5, preferred time of day 5, and
up to 15 for the soonest opening. Ties break on the sooner opening, then name, then id, so
the same input always gives the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

CONDITION_POINTS = 40
CONTINUITY_POINTS = 25
COMPETENCY_POINTS = 10
LANGUAGE_POINTS = 10
GENDER_POINTS = 10
LOCATION_POINTS = 5
TIME_OF_DAY_POINTS = 5
SOONEST_POINTS = 15
SOONEST_HORIZON_DAYS = 14

TIMES_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


@dataclass(frozen=True)
class ClientNeeds:
    condition_slugs: frozenset[str] = frozenset()
    preferred_language: str | None = None
    preferred_gender: str | None = None
    preferred_location_id: int | None = None
    preferred_times: frozenset[str] = frozenset()  # "morning", "afternoon", "evening"
    consented_competencies: frozenset[str] = frozenset()
    previous_therapist_ids: tuple[int, ...] = ()  # most recent first


@dataclass(frozen=True)
class Opening:
    start_local: dt.datetime  # aware, in the location's zone
    end_local: dt.datetime
    location_id: int
    location_name: str


@dataclass(frozen=True)
class Candidate:
    therapist_id: int
    name: str
    conditions: dict[str, str]  # slug -> name
    competencies: dict[str, str]  # slug -> name
    languages: dict[str, str]  # code -> name
    gender: str
    location_ids: frozenset[int]
    accepting_new_clients: bool = True
    openings: tuple[Opening, ...] = ()


@dataclass
class Match:
    therapist_id: int
    name: str
    score: int
    reasons: list[str] = field(default_factory=list)
    openings: tuple[Opening, ...] = ()

    @property
    def soonest(self) -> dt.datetime | None:
        return self.openings[0].start_local if self.openings else None


def is_eligible(candidate: Candidate, needs: ClientNeeds) -> bool:
    """Treats at least one of the client's conditions; new clients only if accepting."""
    if needs.condition_slugs and not needs.condition_slugs & candidate.conditions.keys():
        return False
    is_returning = candidate.therapist_id in needs.previous_therapist_ids
    return candidate.accepting_new_clients or is_returning


def _condition_part(candidate: Candidate, needs: ClientNeeds) -> tuple[int, list[str]]:
    treated = sorted(needs.condition_slugs & candidate.conditions.keys())
    if not needs.condition_slugs:
        return 0, []
    points = round(CONDITION_POINTS * len(treated) / len(needs.condition_slugs))
    names = [candidate.conditions[slug] for slug in treated]
    return points, [_("treats %(conditions)s") % {"conditions": ", ".join(names)}]


def _competency_part(candidate: Candidate, needs: ClientNeeds) -> tuple[int, list[str]]:
    held = sorted(needs.consented_competencies & candidate.competencies.keys())
    if not held:
        return 0, []
    return COMPETENCY_POINTS, [f"{candidate.competencies[slug]}" for slug in held]


def _gender_reason(gender: str) -> str:
    reasons = {
        "woman": _("a woman therapist, as you asked"),
        "man": _("a man therapist, as you asked"),
        "non_binary": _("a non-binary therapist, as you asked"),
    }
    return reasons.get(gender, _("the kind of therapist you asked for"))


def _preference_parts(candidate: Candidate, needs: ClientNeeds) -> tuple[int, list[str]]:
    points, reasons = 0, []
    language = needs.preferred_language
    if language and language in candidate.languages:
        points += LANGUAGE_POINTS
        reasons.append(_("speaks %(language)s") % {"language": candidate.languages[language]})
    if needs.preferred_gender and needs.preferred_gender == candidate.gender:
        points += GENDER_POINTS
        reasons.append(_gender_reason(candidate.gender))
    if needs.previous_therapist_ids and needs.previous_therapist_ids[0] == candidate.therapist_id:
        points += CONTINUITY_POINTS
        reasons.append(_("your current therapist"))
    elif candidate.therapist_id in needs.previous_therapist_ids:
        points += CONTINUITY_POINTS // 2
        reasons.append(_("has seen you before"))
    if needs.preferred_location_id and needs.preferred_location_id in candidate.location_ids:
        points += LOCATION_POINTS
    return points, reasons


def _in_preferred_time(opening: Opening, times: frozenset[str]) -> bool:
    hour = opening.start_local.hour
    return any(TIMES_OF_DAY[t][0] <= hour < TIMES_OF_DAY[t][1] for t in times if t in TIMES_OF_DAY)


def _opening_part(
    candidate: Candidate, needs: ClientNeeds, now: dt.datetime
) -> tuple[int, list[str]]:
    if not candidate.openings:
        return 0, [_("no opening soon; join the waitlist")]
    points = 0
    first = candidate.openings[0]
    if needs.preferred_times and any(
        _in_preferred_time(o, needs.preferred_times) for o in candidate.openings
    ):
        points += TIME_OF_DAY_POINTS
    days_away = max(0.0, (first.start_local - now).total_seconds() / 86400)
    points += round(SOONEST_POINTS * max(0.0, 1 - days_away / SOONEST_HORIZON_DAYS))
    # The date filter's day names follow the active language ("Tue", "di", "mar").
    when = date_format(first.start_local, "D H:i")
    return points, [
        _("next opening %(when)s at %(location)s") % {"when": when, "location": first.location_name}
    ]


def score_candidate(candidate: Candidate, needs: ClientNeeds, *, now: dt.datetime) -> Match:
    points, reasons = 0, []
    for part in (
        _condition_part(candidate, needs),
        _competency_part(candidate, needs),
        _preference_parts(candidate, needs),
        _opening_part(candidate, needs, now),
    ):
        points += part[0]
        reasons += part[1]
    return Match(candidate.therapist_id, candidate.name, points, reasons, candidate.openings)


def rank(
    candidates: list[Candidate], needs: ClientNeeds, *, now: dt.datetime, limit: int = 5
) -> list[Match]:
    """The best ``limit`` eligible therapists, best first, with their reasons."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    matches = [score_candidate(c, needs, now=now) for c in candidates if is_eligible(c, needs)]
    matches.sort(key=lambda m: (-m.score, m.soonest or far, m.name, m.therapist_id))
    return matches[:limit]
