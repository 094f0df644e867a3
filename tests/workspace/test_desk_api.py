"""(Here for the shared clinic fixture.) The desk's actions in the API: check-in and its undo, block time and the day sheet, with
the board's rules and audit, in the OpenAPI document, for front desk and clinic admins only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
import yaml

from booking.models import AppointmentStatus
from clinic.models import AuditEvent
from therapists.models import TimeOff

pytestmark = pytest.mark.django_db


def _at(clinic, hour, minute=0, days=1):
    day = dt.date(2026, 6, 1) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic.location.zone)


@pytest.fixture
def booked(clinic, personas):
    return clinic.appointment(
        personas.client, status=AppointmentStatus.BOOKED, starts_at=_at(clinic, 10)
    )


def test_check_in_before_the_window_is_a_400_with_the_reason(api_as, booked, clinic, personas):
    with time_machine.travel(_at(clinic, 7, 30), tick=False):
        response = api_as(personas.front_desk).post(f"/api/v1/appointments/{booked.pk}/check-in/")
    assert response.status_code == 400
    assert response.json()["code"] == "check_in_not_open"
    assert response.json()["message"] == "Check-in for this appointment opens at 08:00."


def test_check_in_then_undo_through_the_api_is_audited(api_as, booked, clinic, personas):
    api = api_as(personas.front_desk)
    with time_machine.travel(_at(clinic, 9, 0), tick=False):
        done = api.post(f"/api/v1/appointments/{booked.pk}/check-in/")
    assert done.status_code == 200
    assert done.json()["status"] == "checked_in"
    with time_machine.travel(_at(clinic, 9, 5), tick=False):
        undone = api.post(f"/api/v1/appointments/{booked.pk}/check-in/undo/")
    assert undone.json()["status"] == "booked"
    with time_machine.travel(_at(clinic, 9, 6), tick=False):
        api.post(f"/api/v1/appointments/{booked.pk}/check-in/")
    with time_machine.travel(_at(clinic, 9, 30), tick=False):
        late = api.post(f"/api/v1/appointments/{booked.pk}/check-in/undo/")
    assert late.status_code == 400
    assert late.json()["code"] == "undo_expired"
    details = AuditEvent.objects.filter(object_id=str(booked.pk), actor=personas.front_desk)
    assert list(details.order_by("pk").values_list("detail", flat=True)) == [
        "checked_in",
        "check-in undone",
        "checked_in",
    ]


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_desk_operations_refuse_other_roles(api_as, booked, clinic, personas, persona):
    api = api_as(getattr(personas, persona))
    with time_machine.travel(_at(clinic, 9, 0), tick=False):
        assert api.post(f"/api/v1/appointments/{booked.pk}/check-in/").status_code == 403
    assert api.get("/api/v1/desk/day-sheet/", {"location": clinic.location.pk,
                                               "day": "2026-06-02"}).status_code == 403  # fmt: skip
    assert api.post("/api/v1/desk/blocks/", {}).status_code == 403


def test_block_time_and_its_conflict(api_as, booked, clinic, personas):
    api = api_as(personas.front_desk)
    payload = {
        "therapist": clinic.profile.pk,
        "starts_at": _at(clinic, 14).isoformat(),
        "ends_at": _at(clinic, 15).isoformat(),
        "reason": "Team meeting",
    }
    with time_machine.travel(_at(clinic, 8, days=0), tick=False):
        created = api.post("/api/v1/desk/blocks/", payload, format="json")
        clash = api.post(
            "/api/v1/desk/blocks/",
            {**payload, "starts_at": _at(clinic, 10, 30).isoformat()},
            format="json",
        )
        backwards = api.post(
            "/api/v1/desk/blocks/", {**payload, "ends_at": _at(clinic, 13).isoformat()},
            format="json",
        )  # fmt: skip
    assert created.status_code == 201
    assert TimeOff.objects.get(pk=created.json()["id"]).reason == "Team meeting"
    assert clash.status_code == 409
    assert clash.json()["code"] == "time_taken"
    assert backwards.status_code == 400
    assert "ends_at" in backwards.json()["fields"]


def test_day_sheet_lists_what_the_desk_needs(api_as, booked, clinic, personas):
    response = api_as(personas.front_desk).get(
        "/api/v1/desk/day-sheet/", {"location": clinic.location.pk, "day": "2026-06-02"}
    )
    assert response.status_code == 200
    (row,) = response.json()["rows"]
    assert row["appointment"] == booked.pk
    assert row["start"] == "2026-06-02T10:00:00-04:00"
    assert row["phone"] == personas.client.client_profile.phone
    assert row["room"] == "Room A"
    assert row["intake_status"] == "missing"
    bad = api_as(personas.front_desk).get(
        "/api/v1/desk/day-sheet/", {"location": clinic.location.pk, "day": "tomorrow"}
    )
    assert bad.status_code == 400
    assert "day" in bad.json()["fields"]


def test_the_desk_operations_are_in_the_openapi_document(api_client):
    document = yaml.safe_load(api_client.get("/api/v1/schema/").content)
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {"appointment_check_in", "appointment_check_in_undo", "therapist_time_block",
            "day_sheet"} <= operations  # fmt: skip
