"""The therapist's day view costs the same number of queries for 2 clients as for 10."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentStatus, CarePlan
from clinic.models import AuditEvent, ClinicPolicy, Consent, ConsentKind, ConsentText
from intake import services
from intake.demo import scenario_answers
from intake.models import ReviewAction
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

DETAIL = "day view: intake summary"


def _prepared_client(clinic: Any, therapist: Any, number: int) -> Any:
    """A client with a flagged intake cleared with precautions, a consent, a care plan
    with one session done and one coming up (so outcome measures are due)."""
    person = ClientFactory(first_name=f"Client{number:02d}")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    zone = timezone.get_current_timezone()
    upcoming = dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=zone)
    plan = CarePlan.objects.create(
        client=person, therapist=clinic.profile, service=clinic.service,
        sessions_per_week=1, weeks=6, starts_on=tomorrow - dt.timedelta(days=30),
    )  # fmt: skip
    clinic.appointment(person, care_plan=plan, plan_session_number=1,
                       status=AppointmentStatus.COMPLETED,
                       starts_at=upcoming - dt.timedelta(days=10, hours=-number))  # fmt: skip
    clinic.appointment(person, care_plan=plan, plan_session_number=2,
                       status=AppointmentStatus.BOOKED,
                       starts_at=upcoming + dt.timedelta(hours=number))  # fmt: skip
    services.intake_start(client=person)
    services.intake_save_answers(client=person, answers=scenario_answers("hold"))
    response = services.intake_submit(client=person)
    services.review_decide(
        reviewer=therapist, response_id=response.pk,
        action=ReviewAction.CLEARED_WITH_PRECAUTIONS, areas=["abdomen"], note="Side-lying.",
    )  # fmt: skip
    text, _ = ConsentText.objects.get_or_create(
        kind=ConsentKind.INTRAORAL, version=1, defaults={"title": "Intraoral", "body": "..."}
    )
    Consent.objects.create(user=person, text=text, signature=person.get_full_name())
    return person


def _day_view(client: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workspace:day"))
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def _reads() -> Any:
    return AuditEvent.objects.filter(detail=DETAIL)


def test_day_view_query_count_is_the_same_for_2_and_10_clients_and_each_read_is_audited(
    client, clinic, personas, django_assert_num_queries
):
    people = [_prepared_client(clinic, personas.therapist, n) for n in range(2)]
    client.force_login(personas.therapist)
    client.get(reverse("workspace:day"))  # warm caches (session, policy row)
    client.get(reverse("workspace:day"))  # the policy row, created above, is cached from here
    before = _reads().count()
    _response, two = _day_view(client)
    assert _reads().count() == before + 2

    people += [_prepared_client(clinic, personas.therapist, n) for n in range(2, 10)]
    before = _reads().count()
    with django_assert_num_queries(two):
        response = client.get(reverse("workspace:day"))

    new = list(_reads().order_by("-id")[:10])
    assert _reads().count() == before + 10
    assert sorted(e.subject_id for e in new) == sorted(p.pk for p in people)
    for event in new:
        assert (event.actor, event.action, event.object_type) == (
            personas.therapist, "view", "intake.IntakeResponse",
        )  # fmt: skip
        assert event.ip_address == "127.0.0.1"
    rows = [row for _day, day_rows in response.context["view"].upcoming for row in day_rows]
    assert [row.brief.client for row in rows] == people
    for row in rows:
        brief = row.brief
        assert (brief.intake.status, brief.intake.last_decision) == (
            "cleared", "Cleared with precautions",
        )  # fmt: skip
        assert brief.intake.flags
        assert {"Avoid: abdomen", "Side-lying."} <= set(brief.precautions)
        assert brief.competencies == ["Intraoral (inside the mouth) work for the jaw"]
        assert {(m.code, m.reason) for m in brief.outcomes_due} == {
            ("nprs", "intake"), ("psfs", "intake"),
        }  # fmt: skip
        assert (row.progress.done, row.progress.booked, row.progress.total) == (1, 1, 6)
    page = response.content.decode()
    assert page.count("Avoid: abdomen") == 10
    assert page.count("1 of 6 done, 1 booked") == 10


def test_batch_reads_agree_with_the_single_client_functions(clinic, personas):
    from booking.careplans import care_plan_progress, care_plans_progress
    from intake.gate import client_precautions, client_precautions_for
    from intake.outcomes import outcomes_due_for, outcomes_due_for_many

    people = [_prepared_client(clinic, personas.therapist, n) for n in range(3)]
    bare = ClientFactory()
    ids = [p.pk for p in [*people, bare]]
    precautions = client_precautions_for(ids)
    due = outcomes_due_for_many(ids)
    for person in [*people, bare]:
        assert precautions[person.pk] == client_precautions(person)
        assert due[person.pk] == outcomes_due_for(person)
    assert precautions[bare.pk] == []
    assert "Avoid: abdomen" in precautions[people[0].pk]
    plans = list(CarePlan.objects.filter(client__in=people))
    progress = care_plans_progress(plans)
    assert {pk: p.done for pk, p in progress.items()} == {p.pk: 1 for p in plans}
    assert all(progress[p.pk] == care_plan_progress(p) for p in plans)


def test_batch_reads_cost_a_fixed_number_of_queries(clinic, personas, django_assert_num_queries):
    from booking.careplans import care_plans_progress
    from intake.gate import client_precautions_for
    from intake.outcomes import outcomes_due_for_many

    people = [_prepared_client(clinic, personas.therapist, n) for n in range(4)]
    ids = [p.pk for p in people]
    plans = list(CarePlan.objects.filter(client__in=people))
    ClinicPolicy.load()  # the policy row exists in a running clinic
    with django_assert_num_queries(3):  # responses, screenings, decisions
        client_precautions_for(ids)
    # policy, sessions, plans, last answers, conditions named, instruments and their conditions
    with django_assert_num_queries(7):
        outcomes_due_for_many(ids)
    with django_assert_num_queries(1):
        care_plans_progress(plans)
    prefetched = list(CarePlan.objects.filter(client__in=people).prefetch_related("appointments"))
    with django_assert_num_queries(0):
        care_plans_progress(prefetched)


def test_summaries_give_status_only_and_no_audit_for_clients_not_treated(clinic, personas):
    from intake.selectors import intake_summaries_for

    person = _prepared_client(clinic, personas.therapist, 0)
    before = AuditEvent.objects.count()
    summaries = intake_summaries_for(personas.other_therapist, [person], detail=DETAIL)
    summary = summaries[person.pk]
    assert summary.status == "cleared"
    assert (summary.response_id, summary.conditions, summary.precautions) == (None, [], [])
    assert summary.flags == []
    assert AuditEvent.objects.count() == before
    mine = intake_summaries_for(personas.therapist, [person], detail=DETAIL)[person.pk]
    assert mine.response_id is not None
    assert AuditEvent.objects.count() == before + 1
