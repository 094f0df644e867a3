"""iCalendar files: one per appointment, and a therapist's private feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from booking.models import Appointment, AppointmentStatus


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Unwind booking//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(appointment: Appointment, *, for_therapist: bool) -> Event:
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@{settings.SITE_URL.split('://')[-1]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    # No health details: the service name and who/where only.
    who = (
        appointment.client.get_full_name() if for_therapist else appointment.therapist.display_name
    )
    event.add("summary", f"{appointment.service.name} — {who}")
    event.add("location", f"{appointment.location.name}, {appointment.location.address}")
    cancelled = appointment.status in (
        AppointmentStatus.CANCELLED,
        AppointmentStatus.LATE_CANCELLED,
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def appointment_ics(appointment: Appointment) -> bytes:
    calendar = _calendar(settings.CLINIC_NAME)
    calendar.add_component(_event(appointment, for_therapist=False))
    return calendar.to_ical()


def therapist_feed_ics(name: str, appointments: Iterable[Appointment]) -> bytes:
    calendar = _calendar(name)
    for appointment in appointments:
        calendar.add_component(_event(appointment, for_therapist=True))
    return calendar.to_ical()
