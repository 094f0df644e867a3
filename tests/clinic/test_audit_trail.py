"""The audit trail cannot be rewritten and keeps what it recorded.

Append-only in the ORM and in the database (triggers on PostgreSQL and SQLite alike); a
refusal survives the rollback of its transaction; every 403 and 404 on a health-data route is
recorded; deleting a user leaves their events as they were. Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from clinic.audit import (
    audit_denials_kept,
    audit_health_routes_register,
    audit_record,
    is_health_route,
)
from clinic.models import AppendOnlyError, AuditAction, AuditEvent, AuditOutcome
from tests.factories import ClientFactory, TherapistUserFactory

pytestmark = pytest.mark.django_db


def _view(actor, subject, **kwargs):
    return audit_record(
        actor=actor, action=AuditAction.VIEW, target=subject, subject=subject, **kwargs
    )


def test_the_orm_refuses_every_change_and_delete(personas):
    event = _view(personas.therapist, personas.client)
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["detail"])
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE clinic_auditevent SET detail = 'rewritten' WHERE id = %s",
        "UPDATE clinic_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM clinic_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_updates_and_deletes(personas, sql):
    event = _view(personas.therapist, personas.client)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_keeps_it_append_only():
    """Emptying the whole database (a TRUNCATE on PostgreSQL) is the one way past the triggers."""
    user = ClientFactory()
    _view(user, user)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    user = ClientFactory()
    event = _view(user, user)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clinic_auditevent WHERE id = %s", [event.pk])


def test_a_deleted_user_leaves_their_events_as_they_were(client, personas):
    therapist = TherapistUserFactory(email="leaving@example.test")
    as_actor = _view(therapist, personas.client, detail="note")
    as_subject = _view(personas.therapist, therapist, detail="note")
    therapist_id = therapist.pk
    client.force_login(personas.clinic_admin)
    response = client.post(
        reverse("admin:clinic_user_delete", args=[therapist_id]), {"post": "yes"}
    )
    assert response.status_code == 302
    as_actor = AuditEvent.objects.get(pk=as_actor.pk)
    assert (as_actor.actor_id, as_actor.actor_email, as_actor.actor_role) == (
        therapist_id,
        "leaving@example.test",
        "therapist",
    )
    assert AuditEvent.objects.get(pk=as_subject.pk).subject_id == therapist_id


def test_an_anonymised_user_keeps_the_label_written_at_the_time(personas):
    event = _view(personas.therapist, personas.client)
    personas.therapist.email = "anonymised-1@invalid"
    personas.therapist.save()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor_id, event.actor_email) == (personas.therapist.pk, "therapist@example.test")


class Refused(Exception):
    pass


def _refuse_in_a_transaction(personas):
    with transaction.atomic():
        _view(personas.other_therapist, personas.client, outcome=AuditOutcome.DENIED)
        raise Refused


def test_a_refusal_survives_the_rollback_of_its_transaction(personas):
    with audit_denials_kept():
        with pytest.raises(Refused):
            _refuse_in_a_transaction(personas)
        assert not AuditEvent.objects.exists()  # rolled back for now ...
    denied = AuditEvent.objects.get()  # ... and written again once the block ends
    assert (denied.actor, denied.subject, denied.outcome) == (
        personas.other_therapist,
        personas.client,
        AuditOutcome.DENIED,
    )


def test_a_refusal_in_a_committed_transaction_is_written_once(personas):
    with audit_denials_kept(), transaction.atomic():
        _view(personas.other_therapist, personas.client, outcome=AuditOutcome.DENIED)
    assert AuditEvent.objects.count() == 1


def test_health_routes_are_matched_by_pattern():
    audit_health_routes_register("intake:*")
    assert is_health_route("intake:review-detail")
    assert not is_health_route("therapists:directory")


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("front_desk", "/intake/review/", 403),
        ("client", "/intake/review/", 403),
        ("front_desk", "/intake/outcomes/client/{client}/", 403),
        ("other_client", "/booking/care-plans/999999/", 404),
    ],
)
def test_a_403_or_404_on_a_health_route_is_recorded_once(client, personas, who, url, status):
    user = getattr(personas, who)
    client.force_login(user)
    response = client.get(url.format(client=personas.client.pk))
    assert response.status_code == status
    event = AuditEvent.objects.get()
    assert (event.actor, event.outcome, event.object_type) == (user, "denied", "route")
    assert event.detail.startswith(f"{status} GET")


def test_a_403_through_the_api_is_recorded(api_as, personas):
    api = api_as(personas.front_desk)
    assert api.get(reverse("api:outcome-trend"), {"client": personas.client.pk}).status_code == 403
    event = AuditEvent.objects.get()
    assert (event.actor, event.object_id, event.detail) == (
        personas.front_desk,
        "api:outcome-trend",
        "403 GET",
    )


def test_a_404_off_the_health_routes_is_not_recorded(client, personas):
    client.force_login(personas.client)
    assert client.get("/therapists/999999/").status_code == 404
    assert not AuditEvent.objects.exists()
