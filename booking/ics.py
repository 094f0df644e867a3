"""iCalendar files: one per appointment, and a therapist's private feed.

Every place that hands out a calendar event for an appointment (the client's download, the API,
the e-mailed attachment, the therapist's feed) builds it here, so the event has one UID across
all of them and a calendar app sees one visit, not two. ``SEQUENCE`` is the appointment's
``calendar_sequence`` (raised by each reschedule and cancellation), so a later file replaces an
earlier one; a cancelled appointment is sent with ``METHOD:CANCEL``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from booking.models import CANCELLED_STATUSES, Appointment, AppointmentStatus
from clinic.exceptions import NotFound


def appointment_uid(appointment: Appointment) -> str:
    """The one UID of ``appointment`` in every calendar file and feed."""
    host = urlsplit(settings.SITE_URL).hostname or "unwind.invalid"
    return f"appointment-{appointment.pk}@{host}"


def ics_available(appointment: Appointment) -> bool:
    """Whether ``appointment`` has a calendar file: once it is confirmed (booked or later), and
    after a cancellation only if it had been confirmed (the file then cancels the event).

    A request has none: its time is not the client's until a clinician approves it.
    """
    if appointment.status == AppointmentStatus.REQUESTED:
        return False
    if appointment.status in CANCELLED_STATUSES:
        return appointment.calendar_sequence > 0
    return True


def _calendar(name: str, *, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Unwind booking//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def _event(appointment: Appointment, *, for_therapist: bool) -> Event:
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.calendar_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    # No health details: who and where only (a service's name may hint at a condition).
    who = (
        appointment.client.get_full_name() if for_therapist else appointment.therapist.display_name
    )
    event.add("summary", f"{settings.CLINIC_NAME}: {who}")
    event.add("location", f"{appointment.location.name}, {appointment.location.address}")
    cancelled = appointment.status in CANCELLED_STATUSES
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def appointment_ics(appointment: Appointment) -> bytes:
    """The client's calendar file: PUBLISH while the visit stands, CANCEL once it is cancelled."""
    method = "CANCEL" if appointment.status in CANCELLED_STATUSES else "PUBLISH"
    calendar = _calendar(settings.CLINIC_NAME, method=method)
    calendar.add_component(_event(appointment, for_therapist=False))
    return calendar.to_ical()


def appointment_calendar_file(appointment: Appointment) -> bytes:
    """The calendar file a client downloads; NotFound while there is none (a request)."""
    if not ics_available(appointment):
        raise NotFound(
            _(
                "There is no calendar file for this appointment: a request is added to your "
                "calendar once the clinic confirms it."
            )
        )
    return appointment_ics(appointment)


def appointment_ics_attachment(appointment: Appointment) -> tuple[str, bytes, str]:
    """(filename, bytes, mimetype) of :func:`appointment_ics`, for an e-mail."""
    return ("appointment.ics", appointment_ics(appointment), "text/calendar")


def therapist_feed_ics(name: str, appointments: Iterable[Appointment]) -> bytes:
    calendar = _calendar(name, method="PUBLISH")
    for appointment in appointments:
        calendar.add_component(_event(appointment, for_therapist=True))
    return calendar.to_ical()
