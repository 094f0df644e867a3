"""Matching: eligibility, points, plain-language reasons and deterministic order (pure)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from booking.scoring import Candidate, ClientNeeds, Opening, rank

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 6, 1, 8, 0, tzinfo=NY)  # a Monday


def opening(days: float, hour: int = 10, where: str = "Troy") -> Opening:
    start = dt.datetime.combine(NOW.date() + dt.timedelta(days=days), dt.time(hour), tzinfo=NY)
    return Opening(start, start + dt.timedelta(hours=1), 1, where)


def candidate(pk: int, name: str, conditions=("tmj",), **kw) -> Candidate:
    names = {"tmj": "TMJ", "back-pain": "back pain", "neck-pain": "neck pain"}
    return Candidate(
        therapist_id=pk,
        name=name,
        conditions={c: names[c] for c in conditions},
        competencies=kw.pop("competencies", {}),
        languages=kw.pop("languages", {"en": "English"}),
        gender=kw.pop("gender", "woman"),
        location_ids=frozenset({1}),
        openings=kw.pop("openings", (opening(3),)),
        **kw,
    )


def test_reasons_read_like_the_issue_example():
    dutch = candidate(
        1,
        "Anke",
        competencies={"intraoral": "intraoral MFR"},
        languages={"nl": "Dutch"},
        openings=(opening(1, 10),),
    )
    needs = ClientNeeds(
        condition_slugs=frozenset({"tmj"}),
        preferred_language="nl",
        consented_competencies=frozenset({"intraoral"}),
    )
    (match,) = rank([dutch], needs, now=NOW)
    assert (
        "; ".join(match.reasons)
        == "treats TMJ; intraoral MFR; speaks Dutch; next opening Tue 10:00 at Troy"
    )


def test_therapists_who_do_not_treat_the_condition_are_left_out():
    needs = ClientNeeds(condition_slugs=frozenset({"tmj"}))
    ranked = rank([candidate(1, "A", ("back-pain",)), candidate(2, "B")], needs, now=NOW)
    assert [m.therapist_id for m in ranked] == [2]


def test_not_accepting_new_clients_only_keeps_their_own_clients():
    closed = candidate(1, "A", accepting_new_clients=False)
    assert rank([closed], ClientNeeds(), now=NOW) == []
    assert rank([closed], ClientNeeds(previous_therapist_ids=(1,)), now=NOW)[0].therapist_id == 1


def test_points_for_condition_fit_continuity_preferences_and_soonest():
    needs = ClientNeeds(
        condition_slugs=frozenset({"tmj", "neck-pain"}),
        previous_therapist_ids=(3,),
        preferred_gender="man",
    )
    both = candidate(1, "Both", ("tmj", "neck-pain"), openings=(opening(10),))
    one_soon = candidate(2, "OneSoon", ("tmj",), openings=(opening(1),))
    continuity = candidate(3, "Continuity", ("tmj",), openings=(opening(10),))
    man = candidate(4, "Man", ("tmj",), gender="man", openings=(opening(10),))
    ranked = rank([one_soon, man, both, continuity], needs, now=NOW)
    # Continuity 20+25+4 beats full condition fit 40+4; OneSoon (20+14) and Man (20+10+4)
    # tie on points and the sooner opening wins.
    assert [(m.name, m.score) for m in ranked] == [
        ("Continuity", 49),
        ("Both", 44),
        ("OneSoon", 34),
        ("Man", 34),
    ]
    assert "your current therapist" in ranked[0].reasons


def test_ties_break_on_soonest_then_name_then_id_and_are_stable():
    a = candidate(5, "Same", openings=(opening(3, 11),))
    b = candidate(4, "Same", openings=(opening(3, 11),))
    c = candidate(6, "Alpha", openings=(opening(3, 11),))
    d = candidate(7, "Zed", openings=(opening(3, 10),))
    for order in ([a, b, c, d], [d, c, b, a]):
        assert [m.therapist_id for m in rank(order, ClientNeeds(), now=NOW)] == [7, 6, 4, 5]


def test_no_opening_ranks_last_and_says_so():
    ranked = rank([candidate(1, "Busy", openings=()), candidate(2, "Free")], ClientNeeds(), now=NOW)
    assert [m.name for m in ranked] == ["Free", "Busy"]
    assert ranked[1].reasons[-1].startswith("no opening soon")


def test_preferred_time_of_day_counts():
    needs = ClientNeeds(preferred_times=frozenset({"evening"}))
    morning = candidate(1, "Morning", openings=(opening(2, 9),))
    evening = candidate(2, "Evening", openings=(opening(2, 18),))
    assert rank([morning, evening], needs, now=NOW)[0].name == "Evening"


def test_limit_keeps_the_top_results():
    many = [candidate(i, f"T{i:02d}") for i in range(12)]
    assert len(rank(many, ClientNeeds(), now=NOW, limit=5)) == 5
