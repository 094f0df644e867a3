"""Booking's domain errors; clinic.api.errors renders them as {"code", "message", "fields"}."""

from __future__ import annotations

from clinic.exceptions import ApplicationError, Conflict, Forbidden, ValidationFailed


class SlotUnavailable(Conflict):
    """The time cannot be booked; ``code`` names why and ``extra["alternatives"]`` has nearby slots.

    Codes: ``slot_taken``, ``in_past``, ``too_soon``, ``beyond_horizon``, ``outside_hours``,
    ``clinic_closed``, ``therapist_unavailable``, ``no_room``, ``client_overlap``.
    """

    code = "slot_taken"


class ClientOverlap(SlotUnavailable):
    """The client already has an active appointment at that time (with anyone)."""

    code = "client_overlap"


class BookingRefused(ApplicationError):
    """Online booking is not possible for this client (emergency advice, referred out)."""

    code = "booking_refused"
    status_code = 403


class ClinicianOnly(Forbidden):
    """Approving a clinical request is a clinician's own act, signed in as themselves."""

    code = "clinician_only"


class TooLateToChange(ValidationFailed):
    code = "too_late"


__all__ = ["BookingRefused", "ClientOverlap", "ClinicianOnly", "SlotUnavailable", "TooLateToChange"]
