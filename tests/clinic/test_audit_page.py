"""The clinic admin's audit page: filters by who, whom, what and when; CSV export, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine

from clinic.audit import audit_record
from clinic.models import AuditAction, AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db
URL = "/clinic-admin/audit/"


@pytest.fixture
def events(personas):
    made = {}
    with time_machine.travel(dt.datetime(2026, 5, 1, 15, 0, tzinfo=dt.UTC), tick=False):
        made["read"] = audit_record(
            actor=personas.therapist,
            action=AuditAction.VIEW,
            target=personas.client,
            subject=personas.client,
            detail='=HYPERLINK("http://x")',
        )
    with time_machine.travel(dt.datetime(2026, 5, 3, 15, 0, tzinfo=dt.UTC), tick=False):
        made["denied"] = audit_record(
            actor=personas.other_therapist,
            action=AuditAction.DECIDE,
            target=personas.other_client,
            subject=personas.other_client,
            outcome=AuditOutcome.DENIED,
            detail="review: cleared",
        )
    return made


def _shown(response):
    return [event.pk for event in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["denied", "read"]),
        ({"who": "other-therapist@"}, ["denied"]),
        ({"whom": "client@example.test"}, ["denied", "read"]),  # both e-mails contain it
        ({"action": "decide"}, ["denied"]),
        ({"outcome": "denied"}, ["denied"]),
        ({"day_from": "2026-05-02"}, ["denied"]),
        ({"day_to": "2026-05-01"}, ["read"]),
    ],
)
def test_admin_filters_events(client, personas, events, query, expected):
    client.force_login(personas.clinic_admin)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert _shown(response) == [events[name].pk for name in expected]


def test_filters_by_user_id_also_after_the_user_is_deleted(client, personas, events):
    other_client_id = personas.other_client.pk
    client.force_login(personas.clinic_admin)
    personas.other_client.delete()
    response = client.get(URL, {"whom": str(other_client_id)})
    assert _shown(response) == [events["denied"].pk]


def test_bad_filters_are_a_400_with_field_messages(client, personas):
    client.force_login(personas.clinic_admin)
    response = client.get(URL, {"day_from": "2026-05-03", "day_to": "2026-05-01", "action": "x"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"day_to", "action"}


def test_csv_export_is_neutralised_and_audited(client, personas, events):
    client.force_login(personas.clinic_admin)
    response = client.get(URL, {"who": "therapist@", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["at_utc", "event_id", "actor_id"]
    assert len(rows) == 3
    by_detail = {row[-1] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in by_detail
    export = AuditEvent.objects.get(action="export")
    assert (export.actor, export.detail) == (personas.clinic_admin, "audit trail: 2 events")


@pytest.mark.parametrize("who", ["client", "therapist", "front_desk"])
def test_only_clinic_admins_see_the_trail(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403
