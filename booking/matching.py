"""Gather what scoring needs for one client and service, then rank (see booking.scoring)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from booking.availability_selectors import open_slots_by_location, roster
from booking.openings import LocatedSlot
from booking.scoring import Candidate, ClientNeeds, Match, Opening, rank
from booking.selectors import previous_therapist_ids
from clinic.models import ClinicPolicy, Location, User
from intake.gate import matching_profile_for
from therapists.models import Service, TherapistProfile

LOOKAHEAD_DAYS = 14
OPENINGS_PER_THERAPIST = 3


def client_needs(
    client: User,
    *,
    location: Location | None = None,
    preferred_times: frozenset[str] = frozenset(),
    condition_slugs: frozenset[str] | None = None,
) -> ClientNeeds:
    """The client's needs from their intake; a reason chosen while booking replaces its conditions."""
    profile = matching_profile_for(client)
    return ClientNeeds(
        condition_slugs=condition_slugs or frozenset(profile.condition_slugs),
        preferred_language=profile.preferred_language,
        preferred_gender=profile.preferred_therapist_gender,
        preferred_location_id=location.pk if location else None,
        preferred_times=preferred_times,
        consented_competencies=frozenset(profile.consented_competencies),
        previous_therapist_ids=tuple(previous_therapist_ids(client)),
    )


def _openings(
    service: Service,
    locations: list[Location],
    ids: list[int],
    now: dt.datetime,
    policy: ClinicPolicy,
) -> dict[int, list[Opening]]:
    found: dict[int, list[Opening]] = defaultdict(list)
    windows = []
    for location in locations:
        today = now.astimezone(location.zone).date()
        windows.append((location, today, today + dt.timedelta(days=LOOKAHEAD_DAYS)))
    # Every location's openings with one busy-time query (and cached rosters).
    by_location = open_slots_by_location(
        service=service, windows=windows, therapist_ids=ids, policy=policy, now=now
    )
    for location in locations:
        slots = by_location[location.pk]
        taken: dict[int, int] = defaultdict(int)
        for slot in slots:
            # The cap is per location: a first location's later openings must not crowd out
            # a second location's sooner ones before the sort below picks the soonest overall.
            if taken[slot.therapist_id] < OPENINGS_PER_THERAPIST:
                taken[slot.therapist_id] += 1
                found[slot.therapist_id].append(
                    Opening(
                        slot.start.astimezone(location.zone),
                        slot.end.astimezone(location.zone),
                        location.pk,
                        location.name,
                    )
                )
    for openings in found.values():
        openings.sort(key=lambda o: o.start_local)
        del openings[OPENINGS_PER_THERAPIST:]
    return found


def _openings_from(slots: list[LocatedSlot], now: dt.datetime) -> dict[int, list[Opening]]:
    """The same openings as :func:`_openings`, read from slots the caller already computed."""
    found: dict[int, list[Opening]] = defaultdict(list)
    for located in sorted(slots, key=lambda s: s.slot.start):
        location = located.location
        last_day = now.astimezone(location.zone).date() + dt.timedelta(days=LOOKAHEAD_DAYS)
        openings = found[located.slot.therapist_id]
        if len(openings) < OPENINGS_PER_THERAPIST and located.local.date() <= last_day:
            openings.append(
                Opening(
                    located.local,
                    located.slot.end.astimezone(location.zone),
                    location.pk,
                    location.name,
                )
            )
    return found


def _candidates(
    service: Service, locations: list[Location], today: dt.date
) -> list[TherapistProfile]:
    ids: set[int] = set()
    for location in locations:
        ids.update(t.therapist_id for t in roster(service, location, on=today).therapists)
    return list(
        TherapistProfile.objects.filter(pk__in=ids)
        .prefetch_related("conditions", "competencies", "languages", "locations")
        .order_by("pk")
    )


def matches_for(
    *,
    client: User,
    service: Service,
    location: Location | None = None,
    preferred_times: frozenset[str] = frozenset(),
    now: dt.datetime | None = None,
    limit: int = 5,
    condition_slugs: frozenset[str] | None = None,
    slots: list[LocatedSlot] | None = None,
) -> list[Match]:
    """The best therapists for this client and service, with reasons and next openings.

    ``slots`` (from :func:`booking.openings.openings_load`, covering at least the next
    LOOKAHEAD_DAYS) gives the openings instead of a computation of their own, so a page
    showing both the matches and a calendar shows one answer.
    """
    now = now or timezone.now()
    needs = client_needs(
        client, location=location, preferred_times=preferred_times, condition_slugs=condition_slugs
    )
    competency = service.required_competency
    if competency is not None and competency.slug not in needs.consented_competencies:
        return []
    locations = (
        [location] if location else list(service.locations.filter(is_active=True).order_by("pk"))
    )
    profiles = _candidates(service, locations, now.date())
    if slots is None:
        openings = _openings(service, locations, [p.pk for p in profiles], now, ClinicPolicy.load())
    else:
        openings = _openings_from(slots, now)
    candidates = [
        Candidate(
            therapist_id=p.pk,
            name=p.display_name,
            conditions={c.slug: str(c) for c in p.conditions.all()},  # str: translated
            competencies={c.slug: str(c) for c in p.competencies.all()},
            languages={lang.code: str(lang) for lang in p.languages.all()},
            gender=p.gender,
            location_ids=frozenset(loc.pk for loc in p.locations.all()),
            accepting_new_clients=p.accepting_new_clients,
            openings=tuple(openings.get(p.pk, ())),
        )
        for p in profiles
    ]
    return rank(candidates, needs, now=now, limit=limit)


def match_payload(match: Match) -> dict[str, Any]:
    return {
        "therapist": match.therapist_id,
        "name": match.name,
        "score": match.score,
        "reasons": match.reasons,
        "next_slots": [
            {
                "start": o.start_local.isoformat(),
                "end": o.end_local.isoformat(),
                "location": o.location_id,
                "location_name": o.location_name,
            }
            for o in match.openings
        ],
    }
