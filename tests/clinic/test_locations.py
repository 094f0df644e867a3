"""Clinic admins manage locations, rooms, opening hours and the clinic policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clinic.locations import HoursSpan, hours_overlap_error
from clinic.models import ClinicPolicy, Location, OpeningHours, Room
from tests.factories import LocationFactory, OpeningHoursFactory, RoomFactory

pytestmark = pytest.mark.django_db


def location_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Saratoga Springs",
        "street": "48 Broadway",
        "city": "Saratoga Springs",
        "region": "NY",
        "postal_code": "12866",
        "country": "US",
        "phone": "+15185870000",
        "time_zone": "America/New_York",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.clinic_admin)
    return client


def test_admin_creates_a_location(admin_client):
    response = admin_client.post(reverse("location-create"), location_data())

    location = Location.objects.get(name="Saratoga Springs")
    assert response["Location"] == reverse("location-detail", args=[location.slug])
    assert location.slug == "saratoga-springs"
    assert location.time_zone == "America/New_York"


@pytest.mark.parametrize("zone", ["America/Albany", "EST5EDT/Nowhere", "", "../../etc/passwd"])
def test_bad_time_zone_is_a_form_error(admin_client, zone):
    response = admin_client.post(reverse("location-create"), location_data(time_zone=zone))

    assert response.status_code == 400
    assert "time_zone" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Location.objects.exists()


def test_edit_with_a_bad_time_zone_keeps_the_saved_one(admin_client):
    location = LocationFactory(time_zone="America/Chicago")

    response = admin_client.post(
        reverse("location-edit", args=[location.slug]), location_data(time_zone="Mars/Olympus")
    )

    assert response.status_code == 400
    location.refresh_from_db()
    assert location.time_zone == "America/Chicago"


def test_edit_location(admin_client):
    location = LocationFactory(name="Troy")
    response = admin_client.post(
        reverse("location-edit", args=[location.slug]),
        location_data(name="Troy", time_zone="America/Chicago"),
    )
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.time_zone == "America/Chicago"
    assert location.street == "48 Broadway"


def test_duplicate_location_name_is_a_form_error(admin_client):
    LocationFactory(name="Saratoga Springs")
    response = admin_client.post(reverse("location-create"), location_data())
    assert response.status_code == 400
    assert "name" in response.context["form"].errors


def test_add_and_edit_rooms(admin_client):
    location = LocationFactory()
    url = reverse("location-detail", args=[location.slug])

    assert admin_client.post(url, {"name": "Aspen", "notes": "window"}).status_code == 302
    duplicate = admin_client.post(url, {"name": "Aspen", "notes": ""})
    assert duplicate.status_code == 400
    assert duplicate.context["room_form"].errors

    room = Room.objects.get(location=location)
    response = admin_client.post(
        reverse("room-edit", args=[location.slug, room.pk]), {"name": "Aspen 2", "notes": ""}
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.name, room.is_active) == ("Aspen 2", False)


def test_room_of_another_location_is_404(admin_client):
    room = RoomFactory()
    other = LocationFactory()
    assert admin_client.get(reverse("room-edit", args=[other.slug, room.pk])).status_code == 404


def test_unknown_location_is_404(admin_client):
    for name in ("location-detail", "location-edit", "opening-hours-edit"):
        assert admin_client.get(reverse(name, args=["nowhere"])).status_code == 404


def hours_post(rows: list[tuple[int, str, str]], delete: tuple[int, ...] = ()) -> dict[str, str]:
    data = {
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    for i, (weekday, opens, closes) in enumerate(rows):
        data.update(
            {
                f"hours-{i}-weekday": str(weekday),
                f"hours-{i}-opens": opens,
                f"hours-{i}-closes": closes,
            }
        )
        if i in delete:
            data[f"hours-{i}-DELETE"] = "on"
    return data


def test_opening_hours_are_replaced(admin_client):
    location = LocationFactory()
    OpeningHoursFactory(location=location, weekday=6)
    url = reverse("opening-hours-edit", args=[location.slug])

    response = admin_client.post(
        url,
        hours_post(
            [(0, "08:00", "12:00"), (0, "13:00", "19:00"), (6, "10:00", "11:00")], delete=(2,)
        ),
    )

    assert response.status_code == 302
    spans = list(
        OpeningHours.objects.filter(location=location).values_list("weekday", "opens", "closes")
    )
    assert spans == [(0, dt.time(8), dt.time(12)), (0, dt.time(13), dt.time(19))]


@pytest.mark.parametrize(
    "rows",
    [
        [(0, "08:00", "12:00"), (0, "11:00", "19:00")],
        [(2, "19:00", "08:00")],
        [(9, "08:00", "12:00")],
        [(1, "8 o'clock", "12:00")],
    ],
)
def test_bad_opening_hours_are_refused_and_saved_hours_kept(admin_client, rows):
    location = LocationFactory()
    OpeningHoursFactory(location=location, weekday=3)

    response = admin_client.post(
        reverse("opening-hours-edit", args=[location.slug]), hours_post(rows)
    )

    assert response.status_code == 400
    assert list(
        OpeningHours.objects.filter(location=location).values_list("weekday", flat=True)
    ) == [3]


def test_overlap_rule():
    assert (
        hours_overlap_error(
            [HoursSpan(0, dt.time(8), dt.time(12)), HoursSpan(0, dt.time(12), dt.time(13))]
        )
        is None
    )
    assert (
        hours_overlap_error(
            [HoursSpan(0, dt.time(8), dt.time(12)), HoursSpan(1, dt.time(9), dt.time(10))]
        )
        is None
    )
    assert "overlap" in hours_overlap_error(
        [HoursSpan(4, dt.time(8), dt.time(12)), HoursSpan(4, dt.time(9), dt.time(10))]
    )


def policy_data(**overrides: str) -> dict[str, str]:
    data = {
        "slot_step_minutes": "30",
        "minimum_notice_hours": "6",
        "booking_horizon_weeks": "10",
        "cancellation_cutoff_hours": "48",
        "cancellation_policy_text": "Cancel two days ahead.",
        "intake_missing_alert_hours": "24",
        "intake_validity_months": "12",
        "outcome_every_n_sessions": "4",
        "reminder_offsets_hours": "2, 48,24",
        "waitlist_hold_hours": "2",
        "sms_quiet_start": "21:00",
        "sms_quiet_end": "08:00",
        "clinical_record_retention_years": "7",
    }
    data.update(overrides)
    return data


def test_admin_edits_the_clinic_policy(admin_client):
    response = admin_client.post(reverse("policy-edit"), policy_data())
    assert response.status_code == 302
    policy = ClinicPolicy.load()
    assert policy.slot_step_minutes == 30
    assert policy.cancellation_cutoff_hours == 48
    assert policy.reminder_offsets == [48, 24, 2]
    assert ClinicPolicy.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slot_step_minutes", "1"),
        ("reminder_offsets_hours", "48,soon"),
        ("booking_horizon_weeks", ""),
    ],
)
def test_bad_policy_values_are_form_errors(admin_client, field, value):
    response = admin_client.post(reverse("policy-edit"), policy_data(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert ClinicPolicy.load().slot_step_minutes == 15


def test_location_list_query_count_does_not_grow(admin_client, django_assert_num_queries):
    LocationFactory()
    # One more than before two-factor sign-in: the session's verified device.
    with django_assert_num_queries(6):
        admin_client.get(reverse("location-list"))
    for _ in range(4):
        location = LocationFactory()
        RoomFactory(location=location)
        OpeningHoursFactory(location=location)
    with django_assert_num_queries(6):
        response = admin_client.get(reverse("location-list"))
    assert len(response.context["locations"]) == 5
