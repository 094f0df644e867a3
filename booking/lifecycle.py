"""What the floors above booking may ask to be told of an appointment's life.

Booking must not import the workspace, yet completing a session is what starts the workspace's
self-care follow-ups. So booking offers this registry, which the workspace fills when its
``messages`` module is loaded; listeners run inside booking's transaction, so a rolled-back
completion queues nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from booking.models import Appointment


class CompletedListener(Protocol):
    """``as_of`` is the completion's "now" when history is recorded, else None (now)."""

    __qualname__: str

    def __call__(self, appointment: Appointment, *, as_of: dt.datetime | None) -> object: ...


_completed: dict[str, CompletedListener] = {}


def appointment_completed_listen(listener: CompletedListener) -> CompletedListener:
    """Register ``listener(appointment, as_of=...)`` to run when a session is marked completed."""
    _completed[f"{listener.__module__}.{listener.__qualname__}"] = listener
    return listener


def appointment_completed_announce(
    appointment: Appointment, *, as_of: dt.datetime | None = None
) -> None:
    """Called by :func:`booking.scheduling.appointment_complete` inside its transaction."""
    for name in sorted(_completed):
        _completed[name](appointment, as_of=as_of)
