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
from django.utils.translation import gettext_lazy as _

from booking import selectors
from booking.forms import CalendarForm, ReasonForm
from booking.matching import LOOKAHEAD_DAYS, matches_for
from booking.openings import (
    TimeChoice,
    horizon_end,
    month_last_day,
    openings_load,
    slots_avoiding,
    time_choices,
    today_at,
)
from booking.views.appointments import reason_stored
from booking.views.month import Links, day_context, month_and_day, month_context
from clinic.models import ClinicPolicy, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user

STATE = ("service", "location", "therapist", "month", "day")


def _params(request: HttpRequest, stored: ReasonForm | None) -> QueryDict | None:
    """The query string, with the service (and therapist) of step 1 when it names none."""
    params = request.GET.copy()
    if params.get("service"):
        return params
    if stored is None or not stored.is_valid():
        return None
    params["service"] = str(stored.cleaned_data["service"].pk)
    if "therapist" not in params and stored.cleaned_data["therapist"]:
        params["therapist"] = str(stored.cleaned_data["therapist"].pk)
    return params


def _condition(stored: ReasonForm | None) -> Any:
    return stored.cleaned_data["condition"] if stored is not None and stored.is_valid() else None


def _links(state: dict[str, str]) -> Links:
    return Links(reverse("booking:find"), state, STATE)


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
    # Step 1's answers, read (and validated: three lookups) once for the request.
    stored = reason_stored(request)
    params = _params(request, stored)
    if params is None:
        if stored is not None:  # e.g. the service was withdrawn since step 1
            return render(request, "booking/start.html", {"form": stored}, status=400)
        return redirect("booking:start")
    form = CalendarForm(params)
    if not form.is_valid():
        return render(request, "booking/find.html", {"form": form, "invalid": True}, status=400)
    context = _calendar(request, form.cleaned_data, _condition(stored))
    response = render(request, "booking/find.html", {"form": form, **context})
    if form.cleaned_data["first"]:
        response["HX-Push-Url"] = context["links"].to()
    return response


def _calendar(request: HttpRequest, data: dict[str, Any], condition: Any) -> dict[str, Any]:
    client, policy, now = signed_in_user(request), ClinicPolicy.load(), timezone.now()
    service, location, therapist = data["service"], data["location"], data["therapist"]
    all_locations = list(service.locations.filter(is_active=True).order_by("name", "pk"))
    locations = [location] if location else all_locations
    base: dict[str, Any] = {
        "service": service,
        "condition": condition,
        "locations": all_locations,
        "location": location,
        "therapist": therapist,
        "policy": policy,
    }
    if not locations:
        return {**base, "links": _links(_state(data, now.date().replace(day=1), None))}
    today = today_at(locations[0], now)
    last_open = horizon_end(locations[0], policy, now)
    month, day = month_and_day(data["month"], data["day"], today, last_open)
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
    links = _links(_state(data, month, day))
    return {
        **base,
        **_choice_links(links, all_locations, location, matches, therapist),
        "matches": matches,
        "links": links,
        **month_context(links, month, day, today, last_open, choices),
        **day_context(day, choices, lambda choice: _confirm_url(service, choice)),
        "first_url": f"{links.to(month='', day='')}&first=1",
        "has_openings": bool(choices),
        "nothing_ahead": data["first"] and not choices,
    }


def _choice_links(
    links: Links, places: list[Any], location: Any, matches: list[Any], therapist: Any
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
