"""Worked examples for every scoring rule of spec §4; expected numbers are worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from intake.instruments import builtin_definition_data, definition_parse, shipped_rule_data
from intake.scoring import AnswersInvalid, score, score_bounds


def builtin(instrument_id: str):
    data = {d["id"]: d for d in builtin_definition_data()}[instrument_id]
    return definition_parse(data)


def licensed(instrument_id: str):
    return definition_parse(shipped_rule_data(instrument_id))


def numbered(prefix: str, values: list[int | None]) -> dict[str, int]:
    """{'s1': 3, 's2': 2, ...}; None leaves that item unanswered."""
    return {f"{prefix}{i}": v for i, v in enumerate(values, start=1) if v is not None}


# --- value: NPRS, PGIC ----------------------------------------------------------------------


def test_nprs_scores_the_pain_now_value():
    result = score(builtin("nprs"), {"pain_now": 7, "pain_best": 3, "pain_worst": 9})
    assert result.valid
    assert result.value == Decimal("7.00")
    assert result.items_used == ("pain_now",)


def test_nprs_accepts_a_form_string_and_leaves_optional_items_blank():
    result = score(builtin("nprs"), {"pain_now": "4", "pain_best": ""})
    assert result.value == Decimal("4.00")


def test_nprs_out_of_range_names_the_item():
    with pytest.raises(AnswersInvalid) as caught:
        score(builtin("nprs"), {"pain_now": 11})
    assert caught.value.extra["fields"] == {
        "answers.pain_now": ["must be a whole number from 0 to 10, not 11"]
    }
    assert "pain_now" in caught.value.message


def test_nprs_requires_pain_now():
    with pytest.raises(AnswersInvalid) as caught:
        score(builtin("nprs"), {"pain_worst": 8})
    assert caught.value.extra["fields"] == {"answers.pain_now": ["this item is required"]}


@pytest.mark.parametrize("bad", [True, 4.5, "four", [3]])
def test_nprs_rejects_answers_that_are_not_one_whole_number(bad):
    with pytest.raises(AnswersInvalid) as caught:
        score(builtin("nprs"), {"pain_now": 5, "pain_best": bad})
    assert list(caught.value.extra["fields"]) == ["answers.pain_best"]


def test_unknown_item_is_rejected_by_name():
    with pytest.raises(AnswersInvalid) as caught:
        score(builtin("nprs"), {"pain_now": 5, "mood": 3})
    assert caught.value.extra["fields"] == {"answers.mood": ["is not an item of this instrument"]}


def test_answers_must_be_an_object():
    with pytest.raises(AnswersInvalid) as caught:
        score(builtin("nprs"), [5])
    assert "answers" in caught.value.extra["fields"]


def test_pgic_scores_the_value_and_rejects_eight():
    assert score(builtin("pgic"), {"change": 2}).value == Decimal("2.00")
    with pytest.raises(AnswersInvalid):
        score(builtin("pgic"), {"change": 8})


# --- mean: PSFS, JFLS-8, Boston subscales -------------------------------------------------


def test_psfs_is_the_mean_of_three_activities():
    answers = {
        "activity_1_name": "Lifting my daughter", "activity_1": 3,
        "activity_2_name": "Driving", "activity_2": 4,
        "activity_3_name": "Gardening", "activity_3": 6,
    }  # fmt: skip
    result = score(builtin("psfs"), answers)
    # (3 + 4 + 6) / 3 = 13 / 3 = 4.333...
    assert result.value == Decimal("4.33")
    assert result.items_used == ("activity_1", "activity_2", "activity_3")


def test_psfs_is_the_mean_of_five_activities():
    answers = {f"activity_{n}_name": f"Activity {n}" for n in range(1, 6)}
    answers |= numbered("activity_", [2, 4, 5, 7, 8])
    # (2 + 4 + 5 + 7 + 8) / 5 = 26 / 5 = 5.2
    assert score(builtin("psfs"), answers).value == Decimal("5.20")


def test_psfs_needs_three_activities():
    answers = {"activity_1_name": "Walking", "activity_1": 3, "activity_2_name": "Sitting"}
    with pytest.raises(AnswersInvalid) as caught:
        score(builtin("psfs"), answers)
    assert set(caught.value.extra["fields"]) == {
        "answers.activity_2",
        "answers.activity_3_name",
        "answers.activity_3",
    }


def test_jfls8_is_the_mean_of_answered_items():
    # Item 6 missing: (2 + 3 + 0 + 5 + 4 + 1 + 6) / 7 = 21 / 7 = 3
    result = score(licensed("jfls8"), numbered("j", [2, 3, 0, 5, 4, None, 1, 6]))
    assert result.value == Decimal("3.00")
    assert len(result.items_used) == 7


def test_jfls8_with_nothing_answered_is_invalid():
    result = score(licensed("jfls8"), {})
    assert not result.valid
    assert result.value is None
    assert result.reason == "0 of 8 items answered; at least 1 needed"


def test_boston_scores_each_scale_as_the_mean_of_its_answered_items():
    answers = numbered("sss", [2, 3, 1, 4, 2, 2, 3, 1, 5, 2, None])
    answers |= numbered("fss", [1, 2, 2, 3, 1, 1, 2, 3])
    result = score(licensed("bctq"), answers)
    symptoms, function = result.subscores
    # Symptoms: 25 over the 10 answered = 2.5; function: 15 / 8 = 1.875, rounded half up.
    assert (symptoms.id, symptoms.score.value) == ("symptoms", Decimal("2.50"))
    assert (function.id, function.score.value) == ("function", Decimal("1.88"))
    assert result.value == Decimal("2.50")  # the primary scale
    assert result.valid


def test_boston_rejects_zero_on_a_one_to_five_scale():
    with pytest.raises(AnswersInvalid) as caught:
        score(licensed("bctq"), {"sss1": 0})
    assert list(caught.value.extra["fields"]) == ["answers.sss1"]


# --- sum: LEFS, RMDQ ------------------------------------------------------------------------


def test_lefs_is_the_sum_of_twenty_items():
    # Ten items at 3 and ten at 2: 30 + 20 = 50 of 80.
    result = score(licensed("lefs"), numbered("l", [3] * 10 + [2] * 10))
    assert result.value == Decimal("50.00")


def test_lefs_with_a_missing_item_is_invalid():
    result = score(licensed("lefs"), numbered("l", [3] * 19 + [None]))
    assert not result.valid
    assert result.reason == "19 of 20 items answered; at least 20 needed"


def test_rmdq_counts_ticked_statements_and_unticked_are_not_ticked():
    answers = {"s1": True, "s4": "on", "s7": "true", "s10": True, "s24": True, "s2": False}
    result = score(licensed("rmdq"), answers)
    assert result.value == Decimal("5.00")
    assert result.valid


def test_rmdq_with_nothing_ticked_is_zero():
    assert score(licensed("rmdq"), {}).value == Decimal("0.00")


def test_rmdq_rejects_a_number_for_a_statement():
    with pytest.raises(AnswersInvalid) as caught:
        score(licensed("rmdq"), {"s3": 2})
    assert list(caught.value.extra["fields"]) == ["answers.s3"]


# --- percent of the maximum of answered items: ODI, FFI, FAAM ------------------------------


def test_odi_complete_is_sum_over_fifty():
    # 1+2+1+0+2+1+1+0+1+1 = 10; 10 / (5 x 10) x 100 = 20%: the top of the first band.
    result = score(licensed("odi"), numbered("s", [1, 2, 1, 0, 2, 1, 1, 0, 1, 1]))
    assert (result.value, result.unit, result.band) == (Decimal("20.00"), "percent", "0-20%")


def test_odi_missing_section_divides_by_the_sections_answered():
    # Section 8 missing: 3+2+4+1+0+2+3+1+2 = 18; 18 / (5 x 9) x 100 = 40%.
    result = score(licensed("odi"), numbered("s", [3, 2, 4, 1, 0, 2, 3, None, 1, 2]))
    assert (result.value, result.band) == (Decimal("40.00"), "21-40%")
    assert len(result.items_used) == 9


def test_odi_two_boxes_ticked_scores_the_higher():
    # Section 1 ticked at 2 and 4 → 4; 4+2+1+0+2+1+1+0+1+1 = 13; 13 / 50 x 100 = 26%.
    answers = numbered("s", [None, 2, 1, 0, 2, 1, 1, 0, 1, 1]) | {"s1": [2, 4]}
    result = score(licensed("odi"), answers)
    assert (result.value, result.band) == (Decimal("26.00"), "21-40%")
    assert result.item_values["s1"] == Decimal("4.00")


@pytest.mark.parametrize(
    ("sections", "percent", "band"),
    [
        ([5, 5, 4, 3, 2, 2, 0, 0, 0, 0], "42.00", "41-60%"),  # 21 / 50
        ([5, 5, 5, 5, 5, 5, 0, 0, 0, 0], "60.00", "41-60%"),  # 30 / 50
        ([5, 5, 5, 5, 5, 5, 5, 5, 0, 0], "80.00", "61-80%"),  # 40 / 50
        ([5, 5, 5, 5, 5, 5, 5, 5, 5, 1], "92.00", "81-100%"),  # 46 / 50
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "0.00", "0-20%"),
    ],
)
def test_odi_bands(sections, percent, band):
    result = score(licensed("odi"), numbered("s", sections))
    assert (result.value, result.band) == (Decimal(percent), band)


def test_odi_two_boxes_out_of_range_is_rejected():
    with pytest.raises(AnswersInvalid) as caught:
        score(licensed("odi"), {"s1": [2, 6]})
    assert list(caught.value.extra["fields"]) == ["answers.s1"]


def test_two_boxes_are_rejected_where_the_rule_does_not_allow_them():
    with pytest.raises(AnswersInvalid) as caught:
        score(licensed("ndi"), {"q1": [1, 2]})
    assert caught.value.extra["fields"] == {"answers.q1": ["choose only one answer"]}


def test_ffi_is_percent_of_the_items_answered():
    # 20 of 23 answered, sum 87 (seventeen 4s = 68, plus 5, 6, 8); 87 / (10 x 20) x 100 = 43.5%.
    values = [4] * 17 + [5, 6, 8, None, None, None]
    result = score(licensed("ffi"), numbered("i", values))
    assert result.value == Decimal("43.50")
    assert result.unit == "percent"


def faam_answers(adl_missing: int, sports_missing: int) -> dict[str, int]:
    adl = [3] * (21 - adl_missing) + [None] * adl_missing
    sports = [4, 3, 2, 4, 3, 1, 2, 0][: 8 - sports_missing] + [None] * sports_missing
    return numbered("adl", adl) | numbered("sp", sports)


def test_faam_subscales_at_the_minimum_answered():
    # ADL: 19 answered x 3 = 57; 57 / (4 x 19) x 100 = 75%.
    # Sports: 7 answered 4+3+2+4+3+1+2 = 19; 19 / (4 x 7) x 100 = 67.857...%.
    result = score(licensed("faam"), faam_answers(adl_missing=2, sports_missing=1))
    adl, sports = result.subscores
    assert adl.score.value == Decimal("75.00")
    assert sports.score.value == Decimal("67.86")
    assert result.valid
    assert result.value == Decimal("75.00")


def test_faam_adl_with_eighteen_of_twenty_one_is_invalid():
    result = score(licensed("faam"), faam_answers(adl_missing=3, sports_missing=0))
    adl, sports = result.subscores
    assert not adl.score.valid
    assert adl.score.value is None
    assert sports.score.valid  # all 8: 19 / (4 x 8) x 100 = 59.375%, still reported
    assert sports.score.value == Decimal("59.38")
    assert not result.valid
    assert result.reason == (
        "Activities of daily living: 18 of 21 items answered; at least 19 needed"
    )


def test_faam_sports_with_six_of_eight_is_invalid():
    result = score(licensed("faam"), faam_answers(adl_missing=0, sports_missing=2))
    assert not result.valid
    assert result.reason == "Sports: 6 of 8 items answered; at least 7 needed"


# --- NDI: missing item adds the mean of the answered ones ----------------------------------


def test_ndi_complete_is_raw_with_percent_twice_raw():
    # 2+1+3+2+0+1+2+3+1+0 = 15 raw; 15 x 2 = 30%.
    result = score(licensed("ndi"), numbered("q", [2, 1, 3, 2, 0, 1, 2, 3, 1, 0]))
    assert (result.value, result.percent) == (Decimal("15.00"), Decimal("30.00"))


def test_ndi_missing_item_adds_the_mean_of_answered():
    # Nine answered sum 15, mean 15/9 = 1.667; raw = 15 + 1.667 = 16.667; x 2 = 33.333%.
    result = score(licensed("ndi"), numbered("q", [2, 1, 3, 2, 0, 1, 2, 3, 1, None]))
    assert (result.value, result.percent) == (Decimal("16.67"), Decimal("33.33"))


def test_ndi_two_missing_items_each_add_the_mean():
    # Eight answered: 4+4+2+2+3+3+1+1 = 20, mean 2.5; raw = 20 + 2 x 2.5 = 25; 50%.
    result = score(licensed("ndi"), numbered("q", [4, 4, 2, 2, None, 3, 3, None, 1, 1]))
    assert (result.value, result.percent) == (Decimal("25.00"), Decimal("50.00"))


# --- weighted answers: HIT-6 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        (["never"] * 6, "36.00", "49 or less"),  # 6 x 6
        (["never", "rarely", "rarely", "rarely", "rarely", "very_often"], "49.00", "49 or less"),
        (["sometimes", "rarely", "rarely", "rarely", "rarely", "rarely"], "50.00", "50-55"),
        (["very_often"] * 3 + ["rarely", "rarely", "never"], "55.00", "50-55"),  # 33 + 16 + 6
        (["always", "sometimes", "sometimes", "sometimes", "rarely", "rarely"], "59.00", "56-59"),
        (["sometimes"] * 6, "60.00", "60 or more"),  # 6 x 10
        (["always"] * 6, "78.00", "60 or more"),  # 6 x 13
    ],
)
def test_hit6_weights_answers_and_bands_the_total(answers, total, band):
    result = score(licensed("hit6"), {f"q{i}": a for i, a in enumerate(answers, start=1)})
    assert (result.value, result.band) == (Decimal(total), band)


def test_hit6_unanswered_item_is_invalid():
    result = score(licensed("hit6"), {f"q{i}": "never" for i in range(1, 6)})
    assert not result.valid
    assert result.reason == "5 of 6 items answered; at least 6 needed"


def test_hit6_unknown_option_names_the_item():
    with pytest.raises(AnswersInvalid) as caught:
        score(licensed("hit6"), {"q2": "often"})
    assert list(caught.value.extra["fields"]) == ["answers.q2"]


# --- FIQR domains ----------------------------------------------------------------------------


def fiqr_answers(function: list[int | None], overall: list[int], symptoms: list[int]):
    return numbered("f", function) | numbered("o", overall) | numbered("s", symptoms)


def test_fiqr_total_is_function_over_three_plus_overall_plus_symptoms_over_two():
    # Function 9 x 3 = 27 → 9; overall 6 + 8 = 14; symptoms 10 x 5 = 50 → 25; 9 + 14 + 25 = 48.
    result = score(licensed("fiqr"), fiqr_answers([3] * 9, [6, 8], [5] * 10))
    assert result.value == Decimal("48.00")
    assert [(s.id, s.score.value) for s in result.subscores] == [
        ("function", Decimal("9.00")),
        ("overall", Decimal("14.00")),
        ("symptoms", Decimal("25.00")),
    ]


def test_fiqr_with_thirds_and_halves():
    # Function 20 / 3 = 6.667; overall 2 + 3 = 5; symptoms 33 / 2 = 16.5; total 28.1667.
    function = [4, 4, 3, 3, 2, 2, 1, 1, 0]
    symptoms = [5, 4, 4, 3, 3, 3, 3, 3, 3, 2]
    result = score(licensed("fiqr"), fiqr_answers(function, [2, 3], symptoms))
    assert result.value == Decimal("28.17")


def test_fiqr_maximum_is_one_hundred():
    # 90 / 3 + 20 + 100 / 2 = 30 + 20 + 50.
    assert score(licensed("fiqr"), fiqr_answers([10] * 9, [10, 10], [10] * 10)).value == 100


def test_fiqr_with_a_missing_function_item_is_invalid():
    result = score(licensed("fiqr"), fiqr_answers([3] * 8 + [None], [6, 8], [5] * 10))
    assert not result.valid
    assert result.reason == "Function: 1 item(s) not answered"


@pytest.mark.parametrize(
    ("definition", "bounds"),
    [
        (builtin("nprs"), ("0.00", "10.00")),
        (builtin("pgic"), ("1.00", "7.00")),
        (licensed("odi"), ("0.00", "100.00")),
        (licensed("rmdq"), ("0.00", "24.00")),
        (licensed("ndi"), ("0.00", "50.00")),
        (licensed("hit6"), ("36.00", "78.00")),
        (licensed("fiqr"), ("0.00", "100.00")),
        (licensed("lefs"), ("0.00", "80.00")),
        (licensed("bctq"), ("1.00", "5.00")),
    ],
)
def test_score_bounds_match_the_ranges_of_spec_section_four(definition, bounds):
    assert tuple(str(b) for b in score_bounds(definition)) == bounds
