"""API for the client's own intake, FHIR export, admin editing of rules, and the demo seed."""

from __future__ import annotations

import io

from django.urls import reverse

from clinic.models import AuditEvent, ClientProfile
from intake.demo import scenario_answers
from intake.gate import BookingGate, IntakeStatus, booking_gate_for, intake_statuses_for
from intake.models import IntakeResponse, ScreeningRule


def test_client_creates_updates_submits_and_reads_screening(personas, api_as):
    # Without a date of birth in the profile, the age is asked (and checked).
    ClientProfile.objects.filter(user=personas.client).update(date_of_birth=None)
    api = api_as(personas.client)
    created = api.post(reverse("api:intake-me"))
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert created.json()["questionnaire_version"] == 3  # v3: questions in context
    bad = api.patch(reverse("api:intake-me"), {"answers": {"nope": 1}}, format="json")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"nope": ["No such question in this form."]}
    saved = api.patch(
        reverse("api:intake-me"), {"answers": {"age": 300}, "step": "about"}, format="json"
    )
    assert saved.status_code == 200
    assert saved.json()["errors"]["age"] == ["Enter a number from 0 to 120."]
    early = api.post(reverse("api:intake-me-submit"))
    assert early.status_code == 400
    assert "reason" in early.json()["fields"]
    api.patch(reverse("api:intake-me"), {"answers": scenario_answers("emergency")}, format="json")
    submitted = api.post(reverse("api:intake-me-submit"))
    assert submitted.status_code == 200
    body = submitted.json()
    assert (body["level"], body["booking_gate"]) == ("emergency", "emergency")
    assert "911" in body["emergency_advice"]
    again = api.get(reverse("api:intake-me-screening")).json()
    assert again["level"] == "emergency"
    assert api.get(reverse("api:intake-me")).json()["status"] == "submitted"


def test_fhir_export_of_response_and_questionnaire(client, personas, submit_intake):
    response = submit_intake(personas.client, "area")
    client.force_login(personas.client)
    before = AuditEvent.objects.filter(action="export").count()
    body = client.get(reverse("intake:fhir", args=[response.pk])).json()
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert body["resourceType"] == "QuestionnaireResponse"
    assert body["status"] == "completed"
    assert body["questionnaire"].endswith("mfr-intake|3")
    about = next(i for i in body["item"] if i["linkId"] == "about")
    conditions = next(i for i in about["item"] if i["linkId"] == "conditions")
    assert conditions["answer"][0]["valueCoding"]["code"] == "back-pain"
    pain = next(i for i in body["item"] if i["linkId"] == "pain")
    pain_map = next(i for i in pain["item"] if i["linkId"] == "pain_map")
    assert pain_map["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] == "lower-back"
    questionnaire = client.get(reverse("intake:questionnaire-fhir")).json()
    assert questionnaire["resourceType"] == "Questionnaire"
    flags = next(i for i in questionnaire["item"] if i["linkId"] == "red_flags")
    back = next(i for i in flags["item"] if i["linkId"] == "back_flags")
    assert back["enableBehavior"] == "any"
    assert {
        "question": "conditions",
        "operator": "=",
        "answerCoding": {"code": "sciatica"},
    } in back["enableWhen"]


def test_clinician_edits_a_rule_and_screening_follows(personas, submit_intake):
    rule = ScreeningRule.objects.get(code="contra-pregnancy")
    rule.level = "area"
    rule.save()
    submit_intake(personas.client, "hold")
    assert booking_gate_for(personas.client) == BookingGate.CLEAR
    ScreeningRule.objects.filter(code="contra-wound").update(is_active=False)
    submit_intake(personas.other_client, "area")
    assert intake_statuses_for([personas.other_client.pk]) == {
        personas.other_client.pk: IntakeStatus.SUBMITTED
    }


def test_admin_refuses_a_malformed_rule(client, personas):
    personas.clinic_admin.is_superuser = True
    personas.clinic_admin.save()
    client.force_login(personas.clinic_admin)
    page = client.post(
        reverse("admin:intake_screeningrule_add"),
        {"code": "x", "label": "X", "level": "hold", "when": '{"question": "a"}', "sort_order": 1},
    )
    assert page.status_code == 200
    assert "needs question and one of" in page.content.decode()
    assert not ScreeningRule.objects.filter(code="x").exists()


def test_demo_seed_covers_every_outcome_and_is_idempotent(db):
    from clinic.models import Role, User
    from intake import demo

    User.objects.create_user(
        "admin@demo.unwind.test", "pw", first_name="Ada", role=Role.CLINIC_ADMIN
    )
    # Clearing an intake is a therapist's act (issue 11), so the demo's reviewer is one.
    User.objects.create_user(
        "therapist1@demo.unwind.test", "pw", first_name="Theo", role=Role.THERAPIST
    )
    clients = [
        User.objects.create_user(f"client{n}@demo.unwind.test", "pw", first_name=f"C{n}")
        for n in range(1, 19)
    ]
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    assert IntakeResponse.objects.count() == 17  # client16 has none
    gates = {c.email.split("@")[0]: booking_gate_for(c) for c in clients}
    assert all(gates[f"client{n}"] == BookingGate.CLEAR for n in range(1, 11))
    assert gates["client11"] == gates["client12"] == BookingGate.REQUEST
    assert gates["client13"] == BookingGate.BLOCKED  # URGENT refuses booking (issue 11)
    assert gates["client14"] == BookingGate.EMERGENCY
    assert gates["client17"] == BookingGate.CLEAR
    statuses = intake_statuses_for([c.pk for c in clients])
    assert statuses[clients[14].pk] == IntakeStatus.DRAFT
    assert statuses[clients[15].pk] == IntakeStatus.MISSING
    assert statuses[clients[16].pk] == IntakeStatus.CLEARED
    levels = set(
        IntakeResponse.objects.filter(status="submitted").values_list(
            "screenings__level", flat=True
        )
    )
    assert levels == {"clear", "area", "hold", "review", "urgent", "emergency"}
