"""Admin reports (figures, CSV, permissions) and the client portal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentStatus
from booking.reports import report_build
from intake.models import OutcomeInstrument, OutcomeResponse
from therapists.models import Condition
from workspace import selfcare
from workspace.models import Exercise

pytestmark = pytest.mark.django_db


def _day_at(clinic, days, hour):
    day = timezone.now().astimezone(clinic.location.zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clinic.location.zone)


def _nprs(client, condition, scores):
    instrument = OutcomeInstrument.objects.get(code="nprs")
    for n, score in enumerate(scores):
        OutcomeResponse.objects.create(
            client=client, instrument=instrument, instrument_version="1", condition=condition,
            score=Decimal(score), source="clinic", recorded_at=timezone.now() - dt.timedelta(days=30 - n),
        )  # fmt: skip


def test_report_figures(clinic, personas):
    back = Condition.objects.get(slug="back-pain")
    early = clinic.appointment(personas.client, status=AppointmentStatus.COMPLETED,
                               starts_at=_day_at(clinic, -40, 10))  # fmt: skip
    assert early
    for hour, status in (
        (9, "completed"),
        (11, "no_show"),
        (13, "cancelled"),
        (15, "late_cancelled"),
    ):
        clinic.appointment(personas.client, status=status, starts_at=_day_at(clinic, -2, hour))
    clinic.appointment(personas.other_client, status="completed", starts_at=_day_at(clinic, -1, 10))
    _nprs(personas.client, back, [7, 6, 4])  # improved by 3
    _nprs(personas.other_client, back, [5, 4])  # improved by 1
    first = _day_at(clinic, -3, 0).date()
    last = _day_at(clinic, -1, 0).date()
    report = report_build(location=clinic.location, first_day=first, last_day=last)
    assert report.total == 5
    assert (report.cancelled, report.late_cancelled, report.no_show) == (1, 1, 1)
    assert report.no_show_rate == Decimal("20.0")
    assert report.cancellation_rate == Decimal("40.0")
    assert (report.new_clients, report.returning_clients) == (1, 1)
    [outcome] = report.outcomes
    assert (outcome.condition, outcome.clients, outcome.improved) == ("Chronic back pain", 2, 1)
    theo = next(u for u in report.therapists if u.name == "Theo Therapist")
    assert theo.available_minutes == 3 * 10 * 60  # 08:00-18:00 on three days
    assert theo.booked_minutes == 2 * 60  # completed sessions only count as used time


def test_reports_page_csv_and_permissions(client, clinic, personas):
    url = reverse("booking:reports")
    for persona in ("front_desk", "therapist", "client"):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == 403
    client.force_login(personas.clinic_admin)
    assert client.get(url).status_code == 200
    query = {"location": clinic.location.slug, "first_day": "2026-01-10", "last_day": "2026-01-01"}
    response = client.get(url, query)
    assert response.status_code == 400
    assert "cannot be before" in response.content.decode()
    query["last_day"] = "2026-01-31"
    csv_text = client.get(url, {**query, "format": "csv"}).content.decode()
    assert csv_text.splitlines()[0] == "section,item,value,of,percent"
    assert "Theo Therapist" in csv_text


def test_portal_shows_own_appointments_plan_and_intake_status(client, clinic, personas):
    upcoming = clinic.appointment(
        personas.client, status="booked", starts_at=_day_at(clinic, 3, 10)
    )
    seen = clinic.appointment(personas.client, status="completed")
    clinic.appointment(personas.other_client, status="booked", starts_at=_day_at(clinic, 3, 12))
    selfcare.selfcare_plan_assign(
        appointment=seen, actor=personas.therapist,
        items=[{"exercise": Exercise.objects.get(slug="ball-foot-sole")}], message="Every evening",
    )  # fmt: skip
    client.force_login(personas.client)
    response = client.get(reverse("workspace:portal"))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["upcoming"] == [upcoming]
    assert "Massage ball: sole of the foot" in page
    assert "open wound" in page
    assert "Every evening" in page
    assert response.context["intake_status"] == "missing"
    assert personas.other_client.first_name not in page
    for persona in ("front_desk", "therapist", "clinic_admin"):
        client.force_login(getattr(personas, persona))
        assert client.get(reverse("workspace:portal")).status_code == 403


@pytest.mark.parametrize(
    ("answers", "heading"),
    [
        ({"rf_back_emergency": ["saddle"]}, "Please seek emergency care now"),
        ({"calf_swelling": True, "calf_chest": ["none"]}, "Please see a physician today"),
        ({"contra": ["dvt"]}, "No hands-on treatment for now"),
    ],
    ids=["emergency", "urgent", "stop"],
)
def test_open_safety_finding_pauses_selfcare_and_shows_the_banner_on_my_care_and_home(
    client, clinic, personas, answers, heading
):
    from intake import services as intake_services
    from intake.demo import scenario_answers

    upcoming = clinic.appointment(
        personas.client, status="booked", starts_at=_day_at(clinic, 3, 10)
    )
    seen = clinic.appointment(personas.client, status="completed")
    selfcare.selfcare_plan_assign(
        appointment=seen, actor=personas.therapist,
        items=[{"exercise": Exercise.objects.get(slug="ball-foot-sole")}], message="Every evening",
    )  # fmt: skip
    intake_services.intake_start(client=personas.client)
    intake_services.intake_save_answers(
        client=personas.client, answers=scenario_answers("clear", **answers)
    )
    intake_services.intake_submit(client=personas.client)
    client.force_login(personas.client)
    for url in (reverse("workspace:portal"), reverse("client-home"), reverse("booking:start")):
        page = client.get(url).content.decode()
        assert 'id="safety-banner" role="alert"' in page, url
        assert heading in page
        assert "are not cancelled" in page
    page = client.get(reverse("workspace:portal")).content.decode()
    assert 'id="selfcare-paused"' in page
    assert "Massage ball: sole of the foot" not in page
    assert reverse("booking:appointment-reschedule", args=[upcoming.pk]) not in page
    # Nothing was cancelled.
    upcoming.refresh_from_db()
    assert upcoming.status == AppointmentStatus.BOOKED
