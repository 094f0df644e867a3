"""The month table and the chosen day's times, as the booking calendar and rescheduling show
them: plain data for templates/booking/_month.html and _day_times.html."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import QueryDict
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from booking.openings import TimeChoice, add_months, month_last_day, month_weeks, opening_days
from therapists.models import TherapistProfile

PARTS_OF_DAY = {"morning": _("Morning"), "afternoon": _("Afternoon"), "evening": _("Evening")}


class Links:
    """URLs of one page with some of its query-string state changed (the rest kept)."""

    def __init__(self, path: str, state: dict[str, str], keys: tuple[str, ...]) -> None:
        self.path, self.state, self.keys = path, state, keys

    def to(self, **changes: Any) -> str:
        query = QueryDict(mutable=True)
        for key in self.keys:
            value = changes[key] if key in changes else self.state.get(key, "")
            if value not in (None, ""):
                query[key] = str(value)
        return f"{self.path}?{query.urlencode()}"


def month_and_day(
    month: dt.date | None, day: dt.date | None, today: dt.date, last_open: dt.date
) -> tuple[dt.date, dt.date | None]:
    """The month shown (within today's month..the horizon's) and the chosen day in it, if any."""
    shown = (month or day or today).replace(day=1)
    shown = min(max(shown, today.replace(day=1)), last_open.replace(day=1))
    if day is not None and day.replace(day=1) != shown:
        day = None
    return shown, day


def month_context(
    links: Links,
    month: dt.date,
    day: dt.date | None,
    today: dt.date,
    last_open: dt.date,
    choices: list[TimeChoice],
) -> dict[str, Any]:
    """The month's weeks, each day with its number of openings and a link when it has any."""
    last = month_last_day(month)
    counts = {d.day: d.openings for d in opening_days(c for c in choices if month <= c.day <= last)}
    weeks = [
        [
            None
            if date is None
            else {
                "date": date,
                "openings": counts.get(date, 0),
                "url": links.to(day=date.isoformat(), month=month.strftime("%Y-%m"))
                if counts.get(date)
                else "",
                "chosen": date == day,
                "today": date == today,
            }
            for date in week
        ]
        for week in month_weeks(month)
    ]
    previous, following = add_months(month, -1), add_months(month, 1)
    return {
        "month": month,
        "weeks": weeks,
        "month_openings": sum(counts.values()),
        "weekday_names": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
        "previous_url": links.to(month=previous.strftime("%Y-%m"), day="")
        if previous >= today.replace(day=1)
        else "",
        "next_url": links.to(month=following.strftime("%Y-%m"), day="")
        if following <= last_open
        else "",
    }


def day_context(
    day: dt.date | None, choices: list[TimeChoice], url_for: Callable[[TimeChoice], str]
) -> dict[str, Any]:
    """The chosen day's times in morning, afternoon and evening, each with its link."""
    if day is None:
        return {"day": None, "day_parts": [], "day_count": 0, "day_late": False}
    times = [c for c in choices if c.day == day]
    names = dict(
        TherapistProfile.objects.filter(pk__in={c.therapist_id for c in times}).values_list(
            "pk", "display_name"
        )
    )
    parts = []
    for key, label in PARTS_OF_DAY.items():
        rows = [
            {"choice": c, "therapist_name": names.get(c.therapist_id, ""), "url": url_for(c)}
            for c in times
            if c.part_of_day == key
        ]
        if rows:
            parts.append({"key": key, "label": label, "rows": rows})
    return {
        "day": day,
        "day_parts": parts,
        "day_count": len(times),
        "day_late": any(c.late for c in times),
    }
