"""The .ics attachment of a booking confirmation (reuses booking.ics when it offers one)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


def appointment_ics(appointment: Any) -> tuple[str, bytes, str]:
    """(filename, bytes, mimetype) of a one-event calendar for the appointment.

    The summary names the clinic and therapist only; the service may hint at a condition.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Unwind//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@{settings.CLINIC_NAME.lower()}.unwind")
    event.add("summary", f"{settings.CLINIC_NAME}: {appointment.therapist.display_name}")
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("location", f"{appointment.location.name}, {appointment.location.address}")
    event.add("dtstamp", timezone.now())
    calendar.add_component(event)
    return ("appointment.ics", calendar.to_ical(), "text/calendar")
