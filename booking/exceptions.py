"""Booking's domain errors; clinic.api.errors renders them as {"code", "message", "fields"}."""

from __future__ import annotations

from clinic.exceptions import ApplicationError, Conflict, Forbidden, ValidationFailed


class SlotUnavailable(Conflict):
    """The time is taken (or no longer bookable); ``extra["alternatives"]`` has nearby slots."""

    code = "slot_unavailable"


class BookingRefused(ApplicationError):
    """Online booking is not possible for this client (emergency advice, referred out)."""

    code = "booking_refused"
    status_code = 403


class ClinicianOnly(Forbidden):
    """Approving a clinical request is a clinician's own act, signed in as themselves."""

    code = "clinician_only"


class TooLateToChange(ValidationFailed):
    code = "too_late"


__all__ = ["BookingRefused", "ClinicianOnly", "SlotUnavailable", "TooLateToChange"]
