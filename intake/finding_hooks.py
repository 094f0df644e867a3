"""What intake may ask of, and tell, the floors above it about a client's safety finding.

Appointments live in booking, a floor above, yet a finding needs two things from them: where
the client is seen (to alert the clinicians on shift there and to give the right phone
number), and which upcoming appointments a raised level puts in question. Booking fills these
registries from ``BookingConfig.ready()``; intake never imports booking.
"""

from __future__ import annotations

from collections.abc import Callable

# client ids -> {client id: location ids, most relevant first (next visit, then last visit)}
LocationReader = Callable[[list[int]], dict[int, list[int]]]
# (client id, the client's new effective level) -> None; runs inside the screening transaction
RaisedListener = Callable[[int, str], object]

_location_readers: list[LocationReader] = []
_raised_listeners: dict[str, RaisedListener] = {}


def client_locations_register(reader: LocationReader) -> LocationReader:
    """Register the one reader of the locations where clients are seen (booking's)."""
    _location_readers[:] = [reader]
    return reader


def client_location_ids(client_id: int) -> list[int]:
    """Location ids where the client is seen, most relevant first; [] when unknown."""
    if not _location_readers:
        return []
    return _location_readers[0]([client_id]).get(client_id, [])


def level_raised_listen(listener: RaisedListener) -> RaisedListener:
    """Register ``listener(client_id, level)`` for when a client's effective level rises."""
    _raised_listeners[f"{listener.__module__}.{listener.__qualname__}"] = listener
    return listener


def level_raised_announce(client_id: int, level: str) -> None:
    """Called by screening inside its transaction when the effective level rose."""
    for name in sorted(_raised_listeners):
        _raised_listeners[name](client_id, level)
