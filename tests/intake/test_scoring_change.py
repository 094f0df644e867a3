"""Meaningful change (spec §4) worked by hand for each instrument that defines one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intake.instruments import builtin_definition_data, definition_parse, shipped_rule_data
from intake.scoring import change_assess, is_responder, score


def builtin(instrument_id: str):
    return definition_parse({d["id"]: d for d in builtin_definition_data()}[instrument_id])


def licensed(instrument_id: str):
    return definition_parse(shipped_rule_data(instrument_id))


def nprs_change(before: int, after: int):
    nprs = builtin("nprs")
    return change_assess(nprs, score(nprs, {"pain_now": before}), score(nprs, {"pain_now": after}))


def test_nprs_two_points_is_meaningful():
    change = nprs_change(7, 5)  # 2 points (and 28.57%)
    assert change.meaningful
    assert change.improved
    assert change.improvement == Decimal("2.00")
    assert change.percent_improvement == Decimal("28.57")


def test_nprs_one_point_from_seven_is_not_meaningful():
    change = nprs_change(7, 6)  # 1 point, 1/7 = 14.29%
    assert not change.meaningful
    assert change.percent_improvement == Decimal("14.29")


def test_nprs_thirty_percent_is_meaningful_below_two_points():
    change = nprs_change(3, 2)  # 1 point but 1/3 = 33.33%
    assert change.meaningful
    assert change.improved
    assert change.reason == "changed by at least 30% of baseline"


def test_nprs_worse_by_two_is_a_meaningful_worsening():
    change = nprs_change(4, 6)
    assert change.worsened
    assert not change.improved


def test_nprs_from_zero_has_no_percent():
    change = nprs_change(0, 1)
    assert change.percent_improvement is None
    assert not change.meaningful


def psfs(values: list[int]):
    definition = builtin("psfs")
    answers = {}
    for n, value in enumerate(values, start=1):
        answers |= {f"activity_{n}_name": f"Activity {n}", f"activity_{n}": value}
    return definition, score(definition, answers)


def test_psfs_two_points_on_average_is_meaningful():
    definition, before = psfs([3, 4, 5])  # mean 4
    _, after = psfs([5, 6, 7])  # mean 6
    assert change_assess(definition, before, after).improved


def test_psfs_three_points_on_one_activity_is_meaningful():
    definition, before = psfs([3, 4, 5])  # mean 4
    _, after = psfs([3, 4, 8])  # mean 5: +1 on average, but activity 3 rose by 3
    change = change_assess(definition, before, after)
    assert change.improvement == Decimal("1.00")
    assert change.improved
    assert change.reason == "one item changed by at least 3 points"


def test_psfs_one_point_everywhere_is_not_meaningful():
    definition, before = psfs([3, 4, 5])
    _, after = psfs([4, 5, 6])
    assert not change_assess(definition, before, after).meaningful


@pytest.mark.parametrize(
    ("answer", "responder"), [(1, True), (2, True), (3, False), (4, False), (7, False)]
)
def test_pgic_responder_is_much_or_very_much_improved(answer, responder):
    pgic = builtin("pgic")
    assert is_responder(pgic, score(pgic, {"change": answer})) is responder


def odi(total_of_ten_sections: list[int]):
    definition = licensed("odi")
    return score(definition, {f"s{i}": v for i, v in enumerate(total_of_ten_sections, 1)})


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        ([2] * 10, [2] * 5 + [1] * 5, True),  # 40% → 30%: 10 points
        ([2] * 10, [2] * 6 + [1] * 4, False),  # 40% → 32%: 8 points, 20% of baseline
        ([1] * 10, [1] * 7 + [0] * 3, True),  # 20% → 14%: 6 points but 30% of baseline
    ],
)
def test_odi_ten_points_or_thirty_percent(before, after, meaningful):
    assert change_assess(licensed("odi"), odi(before), odi(after)).meaningful is meaningful


def ticked(count: int):
    definition = licensed("rmdq")
    return score(definition, {f"s{i}": True for i in range(1, count + 1)})


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [(12, 7, True), (10, 7, True), (12, 9, False)],  # 5 points; 3 = 30% of 10; 3 = 25% of 12
)
def test_rmdq_five_points_or_thirty_percent(before, after, meaningful):
    assert change_assess(licensed("rmdq"), ticked(before), ticked(after)).meaningful is meaningful


def ndi_raw(raw_values: list[int]):
    return score(licensed("ndi"), {f"q{i}": v for i, v in enumerate(raw_values, 1)})


def test_ndi_five_raw_points_is_meaningful_and_four_is_not():
    ndi = licensed("ndi")
    before = ndi_raw([2] * 10)  # raw 20
    assert change_assess(ndi, before, ndi_raw([2] * 5 + [1] * 5)).improved  # raw 15
    # raw 16: 4 points; NDI has no percent threshold, although 4/20 = 20%.
    assert not change_assess(ndi, before, ndi_raw([2] * 6 + [1] * 4)).meaningful


def lefs(total: int):
    values = [4] * (total // 4) + [total % 4] + [0] * 20
    return score(licensed("lefs"), {f"l{i}": v for i, v in enumerate(values[:20], 1)})


def test_lefs_nine_points_higher_is_better():
    definition = licensed("lefs")
    assert change_assess(definition, lefs(40), lefs(49)).improved
    assert not change_assess(definition, lefs(40), lefs(48)).meaningful
    assert change_assess(definition, lefs(40), lefs(31)).worsened


def test_an_invalid_score_cannot_be_compared():
    definition = licensed("lefs")
    incomplete = score(definition, {"l1": 4})
    change = change_assess(definition, incomplete, lefs(40))
    assert not change.meaningful
    assert change.reason == "both scores must be valid to compare"
