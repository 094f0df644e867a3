"""Pure time arithmetic for notifications: quiet hours, retry backoff, follow-up days. No ORM."""

from __future__ import annotations

import datetime as dt
import zoneinfo

# Retries wait 1, 2, 4, 8 ... minutes, capped: a provider outage is ridden out without
# hammering it, and a message is never parked long enough to go stale silently.
BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 60 * 60

# A change recorded "as of" a past time (the demo's history) does not send what it would have
# sent back then: a message due more than this long before the real clock is stale, not news.
HISTORY_GRACE = dt.timedelta(days=1)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait before the next try after ``attempts`` failed tries (>= 1)."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


def is_stale_history(due_at: dt.datetime, *, as_of: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a message of a change recorded ``as_of`` a past time is too old to queue.

    Only history can be stale (``as_of`` None means the change happens now, and its messages
    keep their usual rules): a message due more than HISTORY_GRACE before ``now`` is skipped.
    """
    return as_of is not None and due_at < now - HISTORY_GRACE


def in_quiet_hours(local_time: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether a wall-clock time falls in [start, end), a window that may wrap past midnight."""
    if start == end:
        return False
    if start < end:
        return start <= local_time < end
    return local_time >= start or local_time < end


def quiet_hours_release(
    now: dt.datetime, zone: zoneinfo.ZoneInfo, start: dt.time, end: dt.time
) -> dt.datetime | None:
    """The UTC instant quiet hours end if ``now`` is inside them in ``zone``, else None.

    Computed on the local calendar so a DST change overnight still releases at local ``end``.
    """
    local = now.astimezone(zone)
    if not in_quiet_hours(local.timetz().replace(tzinfo=None), start, end):
        return None
    release_day = local.date()
    if local.time() >= end:
        release_day += dt.timedelta(days=1)
    release = dt.datetime.combine(release_day, end).replace(tzinfo=zone)
    # A local time skipped by spring-forward maps to the instant just after the gap.
    return release.astimezone(dt.UTC)


def local_day_at(
    event: dt.datetime, zone: zoneinfo.ZoneInfo, *, days_after: int, at: dt.time
) -> dt.datetime:
    """UTC instant of local time ``at`` on the local day ``days_after`` days after ``event``.

    Follow-ups use calendar days in the location's zone, not multiples of 24 hours, so a
    DST change between session and follow-up does not move the local send hour.
    """
    day = event.astimezone(zone).date() + dt.timedelta(days=days_after)
    return dt.datetime.combine(day, at).replace(tzinfo=zone).astimezone(dt.UTC)
