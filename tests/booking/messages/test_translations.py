"""Messages render in the client's language, with the hour in the location's zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from booking.scheduling import appointment_book
from clinic import sms
from clinic.models import Channel, ClientProfile, User
from tests.booking.factories import clinic_setup
from tests.outbox import run_dispatch

pytestmark = pytest.mark.django_db
NY = dt.timezone(dt.timedelta(hours=-4))


def speaks(user, language: str, **profile) -> None:
    ClientProfile.objects.update_or_create(
        user=user, defaults={"preferred_language": language, **profile}
    )


def book(client, setup, start):
    _location, service, therapist = setup
    client = User.objects.get(pk=client.pk)  # with the profile as just saved
    return appointment_book(
        client=client, service=service, therapist=therapist, start=start, actor=client
    )


def test_a_dutch_clients_reminder_is_in_dutch_with_the_local_hour(pinned, clinic, personas):
    speaks(
        personas.client,
        "nl",
        reminder_channel=Channel.BOTH,
        sms_opt_in=True,
        phone="+31612345678",
    )
    appointment = book(personas.client, clinic, dt.datetime(2026, 6, 5, 10, tzinfo=NY))
    run_dispatch()
    pinned.move_to(appointment.starts_at - dt.timedelta(hours=2))
    mail.outbox.clear()
    sms.outbox.clear()
    run_dispatch()
    reminders = [m for m in mail.outbox if m.subject.startswith("Herinnering")]
    assert reminders, [m.subject for m in mail.outbox]
    message = reminders[-1]
    assert message.subject == "Herinnering: uw afspraak bij Troy op vr 5 Jun 10:00"
    assert message.body.startswith("Beste Casey,")
    assert "Dit is een herinnering aan uw komende afspraak." in message.body
    assert "Wanneer: vrijdag 5 juni 2026, 10:00\N{EN DASH}11:00 (EDT)" in message.body
    assert "Uw afspraken bekijken of wijzigen" in message.alternatives[0][0]
    assert 'lang="nl"' in message.alternatives[0][0]
    assert any(
        text.body.startswith("Herinnering van Unwind: uw afspraak bij Troy op vr 5 Jun 10:00")
        for text in sms.outbox
    ), [text.body for text in sms.outbox]


def test_the_hour_is_local_on_the_day_after_dst_ends_in_amsterdam(pinned, personas):
    location, service, (therapist,) = clinic_setup(time_zone="Europe/Amsterdam")
    location.name = "Utrecht"
    location.save()
    speaks(personas.client, "nl")
    pinned.move_to(dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC))
    # Monday 26 October, the day after clocks went back: 10:00 local is 09:00 UTC (not 08:00).
    start = dt.datetime(2026, 10, 26, 9, 0, tzinfo=dt.UTC)
    appointment = book(personas.client, (location, service, therapist), start)
    run_dispatch()
    pinned.move_to(appointment.starts_at - dt.timedelta(hours=48))  # Saturday, still summer time
    mail.outbox.clear()
    run_dispatch()
    (message,) = [m for m in mail.outbox if m.subject.startswith("Herinnering")]
    assert message.subject == "Herinnering: uw afspraak bij Utrecht op ma 26 Okt 10:00"
    assert "10:00\N{EN DASH}11:00 (CET)" in message.body


def test_a_spanish_clients_confirmation_and_staff_defaults_stay_english(pinned, clinic, personas):
    speaks(personas.client, "es")
    book(personas.client, clinic, dt.datetime(2026, 6, 5, 10, tzinfo=NY))
    book(personas.other_client, clinic, dt.datetime(2026, 6, 5, 12, tzinfo=NY))
    run_dispatch()
    (spanish,) = [m for m in mail.outbox if m.to == [personas.client.email]]
    assert spanish.subject == "Su cita en Troy el vie 5 Jun a las 10:00 está reservada"
    assert spanish.body.startswith("Hola, Casey:")
    assert "Su cita está reservada." in spanish.body
    (english,) = [m for m in mail.outbox if m.to == [personas.other_client.email]]
    assert english.subject == "Your appointment at Troy on Fri 5 Jun 12:00 is booked"
