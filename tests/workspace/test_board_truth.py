"""The board tells the truth: free time only where booking would accept it, holds drawn as
holds, cancelled visits beside the rebooked one, a real week grid and a useful day sheet."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from booking.models import AppointmentStatus, CarePlan, WaitlistEntry, WaitlistOffer
from therapists.models import Credential, MFRTraining

pytestmark = pytest.mark.django_db


def _at(clinic, day_offset, hour, minute=0):
    day = dt.date(2026, 6, 1) + dt.timedelta(days=day_offset)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic.location.zone)


@pytest.fixture
def desk(client, clinic, personas):
    """Front desk signed in at 12:00 New York on Monday 1 June 2026."""
    with time_machine.travel(_at(clinic, 0, 12), tick=False):
        client.force_login(personas.front_desk)
        yield client


def _board(desk, clinic, day_offset=0, **extra):
    day = _at(clinic, day_offset, 9).date().isoformat()
    query = {"location": clinic.location.slug, "day": day, **extra}
    return desk.get(reverse("booking:board"), query)


def _column(response, profile, day_index=0):
    day = response.context["board"].days[day_index]
    return next(c for c in day.columns if c.therapist == profile)


def _gaps(column, zone):
    return [
        (b.start.astimezone(zone).strftime("%H:%M"), b.end.astimezone(zone).strftime("%H:%M"))
        for b in column.blocks
        if b.kind == "gap"
    ]


def test_no_free_time_in_the_past_today(desk, clinic):
    column = _column(_board(desk, clinic), clinic.profile)
    assert _gaps(column, clinic.location.zone) == [("12:00", "18:00")]
    tomorrow = _column(_board(desk, clinic, 1), clinic.profile)
    assert _gaps(tomorrow, clinic.location.zone) == [("08:00", "18:00")]


@pytest.mark.parametrize("why", ["licence expired", "training not verified"])
def test_no_free_time_for_a_therapist_who_cannot_be_booked(desk, clinic, why):
    if why == "licence expired":
        Credential.objects.filter(therapist=clinic.profile).update(expires_on=dt.date(2026, 5, 1))
    else:
        MFRTraining.objects.filter(therapist=clinic.profile).update(
            verified_by=None, verified_at=None
        )
    response = _board(desk, clinic, 1)
    column = _column(response, clinic.profile)
    assert not column.bookable
    assert _gaps(column, clinic.location.zone) == []
    assert "not bookable: no free time offered" in response.content.decode()
    assert _gaps(_column(response, clinic.other_profile), clinic.location.zone)


def test_a_licence_ending_mid_week_stops_free_time_from_the_next_day(desk, clinic):
    Credential.objects.filter(therapist=clinic.profile).update(expires_on=dt.date(2026, 6, 3))
    response = _board(desk, clinic, 1, view="week")
    (row,) = [r for r in response.context["week_rows"] if r.key == f"t{clinic.profile.pk}"]
    has_gap = [any(b.kind == "gap" for b in cell) for cell in row.cells]
    # Week of Monday 1 June: free from 12:00 today, through Wednesday 3 June, then nothing.
    assert has_gap == [True, True, True, False, False, False, False]


def test_a_waitlist_hold_is_drawn_as_a_hold_not_free_time(desk, clinic, personas):
    entry = WaitlistEntry.objects.create(client=personas.other_client, service=clinic.service)
    WaitlistOffer.objects.create(
        entry=entry, therapist=clinic.profile, location=clinic.location,
        starts_at=_at(clinic, 1, 14), ends_at=_at(clinic, 1, 15),
        expires_at=_at(clinic, 0, 14),
    )  # fmt: skip
    response = _board(desk, clinic, 1)
    column = _column(response, clinic.profile)
    assert _gaps(column, clinic.location.zone) == [("08:00", "14:00"), ("15:00", "18:00")]
    (hold,) = [b for b in column.blocks if b.kind == "hold"]
    assert hold.label == f"Held for {personas.other_client} (waitlist offer until 14:00)"
    assert 'data-kind="hold"' in response.content.decode()


def test_requests_and_blocks_say_what_they_are(desk, clinic, personas):
    clinic.appointment(personas.client, status=AppointmentStatus.REQUESTED,
                       starts_at=_at(clinic, 1, 9))  # fmt: skip
    desk.post(
        reverse("booking:board-block") + f"?location={clinic.location.slug}",
        {"location": clinic.location.slug, "therapist": clinic.profile.pk,
         "starts_at": "2026-06-02T15:00", "ends_at": "2026-06-02T16:00", "reason": "Team meeting"},
    )  # fmt: skip
    page = _board(desk, clinic, 1).content.decode()
    assert "Request: holds the time until a clinician decides" in page
    assert "Blocked · Admin time: Team meeting 15:00\u201316:00" in page


def test_a_cancelled_visit_shows_beside_the_one_rebooked_over_it(desk, clinic, personas):
    gone = clinic.appointment(personas.client, status=AppointmentStatus.CANCELLED,
                              starts_at=_at(clinic, 1, 10))  # fmt: skip
    live = clinic.appointment(personas.other_client, status=AppointmentStatus.BOOKED,
                              starts_at=_at(clinic, 1, 10))  # fmt: skip
    response = _board(desk, clinic, 1)
    lanes = {b.appointment.pk: b.lane for b in _column(response, clinic.profile).blocks
             if b.appointment}  # fmt: skip
    assert lanes == {gone.pk: "right", live.pk: "left"}
    page = response.content.decode()
    assert "status-cancelled lane-right" in page
    assert "status-booked lane-left" in page


def test_the_week_is_a_grid_of_days_by_therapist_or_room(desk, clinic, personas):
    clinic.appointment(personas.client, status=AppointmentStatus.BOOKED,
                       starts_at=_at(clinic, 2, 10))  # fmt: skip
    response = _board(desk, clinic, 0, view="week")
    page = response.content.decode()
    assert page.count('<table class="week-grid"') == 1
    assert page.count("<section") == 0  # not seven day boards stacked
    rows = response.context["week_rows"]
    assert [r.title for r in rows] == ["Tara Therapist", "Theo Therapist"]
    assert all(len(r.cells) == 7 for r in rows)
    for label in ("Mon 1 Jun", "Sun 7 Jun"):
        assert label in page
    rooms = _board(desk, clinic, 0, view="week", mode="rooms")
    assert [r.title for r in rooms.context["week_rows"]] == ["Room A", "Room B"]
    assert "board.css" in page  # landscape print rules live in the static stylesheet


def test_the_day_sheet_has_what_the_desk_needs(desk, clinic, personas):
    plan = CarePlan.objects.create(
        client=personas.client, therapist=clinic.profile, service=clinic.service,
        sessions_per_week=1, weeks=6, starts_on=dt.date(2026, 5, 1),
    )  # fmt: skip
    clinic.appointment(personas.client, status=AppointmentStatus.COMPLETED, care_plan=plan,
                       starts_at=_at(clinic, -7, 10))  # fmt: skip
    clinic.appointment(personas.client, status=AppointmentStatus.BOOKED,
                       starts_at=_at(clinic, 1, 10))  # fmt: skip
    url = reverse("booking:board-sheet")
    page = desk.get(url, {"location": clinic.location.slug, "day": "2026-06-02"})
    text = page.content.decode()
    phone = personas.client.client_profile.phone  # +1518555...
    national = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
    assert f'<a href="tel:{phone}">{national}</a>' in text
    for column in ("Client", "Phone", "Service", "Room", "Intake", "Care plan"):
        assert f'<th scope="col">{column}</th>' in text
    assert "Room A" in text
    assert "Missing" in text  # intake status, never answers
    assert "1 of 6 done, 0 booked, 5 left" in text
    assert "Time (EDT)" in text
