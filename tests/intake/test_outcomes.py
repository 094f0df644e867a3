"""Outcome services and selectors: recording, access, audit, what is due, trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.utils import timezone

from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditEvent, AuditOutcome, ClinicPolicy
from intake import demo, outcomes
from intake.models import OutcomeInstrument, OutcomeResponse, OutcomeSource
from intake.scoring import AnswersInvalid
from tests.booking.factories import AppointmentFactory, clinic_setup
from therapists.models import Condition

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_with(personas):
    """Book (and by default complete) a session of ``client`` with ``therapist``."""
    location, service, (profile,) = clinic_setup()
    profile.user = personas.therapist
    profile.save()

    def make(client, *, status="completed", days_ago=1, **extra):
        starts = timezone.now() - dt.timedelta(days=days_ago)
        return AppointmentFactory(
            client=client, therapist=profile, service=service, location=location,
            room=location.rooms.first(), status=status, starts_at=starts, **extra,
        )  # fmt: skip

    return make


def record(personas, actor=None, *, code="nprs", answers=None, **extra):
    return outcomes.outcome_record(
        actor=actor or personas.client,
        client=personas.client,
        instrument_code=code,
        answers=answers if answers is not None else {"pain_now": 6},
        source=extra.pop("source", OutcomeSource.INTAKE),
        **extra,
    )


def test_builtins_are_loaded_as_data():
    codes = list(OutcomeInstrument.objects.filter(is_active=True).values_list("code", flat=True))
    assert codes == ["nprs", "psfs", "pgic"]
    assert OutcomeInstrument.objects.get(code="nprs").parsed.items[0].id == "pain_now"


def test_client_records_own_score_with_version_and_an_audit_record(personas):
    response = record(personas, answers={"pain_now": 6, "pain_worst": 8})
    response.refresh_from_db()
    assert (response.score, response.valid, response.instrument_version) == (
        Decimal("6.00"), True, "1",
    )  # fmt: skip
    assert response.recorded_by == personas.client
    event = AuditEvent.objects.get(object_type="intake.OutcomeResponse")
    assert (event.action, event.subject, event.detail) == (
        "create",
        personas.client,
        "outcome: nprs",
    )


def test_a_score_recorded_as_of_a_past_time_is_dated_then_and_trends_in_that_order(personas):
    weeks_ago = timezone.now() - dt.timedelta(weeks=3)
    later = record(personas, answers={"pain_now": 3})
    earlier = record(personas, answers={"pain_now": 7}, as_of=weeks_ago)
    assert earlier.recorded_at == weeks_ago
    series = outcomes.outcome_trend_for(personas.client, personas.client.pk)
    nprs = next(s for s in series if s.code == "nprs")
    assert [p.value for p in nprs.points] == [7, 3]
    assert later.recorded_at > earlier.recorded_at


def test_out_of_range_answer_names_the_item_and_saves_nothing(personas):
    with pytest.raises(AnswersInvalid) as caught:
        record(personas, answers={"pain_now": 12})
    assert "answers.pain_now" in caught.value.extra["fields"]
    assert not OutcomeResponse.objects.exists()


def test_unknown_instrument_is_a_field_error(personas):
    with pytest.raises(ValidationFailed) as caught:
        record(personas, code="odi")
    assert caught.value.extra["fields"] == {"instrument": ["No such outcome measure."]}


def test_therapist_records_for_own_client_only(personas, session_with):
    session_with(personas.client)
    response = record(personas, personas.therapist, source=OutcomeSource.SESSION)
    assert response.recorded_by == personas.therapist
    with pytest.raises(NotFound):
        record(personas, personas.other_therapist)
    denied = AuditEvent.objects.get(outcome=AuditOutcome.DENIED)
    assert denied.actor == personas.other_therapist


@pytest.mark.parametrize("who", ["other_client", "front_desk"])
def test_outsiders_cannot_record(personas, who):
    with pytest.raises(NotFound):
        record(personas, getattr(personas, who))
    assert not OutcomeResponse.objects.exists()


def test_incomplete_licensed_response_is_kept_as_invalid(personas):
    data = {
        "id": "jfls8", "name": "JFLS-8", "version": "8", "licence_required": True,
        "items": [{"id": f"j{i}", "type": "integer", "min": 0, "max": 10, "text": f"<{i}>"}
                  for i in range(1, 9)],
    }  # fmt: skip
    outcomes.instrument_import(data=data, licence_reference="Clinic licence 42")
    response = record(personas, code="jfls8", answers={})
    assert not response.valid
    assert response.score is None
    assert response.licence_reference == "Clinic licence 42"
    assert response.invalid_reason == "0 of 8 items answered; at least 1 needed"


def test_import_of_licensed_instrument_needs_a_licence_reference():
    data = {"id": "jfls8", "name": "JFLS-8", "version": "8", "items": []}
    with pytest.raises(ValidationFailed):
        outcomes.instrument_import(
            data=data | {"items": [{"id": f"j{i}", "min": 0, "max": 10} for i in range(1, 9)]},
            licence_reference=" ",
        )


def test_new_version_retires_the_old_one_and_old_responses_keep_theirs(personas):
    old = record(personas)
    data = OutcomeInstrument.objects.get(code="nprs").definition | {"version": "2"}
    new = outcomes.instrument_import(data=data, licence_reference="")
    assert outcomes.instrument_current("nprs") == new
    old.refresh_from_db()
    assert (old.instrument.version, old.instrument_version) == ("1", "1")
    with pytest.raises(ValidationFailed):
        outcomes.instrument_import(data=data, licence_reference="")


# --- due ------------------------------------------------------------------------------------


def due(client):
    return {(d.code, d.reason) for d in outcomes.outcomes_due_for(client)}


def test_at_intake_nprs_and_psfs_are_due_but_not_pgic(personas):
    assert due(personas.client) == {("nprs", "intake"), ("psfs", "intake")}


def at_intake(personas, *codes):
    """Answer ``codes`` at intake, 40 days ago, before any session."""
    answers = {
        "nprs": {"pain_now": 6},
        "psfs": {f"activity_{n}_name": f"Activity {n}" for n in (1, 2, 3)}
        | {"activity_1": 4, "activity_2": 5, "activity_3": 3},
    }
    with time_machine.travel(timezone.now() - dt.timedelta(days=40)):
        for code in codes:
            record(personas, code=code, answers=answers[code])


def test_every_fourth_completed_session_makes_measures_due_again(personas, session_with):
    at_intake(personas, "nprs", "psfs")
    for days_ago in (30, 20, 10):
        session_with(personas.client, days_ago=days_ago)
    session_with(personas.client, status="cancelled", days_ago=5)
    assert due(personas.client) == set()  # three completed sessions
    session_with(personas.client, days_ago=2)  # the fourth
    assert due(personas.client) == {("nprs", "session"), ("psfs", "session"), ("pgic", "session")}
    record(personas, source=OutcomeSource.SESSION)
    assert ("nprs", "session") not in due(personas.client)


def test_every_n_follows_the_clinic_policy(personas, session_with):
    policy = ClinicPolicy.load()
    policy.outcome_every_n_sessions = 2
    policy.save()
    at_intake(personas, "nprs")
    for days_ago in (20, 10):
        session_with(personas.client, days_ago=days_ago)
    assert ("nprs", "session") in due(personas.client)


def test_discharge_when_the_care_plan_is_completed(personas, session_with):
    from booking.models import CarePlan

    at_intake(personas, "nprs")
    appointment = session_with(personas.client, days_ago=3)
    CarePlan.objects.create(
        client=personas.client, therapist=appointment.therapist, service=appointment.service,
        sessions_per_week=1, weeks=1, starts_on=timezone.localdate(), status="completed",
    )  # fmt: skip
    assert ("nprs", "discharge") in due(personas.client)
    assert ("pgic", "discharge") in due(personas.client)


def test_condition_specific_instrument_is_due_only_for_that_condition(personas):
    data = {
        "id": "lefs", "name": "LEFS", "version": "1",
        "items": [{"id": f"l{i}", "type": "integer", "min": 0, "max": 4, "text": "<item>"}
                  for i in range(1, 21)],
    }  # fmt: skip
    lefs = outcomes.instrument_import(data=data, licence_reference="L-1")
    condition = Condition.objects.create(name="Knee pain zz", slug="knee-pain-zz")
    lefs.conditions.add(condition)
    assert ("lefs", "intake") not in due(personas.client)


# --- trend ----------------------------------------------------------------------------------


def test_trend_groups_valid_scores_by_instrument_and_condition(personas):
    back = Condition.objects.create(name="Back zz", slug="back-zz")
    for value in (7, 5, 3):
        record(personas, answers={"pain_now": value}, condition=back)
    record(personas, answers={"pain_now": 9})
    series = outcomes.outcome_trend_for(personas.client, personas.client.pk)
    by_condition = {s.condition_name: [p.value for p in s.points] for s in series}
    assert by_condition == {"Back zz": [7, 5, 3], "": [9]}
    assert (series[0].low, series[0].high) == (0, 10)
    only_back = outcomes.outcome_trend_for(
        personas.client, personas.client.pk, condition_id=back.pk
    )
    assert len(only_back) == 1


def test_trend_read_is_audited_once(personas):
    record(personas)
    before = AuditEvent.objects.count()
    outcomes.outcome_trend_for(personas.client, personas.client.pk)
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.detail, event.subject) == (
        "view",
        "outcomes: trend",
        personas.client,
    )


@pytest.mark.parametrize("who", ["other_client", "other_therapist", "front_desk"])
def test_trend_of_someone_else_is_not_found(personas, who):
    with pytest.raises(NotFound):
        outcomes.outcome_trend_for(getattr(personas, who), personas.client.pk)


def test_trend_query_count_does_not_grow(personas, django_assert_num_queries):
    back = Condition.objects.create(name="Back zz", slug="back-zz")
    record(personas, answers={"pain_now": 4}, condition=back)
    with django_assert_num_queries(3):  # client, responses, audit insert
        outcomes.outcome_trend_for(personas.client, personas.client.pk)
    for value in range(10):
        record(personas, answers={"pain_now": value}, condition=back)
        record(personas, code="pgic", answers={"change": 3})
    with django_assert_num_queries(3):
        outcomes.outcome_trend_for(personas.client, personas.client.pk)


def test_demo_outcomes_seed_is_idempotent(personas):
    client = personas.client
    client.email = f"client1@{demo.DEMO_DOMAIN}"
    client.save()
    demo.outcomes_seed(stdout=StringIO())
    demo.outcomes_seed(stdout=StringIO())
    assert OutcomeResponse.objects.filter(client=client).count() == 11  # 4 + 4 + 3
    series = outcomes.outcome_trend_for(client, client.pk)
    nprs = next(s for s in series if s.code == "nprs")
    assert [p.value for p in nprs.points] == [7, 6, 4, 3]
