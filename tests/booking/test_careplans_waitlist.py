"""Care plans (series booking, conflicts, progress) and the waitlist (offer, hold, accept)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from booking.careplans import (
    care_plan_book_series,
    care_plan_create,
    care_plan_progress,
    plan_progress,
    series_starts,
)
from booking.changes import appointment_cancel
from booking.exceptions import SlotUnavailable
from booking.models import AppointmentStatus, WaitlistOfferStatus
from booking.scheduling import appointment_book
from booking.waitlist import (
    parse_windows,
    waitlist_join,
    waitlist_offer_accept,
    waitlist_offers_expire,
)
from clinic.exceptions import ValidationFailed
from tests.booking.factories import clinic_setup, past_session

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def test_series_keeps_local_time_across_dst():
    first = dt.datetime(2026, 10, 26, 10, 0, tzinfo=NY)  # Monday; US clocks change on 1 Nov
    starts = series_starts(first, per_week=2, weeks=2, zone=NY)
    assert [s.astimezone(NY).strftime("%a %d %H:%M") for s in starts] == [
        "Mon 26 10:00",
        "Thu 29 10:00",
        "Mon 02 10:00",
        "Thu 05 10:00",
    ]
    assert starts[2] - starts[0] == dt.timedelta(days=7, hours=1)


def test_progress_counts_and_flags_behind():
    on_track = plan_progress(
        total=12,
        per_week=2,
        starts_on=dt.date(2026, 5, 1),
        today=dt.date(2026, 5, 16),
        done=4,
        booked=8,
    )
    assert (on_track.done, on_track.booked, on_track.left, on_track.behind) == (4, 8, 0, False)
    behind = plan_progress(
        total=12,
        per_week=2,
        starts_on=dt.date(2026, 5, 1),
        today=dt.date(2026, 5, 22),
        done=3,
        booked=2,
    )
    assert (behind.expected_by_now, behind.left, behind.behind) == (6, 7, True)


@pytest.mark.django_db
def test_book_a_whole_series_with_alternatives_for_conflicts(personas):
    _location, service, (therapist,) = clinic_setup()
    plan = care_plan_create(
        actor=personas.clinic_admin,
        client=personas.client,
        therapist=therapist,
        service=service,
        sessions_per_week=2,
        weeks=3,
        reassessment_at_session=6,
        starts_on=dt.date(2026, 6, 1),
    )
    # Someone already has the second Thursday at 10:00.
    appointment_book(
        client=personas.other_client,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 11, 10, 0, tzinfo=NY),
        actor=personas.other_client,
    )
    result = care_plan_book_series(
        plan=plan, first_start=dt.datetime(2026, 6, 4, 10, 0, tzinfo=NY), actor=personas.client
    )
    assert len(result.booked) == 5
    assert {a.therapist for a in result.booked} == {therapist}
    (conflict,) = result.conflicts
    assert conflict["session"] == 3  # Thu 4, Sun 7, Thu 11 (taken), Sun 14, ...
    nearest = [dt.datetime.fromisoformat(a["start"]) for a in conflict["alternatives"]]
    assert len(nearest) == 3
    assert all(
        abs(n - dt.datetime(2026, 6, 11, 10, 0, tzinfo=NY)) <= dt.timedelta(hours=2)
        for n in nearest
    )
    plan.refresh_from_db()
    progress = care_plan_progress(plan)
    assert (progress.total, progress.booked, progress.left) == (6, 5, 1)
    # Booking again books only what is missing.
    again = care_plan_book_series(
        plan=plan, first_start=dt.datetime(2026, 6, 4, 10, 0, tzinfo=NY), actor=personas.client
    )
    assert again.booked == []
    assert len(again.conflicts) == 1


@pytest.mark.django_db
def test_care_plan_api_permissions_and_progress(api_as, personas):
    location, service, (therapist,) = clinic_setup()
    therapist.user = personas.therapist
    therapist.save()
    past_session(personas.client, therapist, service, location)
    payload = {
        "client": personas.client.pk,
        "service": service.pk,
        "sessions_per_week": 2,
        "weeks": 6,
        "reassessment_at_session": 6,
        "starts_on": "2026-06-01",
    }
    created = api_as(personas.therapist).post("/api/v1/care-plans/", payload)
    assert created.status_code == 201, created.json()
    plan_id = created.json()["id"]
    assert created.json()["progress"]["left"] == 12
    assert api_as(personas.client).get(f"/api/v1/care-plans/{plan_id}/").status_code == 200
    assert api_as(personas.other_client).get(f"/api/v1/care-plans/{plan_id}/").status_code == 404
    assert api_as(personas.other_therapist).get(f"/api/v1/care-plans/{plan_id}/").status_code == 404
    assert api_as(personas.front_desk).post("/api/v1/care-plans/", payload).status_code == 403
    stranger = api_as(personas.therapist).post(
        "/api/v1/care-plans/", {**payload, "client": personas.other_client.pk}
    )
    assert stranger.status_code == 404
    assert "client" in stranger.json()["fields"]
    bad = api_as(personas.therapist).post(
        "/api/v1/care-plans/", {**payload, "reassessment_at_session": 20}
    )
    assert bad.status_code == 400
    booked = api_as(personas.client).post(
        f"/api/v1/care-plans/{plan_id}/book/", {"start": "2026-06-04T10:00:00-04:00"}
    )
    assert booked.status_code == 201
    assert len(booked.json()["booked"]) == 12


def test_waitlist_windows_are_validated():
    assert parse_windows([{"weekday": 1, "start": "9:00", "end": "12:00"}]) == [
        {"weekday": 1, "start": "09:00", "end": "12:00"}
    ]
    for bad in (
        "mornings",
        [{"weekday": 9, "start": "09:00", "end": "10:00"}],
        [{"weekday": 1, "start": "12:00", "end": "09:00"}],
        [{}],
    ):
        with pytest.raises(ValidationFailed):
            parse_windows(bad)


@pytest.mark.django_db
def test_freed_slot_is_offered_in_order_with_a_hold_and_first_to_confirm_gets_it(personas):
    _location, service, (therapist,) = clinic_setup()
    third = type(personas.client).objects.create_user("third@example.test", "x", first_name="Third")
    start = dt.datetime(2026, 6, 3, 10, 0, tzinfo=NY)  # a Wednesday
    taken = appointment_book(
        client=third, service=service, therapist=therapist, start=start, actor=third
    )
    wrong_day = waitlist_join(
        client=personas.other_client,
        service=service,
        windows=[{"weekday": 0, "start": "08:00", "end": "18:00"}],
    )
    first = waitlist_join(
        client=personas.client,
        service=service,
        therapist=therapist,
        windows=[{"weekday": 2, "start": "09:00", "end": "12:00"}],
    )
    second = waitlist_join(client=personas.other_client, service=service)
    assert wrong_day.pk < first.pk < second.pk

    appointment_cancel(appointment=taken, actor=third)
    offer = first.offers.get()
    assert offer.expires_at == NOW + dt.timedelta(hours=2)
    # While held, nobody else can take it, and the offered client can.
    with pytest.raises(SlotUnavailable):
        appointment_book(
            client=third, service=service, therapist=therapist, start=start, actor=third
        )
    # The hold lapses: the next in line is offered it, and the first offer can no longer be accepted.
    with time_machine.travel(NOW + dt.timedelta(hours=2, minutes=1), tick=False):
        assert waitlist_offers_expire() == 1
        with pytest.raises(SlotUnavailable):
            waitlist_offer_accept(offer=offer, actor=personas.client)
        next_offer = second.offers.get()
        appointment = waitlist_offer_accept(offer=next_offer, actor=personas.other_client)
    assert appointment.client == personas.other_client
    assert appointment.status == AppointmentStatus.BOOKED
    next_offer.refresh_from_db()
    assert next_offer.status == WaitlistOfferStatus.ACCEPTED


@pytest.mark.django_db
def test_waitlist_api(api_as, personas):
    _location, service, _team = clinic_setup()
    api = api_as(personas.client)
    joined = api.post(
        "/api/v1/waitlist/",
        {"service": service.pk, "windows": [{"weekday": 1, "start": "09:00", "end": "12:00"}]},
        format="json",
    )
    assert joined.status_code == 201
    bad = api.post("/api/v1/waitlist/", {"service": service.pk, "windows": "soon"}, format="json")
    assert bad.status_code == 400
    assert "windows" in bad.json()["fields"]
    entry = joined.json()["id"]
    assert api_as(personas.other_client).post(f"/api/v1/waitlist/{entry}/leave/").status_code == 404
    assert (
        api_as(personas.client).post(f"/api/v1/waitlist/{entry}/leave/").json()["status"] == "left"
    )
    assert api_as(personas.front_desk).get("/api/v1/waitlist/").json()["results"][0]["id"] == entry
