"""The version of everything availability's cached roster is made of (clinic's lowest floor).

Shifts, therapists, licences, trainings, rooms, opening hours and services change a few times
a week; availability reads them on every request. ``booking.availability_selectors`` caches
its roster under :func:`schedule_version`; any save or delete of those parts (signals wired in
``booking.apps``, and the bulk writes that send no signal) calls :func:`schedule_changed`,
so the next availability question reads them again. The bump happens at once and again on
commit: a reader between the write and the commit may have cached the old state.
"""

from __future__ import annotations

from django.core.cache import BaseCache, caches
from django.db import transaction

SCHEDULE_CACHE = "schedule"
SCHEDULE_VERSION_KEY = "availability:schedule:version"


def schedule_cache() -> BaseCache:
    return caches[SCHEDULE_CACHE]


def schedule_version() -> int:
    cache = schedule_cache()
    version = cache.get(SCHEDULE_VERSION_KEY)
    if version is None:
        cache.add(SCHEDULE_VERSION_KEY, 1, timeout=None)
        version = cache.get(SCHEDULE_VERSION_KEY, 1)
    return int(version)


def _bump() -> None:
    cache = schedule_cache()
    try:
        cache.incr(SCHEDULE_VERSION_KEY)
    except ValueError:  # never read yet, or evicted
        cache.set(SCHEDULE_VERSION_KEY, schedule_version() + 1, timeout=None)


def schedule_changed(**_signal: object) -> None:
    """Forget every cached roster now and once more when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)
