"""The version of everything availability's cached roster is made of (clinic's lowest floor).

Shifts, therapists, licences, trainings, rooms, opening hours and services change a few times
a week; availability reads them on every request. ``booking.availability_selectors`` caches
its roster under :func:`schedule_version`; any save or delete of those parts (signals wired in
``booking.apps``, and the bulk writes that send no signal) calls :func:`schedule_changed`,
so the next availability question reads them again. The bump happens at once and again on
commit: a reader between the write and the commit may have cached the old state.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import BaseCache, caches
from django.db import transaction

T = TypeVar("T")
logger = logging.getLogger(__name__)

SCHEDULE_CACHE = "schedule"
SCHEDULE_VERSION_KEY = "availability:schedule:version"
# How long a value is trusted without a version change (bounds staleness in processes that
# a per-process cache does not reach, and changes written without a signal).
MEMO_SECONDS = 60
_MEMO_LIMIT = 4096
# In front of the shared cache: a value already unpickled once in this process.
_memo: dict[str, tuple[float, object]] = {}


def _fresh_version() -> int:
    # Random, not the clock: a frozen or repeated clock must not repeat a version.
    return secrets.randbits(52)


def schedule_cache() -> BaseCache:
    return caches[SCHEDULE_CACHE]


# The shared version is asked at most once a second per process (a request asks for the
# roster, the catalog and each parameter: one round trip instead of five).
VERSION_SECONDS = 1.0
_seen: list[tuple[float, int]] = []


def schedule_forget() -> None:
    """Drop what this process remembers (tests do, between tests)."""
    _seen.clear()
    _memo.clear()


def schedule_version() -> int | None:
    """The shared version, or None when the cache cannot be reached (then nothing is cached)."""
    now = time.monotonic()
    if _seen and now - _seen[0][0] < VERSION_SECONDS:
        return _seen[0][1]
    try:
        version = _shared_version()
    except Exception:  # Redis down: availability reads the database, as it did before caching
        logger.warning("schedule cache unreachable; availability reads the database")
        return None
    _seen[:] = [(now, version)]
    return version


def _shared_version() -> int:
    cache = schedule_cache()
    version = cache.get(SCHEDULE_VERSION_KEY)
    if version is None:
        # Never a number used before (the key was evicted, or the cache emptied): a value
        # memoised under an old version must never match again.
        cache.add(SCHEDULE_VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(SCHEDULE_VERSION_KEY, 0)
    return int(version)


def _bump() -> None:
    _seen.clear()  # this process sees its own change at once
    _memo.clear()
    cache = schedule_cache()
    try:
        try:
            cache.incr(SCHEDULE_VERSION_KEY)
        except ValueError:  # never read yet, or evicted
            cache.set(SCHEDULE_VERSION_KEY, _fresh_version(), timeout=None)
    except Exception:
        # Redis down: a save must not fail for it. Nobody reads the cache meanwhile, and what
        # it holds expires within MEMO_SECONDS.
        logger.warning("schedule cache unreachable; roster version not bumped")


def schedule_changed(**_signal: object) -> None:
    """Forget every cached roster now and once more when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def schedule_memo(name: str, load: Callable[[], T]) -> T:
    """``load()``'s value under the current schedule version: from this process's memo, else
    the shared cache, else loaded (and stored in both) — for at most ``MEMO_SECONDS``."""
    version = schedule_version()
    if version is None:
        return load()
    key = f"schedule:{version}:{name}"
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and now - hit[0] < MEMO_SECONDS:
        return hit[1]  # type: ignore[return-value]
    cache = schedule_cache()
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("schedule cache unreachable; availability reads the database")
        return load()
    if value is None:
        value = load()
        try:
            cache.set(key, value, timeout=MEMO_SECONDS)
        except Exception:
            logger.warning("schedule cache unreachable; roster not shared")
    if len(_memo) >= _MEMO_LIMIT:
        _memo.clear()
    _memo[key] = (now, value)
    return value
