"""One calendar event per appointment: the download, the API, the e-mail and the feed agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from icalendar import Calendar

from booking.changes import appointment_cancel, appointment_reschedule
from booking.models import CalendarFeed
from booking.scheduling import appointment_book
from intake.gate import BookingGate
from tests.outbox import run_dispatch

pytestmark = pytest.mark.django_db


def ny(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))


def event_of(content: bytes | str) -> tuple[str, Calendar]:
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return str(calendar.get("method", "")), event


def emailed_ics(message) -> bytes:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    content = attachment[1]
    return content.encode() if isinstance(content, str) else content


@pytest.fixture
def booked(pinned, clinic, personas):
    _location, service, therapist = clinic
    therapist.user = personas.therapist
    therapist.save()
    return appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=ny(5, 10),
        actor=personas.client,
    )


def test_download_api_email_and_feed_share_one_uid(client, api_as, personas, booked):
    client.force_login(personas.client)
    download = client.get(f"/booking/appointments/{booked.pk}/ics/")
    api = api_as(personas.client).get(f"/api/v1/appointments/{booked.pk}/ics/")
    run_dispatch()
    (confirmation,) = mail.outbox
    client.force_login(personas.therapist)
    client.get("/booking/calendar-feed/")
    feed = client.get(f"/booking/feeds/{CalendarFeed.objects.get().token}.ics")

    uids = {
        str(event_of(content)[1]["uid"])
        for content in (download.content, api.content, emailed_ics(confirmation), feed.content)
    }
    assert uids == {f"appointment-{booked.pk}@127.0.0.1"}
    assert event_of(download.content)[1]["sequence"] == 0


def test_a_reschedule_raises_the_sequence_and_the_cancellation_cancels(
    client, personas, booked, pinned
):
    run_dispatch()
    moved = appointment_reschedule(appointment=booked, start=ny(5, 14), actor=personas.client)
    run_dispatch()
    rescheduled = mail.outbox[-1]
    method, event = event_of(emailed_ics(rescheduled))
    assert (method, event["sequence"]) == ("PUBLISH", 1)
    assert event.decoded("dtstart") == ny(5, 14)

    appointment_cancel(appointment=moved, actor=personas.client)
    run_dispatch()
    method, event = event_of(emailed_ics(mail.outbox[-1]))
    assert (method, str(event["status"]), event["sequence"]) == ("CANCEL", "CANCELLED", 2)
    assert str(event["uid"]) == f"appointment-{booked.pk}@127.0.0.1"

    client.force_login(personas.client)
    page = client.get(f"/booking/appointments/{booked.pk}/")
    assert b"Add to calendar" not in page.content


def test_a_request_has_no_calendar_file_until_it_is_confirmed(
    client, api_as, personas, clinic, gate, pinned
):
    _location, service, therapist = clinic
    gate["gate"] = BookingGate.REQUEST
    request = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=ny(5, 10),
        actor=personas.client,
    )
    run_dispatch()
    (received,) = mail.outbox
    assert received.attachments == []
    client.force_login(personas.client)
    assert b"Add to calendar" not in client.get(f"/booking/appointments/{request.pk}/").content
    download = client.get(f"/booking/appointments/{request.pk}/ics/")
    assert download.status_code == 404
    api = api_as(personas.client).get(f"/api/v1/appointments/{request.pk}/ics/")
    assert api.status_code == 404
    assert "once the clinic confirms it" in api.json()["message"]

    # Withdrawn before anyone confirmed it: nothing to take out of a calendar either.
    appointment_cancel(appointment=request, actor=personas.client)
    run_dispatch()
    assert mail.outbox[-1].attachments == []
    assert client.get(f"/booking/appointments/{request.pk}/ics/").status_code == 404
