"""Openings for the client's booking calendar and the API's "days with openings".

One availability computation per location for the whole range shown (never one per day):
:func:`openings_load` asks :mod:`booking.availability_selectors` once per location and keeps
every therapist's slots, so the therapist cards' "next opening", the calendar's days and the
chosen day's times are all read from the same list and cannot disagree. The rest is pure.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from booking.availability import Slot
from booking.availability_selectors import open_slots
from booking.scoring import TIMES_OF_DAY
from clinic.models import ClinicPolicy, Location
from therapists.models import Service


@dataclass(frozen=True)
class LocatedSlot:
    """A free slot and the location it is at; ``local`` is its start in that location's zone."""

    slot: Slot
    location: Location

    @property
    def local(self) -> dt.datetime:
        return self.slot.start.astimezone(self.location.zone)


@dataclass(frozen=True)
class TimeChoice:
    """One time a client can pick: the earliest-preferred therapist free then at one location."""

    local: dt.datetime
    therapist_id: int
    location: Location
    late: bool  # inside the cancellation cut-off: can't be changed online once booked

    @property
    def day(self) -> dt.date:
        return self.local.date()

    @property
    def part_of_day(self) -> str:
        return next(
            name for name, (first, last) in TIMES_OF_DAY.items() if first <= self.local.hour < last
        )


@dataclass(frozen=True)
class OpeningDay:
    day: dt.date
    openings: int
    first_start: dt.datetime  # local


def today_at(location: Location, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(location.zone).date()


def horizon_end(
    location: Location, policy: ClinicPolicy, now: dt.datetime | None = None
) -> dt.date:
    """The last local day bookings are open for (the booking horizon)."""
    return today_at(location, now) + dt.timedelta(weeks=policy.booking_horizon_weeks)


def openings_load(
    *,
    service: Service,
    locations: Sequence[Location],
    first_day: dt.date,
    last_day: dt.date,
    therapist_ids: Iterable[int] | None = None,
    for_client: int | None = None,
    exclude_appointment: int | None = None,
    ignore_notice: bool = False,
    now: dt.datetime | None = None,
    policy: ClinicPolicy | None = None,
) -> list[LocatedSlot]:
    """Every free slot in the local days first_day..last_day, soonest first.

    One availability computation per location, whatever the number of days; days before the
    location's today are not asked for.
    """
    now = now or timezone.now()
    policy = policy or ClinicPolicy.load()
    ids = list(therapist_ids) if therapist_ids is not None else None
    found: list[LocatedSlot] = []
    for location in locations:
        first = max(first_day, today_at(location, now))
        if first > last_day:
            continue
        slots = open_slots(
            service=service,
            location=location,
            first_day=first,
            last_day=last_day,
            therapist_ids=ids,
            for_client=for_client,
            exclude_appointment=exclude_appointment,
            ignore_notice=ignore_notice,
            now=now,
            policy=policy,
        )
        found += [LocatedSlot(slot, location) for slot in slots]
    found.sort(key=lambda s: (s.slot.start, s.location.pk, s.slot.therapist_id))
    return found


def slots_avoiding(
    slots: Iterable[LocatedSlot], spans: Sequence[tuple[dt.datetime, dt.datetime]]
) -> list[LocatedSlot]:
    """The slots overlapping none of ``spans`` (the client's own appointments)."""
    return [
        s
        for s in slots
        if not any(s.slot.start < end and start < s.slot.end for start, end in spans)
    ]


def time_choices(
    slots: Iterable[LocatedSlot],
    *,
    policy: ClinicPolicy,
    now: dt.datetime,
    therapist_id: int | None = None,
    preferred: Sequence[int] = (),
) -> list[TimeChoice]:
    """The distinct (time, location) choices, soonest first.

    With no therapist named, each time goes to the first of ``preferred`` free then (the
    matched order), else to the lowest id.
    """
    rank = {pk: index for index, pk in enumerate(preferred)}
    best: dict[tuple[dt.datetime, int], LocatedSlot] = {}
    for located in slots:
        slot = located.slot
        if therapist_id is not None and slot.therapist_id != therapist_id:
            continue
        key = (slot.start, located.location.pk)
        held = best.get(key)
        if held is None or _preference(slot.therapist_id, rank) < _preference(
            held.slot.therapist_id, rank
        ):
            best[key] = located
    return [
        TimeChoice(
            local=located.local,
            therapist_id=located.slot.therapist_id,
            location=located.location,
            late=not policy.allows_online_change(located.slot.start, now=now),
        )
        for _key, located in sorted(best.items(), key=lambda item: item[0])
    ]


def _preference(therapist_id: int, rank: dict[int, int]) -> tuple[int, int]:
    return (rank.get(therapist_id, len(rank)), therapist_id)


def opening_days(choices: Iterable[TimeChoice]) -> list[OpeningDay]:
    """Per local day: how many times can be chosen, and the first of them."""
    days: dict[dt.date, list[TimeChoice]] = {}
    for choice in choices:
        days.setdefault(choice.day, []).append(choice)
    return [
        OpeningDay(day, len(found), min(c.local for c in found))
        for day, found in sorted(days.items())
    ]


def month_weeks(month: dt.date) -> list[list[dt.date | None]]:
    """The month as weeks from Monday; days of the months around it are None."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[day if day.month == month.month else None for day in week] for week in weeks]


def month_last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
