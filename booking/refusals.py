"""Why a time cannot be booked: pure arithmetic over an AvailabilityRequest, no ORM.

The booking transaction only knows that a start is not among the open slots. To tell the
client (and the API's ``code``) why, the same request is re-run with one kind of constraint
added at a time, from the clock to the therapist's hours, the clinic's closures, the
therapist's own busy time and the rooms; the first one that removes the start is the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from booking.availability import AvailabilityRequest, compute_slots

IN_PAST = "in_past"
TOO_SOON = "too_soon"
BEYOND_HORIZON = "beyond_horizon"
THERAPIST_UNAVAILABLE = "therapist_unavailable"
OUTSIDE_HOURS = "outside_hours"
CLINIC_CLOSED = "clinic_closed"
SLOT_TAKEN = "slot_taken"
NO_ROOM = "no_room"

# How far a reason got, for choosing between locations: later means "nearly bookable".
RANK = (
    IN_PAST,
    TOO_SOON,
    BEYOND_HORIZON,
    THERAPIST_UNAVAILABLE,
    OUTSIDE_HOURS,
    CLINIC_CLOSED,
    NO_ROOM,
    SLOT_TAKEN,
)


def _offers(request: AvailabilityRequest, start: dt.datetime, therapist_id: int) -> bool:
    return any(s.start == start and s.therapist_id == therapist_id for s in compute_slots(request))


def refusal_code(
    request: AvailabilityRequest, *, start: dt.datetime, therapist_id: int, now: dt.datetime
) -> str:
    """The reason ``start`` is not an open slot of the therapist in ``request``.

    ``request`` covers the start's local day and holds only that therapist (none when the
    therapist cannot be booked that day).
    """
    if start <= now:
        return IN_PAST
    if start < request.earliest:
        return TOO_SOON
    if start > request.latest:
        return BEYOND_HORIZON
    if not any(t.therapist_id == therapist_id for t in request.therapists):
        return THERAPIST_UNAVAILABLE
    free_therapists = tuple(replace(t, busy=(), session_starts=()) for t in request.therapists)
    bare = replace(
        request,
        earliest=start,
        latest=start,
        closures=(),
        rooms={0: ()},
        therapists=free_therapists,
    )
    if not _offers(bare, start, therapist_id):
        return OUTSIDE_HOURS
    closed = replace(bare, closures=request.closures)
    if not _offers(closed, start, therapist_id):
        return CLINIC_CLOSED
    busy = replace(closed, therapists=request.therapists)
    if not _offers(busy, start, therapist_id):
        return SLOT_TAKEN
    if not _offers(replace(busy, rooms=request.rooms), start, therapist_id):
        return NO_ROOM
    return SLOT_TAKEN  # free when re-read: someone took it and gave it back in between


def refusal_message(code: str, *, therapist: str, location: str, notice: int, weeks: int) -> str:
    """The sentence shown for ``code``; names no client and no health detail."""
    names = {"therapist": therapist, "location": location, "notice": notice, "weeks": weeks}
    messages = {
        IN_PAST: _("That time has already passed. Please choose a later time."),
        TOO_SOON: ngettext(
            "Online bookings need at least %(notice)d hour's notice. "
            "Please choose a later time or call the clinic.",
            "Online bookings need at least %(notice)d hours' notice. "
            "Please choose a later time or call the clinic.",
            notice,
        ),
        BEYOND_HORIZON: ngettext(
            "Bookings open %(weeks)d week ahead. Please choose an earlier time.",
            "Bookings open %(weeks)d weeks ahead. Please choose an earlier time.",
            weeks,
        ),
        THERAPIST_UNAVAILABLE: _(
            "%(therapist)s cannot be booked on that day. Please choose another therapist."
        ),
        OUTSIDE_HOURS: _(
            "%(therapist)s does not start sessions at %(location)s at that time. "
            "Please choose one of the offered times."
        ),
        CLINIC_CLOSED: _("%(location)s is closed at that time. Please choose another time."),
        NO_ROOM: _("No treatment room is free at %(location)s at that time."),
    }
    fallback = _("That time is no longer available. Please choose another time.")
    return messages.get(code, fallback) % names
