"""Answers the clinic already knows about a client, filled in instead of asked.

The intake asks for age in years; when the client's profile has a date of birth, the age is
computed from it (on the clinic's current date) and the question is not shown. Screening rules
keep reading ``age`` from the answers, so they work the same either way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from clinic.models import ClientProfile, User
from intake import questionnaire_logic as ql

AGE_LINK_ID = "age"


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years from ``date_of_birth`` to ``day`` (a 29 February birthday counts on 1 March)."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def answers_known_for(
    client: User, items: list[ql.Item], *, today: dt.date | None = None
) -> dict[str, Any]:
    """{link_id: answer} for the questions of ``items`` the client's profile already answers."""
    ages = [i for i in ql.iter_items(items) if i.link_id == AGE_LINK_ID and i.type == "integer"]
    if not ages:
        return {}
    born = (
        ClientProfile.objects.filter(user_id=client.pk)
        .values_list("date_of_birth", flat=True)
        .first()
    )
    if born is None:
        return {}
    age = age_on(born, today or timezone.localdate())
    item = ages[0]
    low = item.min_value if item.min_value is not None else 0
    high = item.max_value if item.max_value is not None else 150
    if not low <= age <= high:  # a mistyped date of birth: ask instead of guessing
        return {}
    return {AGE_LINK_ID: age}
