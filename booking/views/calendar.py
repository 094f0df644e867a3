"""The booking calendar: location, therapist (or anyone), a month of days with openings, the
chosen day's times grouped by part of the day, then the confirm page.

Every step is a plain GET link or form (htmx only swaps the region in place); the state is in
the query string and never names a condition: the reason for the visit stays in the session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from booking import selectors
from booking.forms import CalendarForm
from booking.matching import LOOKAHEAD_DAYS, matches_for
from booking.openings import (
    TimeChoice,
    add_months,
    horizon_end,
    month_last_day,
    month_weeks,
    opening_days,
    openings_load,
    slots_avoiding,
    time_choices,
    today_at,
)
from booking.views.appointments import _reason_stored
from clinic.models import ClinicPolicy, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from therapists.models import TherapistProfile

PARTS_OF_DAY = {"morning": _("Morning"), "afternoon": _("Afternoon"), "evening": _("Evening")}
STATE = ("service", "location", "therapist", "month", "day")


def _params(request: HttpRequest) -> QueryDict | None:
    """The query string, with the service (and therapist) of step 1 when it names none."""
    params = request.GET.copy()
    if params.get("service"):
        return params
    stored = _reason_stored(request)
    if stored is None or not stored.is_valid():
        return None
    params["service"] = str(stored.cleaned_data["service"].pk)
    if "therapist" not in params and stored.cleaned_data["therapist"]:
        params["therapist"] = str(stored.cleaned_data["therapist"].pk)
    return params


def _condition(request: HttpRequest) -> Any:
    stored = _reason_stored(request)
    return stored.cleaned_data["condition"] if stored is not None and stored.is_valid() else None


class _Links:
    """URLs of this page with some of the state changed (the others kept)."""

    def __init__(self, state: dict[str, str]) -> None:
        self.state = state

    def to(self, **changes: Any) -> str:
        query = QueryDict(mutable=True)
        for key in STATE:
            value = changes[key] if key in changes else self.state.get(key, "")
            if value not in (None, ""):
                query[key] = str(value)
        return f"{reverse('booking:find')}?{query.urlencode()}"


def _state(data: dict[str, Any], month: dt.date, day: dt.date | None) -> dict[str, str]:
    return {
        "service": str(data["service"].pk),
        "location": str(data["location"].pk) if data["location"] else "",
        "therapist": str(data["therapist"].pk) if data["therapist"] else "",
        "month": month.strftime("%Y-%m"),
        "day": day.isoformat() if day else "",
    }


@role_required(Role.CLIENT)
def find(request: HttpRequest) -> HttpResponse:
    """Steps 2-4: where, with whom, which day and which time (GET only, no health data)."""
    params = _params(request)
    if params is None:
        stored = _reason_stored(request)
        if stored is not None:  # e.g. the service was withdrawn since step 1
            return render(request, "booking/start.html", {"form": stored}, status=400)
        return redirect("booking:start")
    form = CalendarForm(params)
    if not form.is_valid():
        return render(request, "booking/find.html", {"form": form, "invalid": True}, status=400)
    context = _calendar(request, form.cleaned_data)
    response = render(request, "booking/find.html", {"form": form, **context})
    if form.cleaned_data["first"]:
        response["HX-Push-Url"] = context["links"].to()
    return response


def _calendar(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    client, policy, now = signed_in_user(request), ClinicPolicy.load(), timezone.now()
    service, location, therapist = data["service"], data["location"], data["therapist"]
    all_locations = list(service.locations.filter(is_active=True).order_by("name", "pk"))
    locations = [location] if location else all_locations
    base: dict[str, Any] = {
        "service": service,
        "condition": _condition(request),
        "locations": all_locations,
        "location": location,
        "therapist": therapist,
        "policy": policy,
    }
    if not locations:
        return {**base, "links": _Links(_state(data, now.date().replace(day=1), None))}
    today = today_at(locations[0], now)
    last_open = horizon_end(locations[0], policy, now)
    month, day = _month_and_day(data, today, last_open)
    last_day = max(month_last_day(month), today + dt.timedelta(days=LOOKAHEAD_DAYS))
    slots = openings_load(
        service=service,
        locations=locations,
        first_day=today,
        last_day=last_open if data["first"] else min(last_day, last_open),
        for_client=client.pk,
        now=now,
        policy=policy,
    )
    # Booking refuses a time overlapping the client's own appointments: none is offered.
    slots = slots_avoiding(slots, selectors.client_busy_spans(client, now))
    condition = base["condition"]
    matches = matches_for(
        client=client,
        service=service,
        location=location,
        condition_slugs=frozenset({condition.slug}) if condition else None,
        slots=slots,
        now=now,
    )
    choices = time_choices(
        slots,
        policy=policy,
        now=now,
        therapist_id=therapist.pk if therapist else None,
        preferred=[m.therapist_id for m in matches],
    )
    if data["first"] and choices:
        day = choices[0].day
        month = day.replace(day=1)
    elif day is None:
        # No day chosen yet: the month's first day with an opening, so times show at once.
        day = next((c.day for c in choices if c.day.replace(day=1) == month), None)
    links = _Links(_state(data, month, day))
    return {
        **base,
        **_choice_links(links, all_locations, location, matches, therapist),
        "matches": matches,
        "links": links,
        **_month_context(links, month, day, today, last_open, choices),
        **_day_context(links, service, day, choices),
        "has_openings": bool(choices),
    }


def _choice_links(
    links: _Links, places: list[Any], location: Any, matches: list[Any], therapist: Any
) -> dict[str, Any]:
    """Step links: a new place or person keeps the month shown but not the chosen day."""
    location_choices = [
        {"name": _("Any location"), "url": links.to(location="", day=""), "current": not location}
    ] + [
        {
            "name": place.name,
            "url": links.to(location=place.pk, day=""),
            "current": bool(location and location.pk == place.pk),
        }
        for place in places
    ]
    match_rows = [
        {
            "match": match,
            "url": links.to(therapist=match.therapist_id, day=""),
            "chosen": bool(therapist and therapist.pk == match.therapist_id),
        }
        for match in matches
    ]
    return {
        "location_choices": location_choices,
        "match_rows": match_rows,
        "anyone_url": links.to(therapist="", day=""),
        "weekday_names": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
    }


def _month_and_day(
    data: dict[str, Any], today: dt.date, last_open: dt.date
) -> tuple[dt.date, dt.date | None]:
    """The month shown (within today's month..the horizon's) and the chosen day in it, if any."""
    day = data["day"]
    month = (data["month"] or day or today).replace(day=1)
    month = min(max(month, today.replace(day=1)), last_open.replace(day=1))
    if day is not None and day.replace(day=1) != month:
        day = None
    return month, day


def _month_context(
    links: _Links,
    month: dt.date,
    day: dt.date | None,
    today: dt.date,
    last_open: dt.date,
    choices: list[TimeChoice],
) -> dict[str, Any]:
    last = month_last_day(month)
    counts = {d.day: d.openings for d in opening_days(c for c in choices if month <= c.day <= last)}
    weeks = [
        [
            None
            if date is None
            else {
                "date": date,
                "openings": counts.get(date, 0),
                "url": links.to(day=date.isoformat()) if counts.get(date) else "",
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
        "previous_url": links.to(month=previous.strftime("%Y-%m"), day="")
        if previous >= today.replace(day=1)
        else "",
        "next_url": links.to(month=following.strftime("%Y-%m"), day="")
        if following <= last_open
        else "",
        "first_url": f"{links.to(month='', day='')}&first=1",
    }


def _day_context(
    links: _Links, service: Any, day: dt.date | None, choices: list[TimeChoice]
) -> dict[str, Any]:
    if day is None:
        return {"day": None, "day_parts": [], "day_late": False}
    times = [c for c in choices if c.day == day]
    names = dict(
        TherapistProfile.objects.filter(pk__in={c.therapist_id for c in times}).values_list(
            "pk", "display_name"
        )
    )
    parts = []
    for key, label in PARTS_OF_DAY.items():
        rows = [
            {
                "choice": c,
                "therapist_name": names.get(c.therapist_id, ""),
                "url": _confirm_url(service, c),
            }
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


def _confirm_url(service: Any, choice: TimeChoice) -> str:
    query = QueryDict(mutable=True)
    query.update(
        {
            "service": str(service.pk),
            "therapist": str(choice.therapist_id),
            "start": choice.local.isoformat(),
            "location": str(choice.location.pk),
        }
    )
    return f"{reverse('booking:confirm')}?{query.urlencode()}"
