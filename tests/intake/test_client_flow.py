"""The client's side: steps (without JS), drafts that resume, submit, updates that keep history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clinic.exceptions import ValidationFailed
from clinic.models import ClientProfile, Consent
from intake.gate import BookingGate, IntakeStatus, booking_gate_for, intake_status_for
from intake.models import IntakeResponse, ResponseStatus


def test_step_saves_draft_with_errors_and_resumes(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(date_of_birth=None)  # age is asked
    client.force_login(personas.client)
    assert intake_status_for(personas.client) == IntakeStatus.MISSING
    start = client.post(reverse("intake:start"))
    assert start["Location"] == reverse("intake:step", args=["about"])
    page = client.post(
        reverse("intake:step", args=["about"]),
        {"reason": "Jaw clicks", "age": "forty", "conditions": ["tmj"]},
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Enter a whole number." in body
    assert 'aria-describedby="q-age-err"' in body
    draft = IntakeResponse.objects.get(client=personas.client)
    assert draft.answers["reason"] == "Jaw clicks"  # nothing typed is lost
    assert intake_status_for(personas.client) == IntakeStatus.DRAFT
    ok = client.post(
        reverse("intake:step", args=["about"]),
        {"reason": "Jaw clicks", "age": "40", "conditions": ["tmj"]},
    )
    assert ok["Location"] == reverse("intake:step", args=["pain"])
    resumed = client.post(reverse("intake:start"))
    assert resumed["Location"] == reverse("intake:step", args=["about"])  # last step saved
    assert (
        'value="Jaw clicks"'
        not in client.get(reverse("intake:step", args=["pain"])).content.decode()
    )
    assert "Jaw clicks" in client.get(reverse("intake:step", args=["about"])).content.decode()


def test_red_flag_step_shows_only_questions_for_chosen_conditions(client, personas):
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    client.post(
        reverse("intake:step", args=["about"]),
        {"reason": "x", "age": "30", "conditions": ["neck-pain"]},
    )
    page = client.get(reverse("intake:step", args=["red_flags"])).content.decode()
    assert 'data-link-id="rf_back_emergency"' in page
    assert page.split('data-link-id="back_flags"')[1].split(">")[0].strip().endswith("hidden")
    client.post(
        reverse("intake:step", args=["about"]),
        {"reason": "x", "age": "30", "conditions": ["sciatica"]},
    )
    page = client.get(reverse("intake:step", args=["red_flags"])).content.decode()
    assert not page.split('data-link-id="back_flags"')[1].split(">")[0].strip().endswith("hidden")


def test_pain_map_from_keyboard_list(client, personas):
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    client.post(
        reverse("intake:step", args=["pain"]),
        {
            "pain_map": ["lower-back:midline", "calf:left"],
            "pm_int__lower-back__midline": "7",
            "pm_scar__calf__left": "yes",
            "pm_from": "lower-back:midline",
            "pm_to": "calf:",
            "pain_now": "4",
            "pain_best": "1",
            "pain_worst": "8",
            "onset": "gradual",
            "duration": "gt1y",
        },
    )
    marks = IntakeResponse.objects.get(client=personas.client).answers["pain_map"]
    assert marks == [
        {"region": "lower-back", "side": "midline", "intensity": 7, "radiates_to": "calf"},
        {"region": "calf", "side": "left", "scar": True},
    ]


def test_submit_records_consents_and_update_keeps_previous_version(client, personas, submit_intake):
    first = submit_intake(personas.client, consent_intraoral=True)
    kinds = set(
        Consent.objects.filter(user=personas.client, withdrawn_at__isnull=True).values_list(
            "text__kind", flat=True
        )
    )
    assert kinds == {"health_data", "hands_on", "intraoral"}
    consent = Consent.objects.get(user=personas.client, text__kind="hands_on")
    assert consent.signature == "Demo Client"
    assert first.questionnaire.version == 3  # v3: conditional questions say what they ask
    second = submit_intake(personas.client, consent_intraoral=False, reason="Now my neck too.")
    first.refresh_from_db()
    assert first.status == ResponseStatus.SUPERSEDED
    assert second.supersedes == first
    assert first.answers["reason"] != second.answers["reason"]
    assert not Consent.objects.filter(
        user=personas.client, text__kind="intraoral", withdrawn_at__isnull=True
    ).exists()


def test_web_submit_and_emergency_advice_shown_at_once(client, personas, submit_intake):
    from intake import services
    from intake.demo import scenario_answers

    client.force_login(personas.client)
    services.intake_start(client=personas.client)
    services.intake_save_answers(client=personas.client, answers=scenario_answers("emergency"))
    check = client.get(reverse("intake:check"))
    assert "Submit my intake" in check.content.decode()
    done = client.post(reverse("intake:submit"))
    assert done["Location"] == reverse("intake:home")
    home = client.get(reverse("intake:home")).content.decode()
    assert "Please seek emergency care now" in home
    assert "911" in home
    assert booking_gate_for(personas.client) == BookingGate.EMERGENCY


def test_incomplete_submit_is_refused_with_links_to_steps(client, personas):
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    check = client.get(reverse("intake:check")).content.decode()
    assert "Submit my intake" not in check
    assert reverse("intake:step", args=["about"]) in check
    refused = client.post(reverse("intake:submit"), follow=True)
    assert "need a fix" in refused.content.decode()
    assert IntakeResponse.objects.get(client=personas.client).status == ResponseStatus.DRAFT


def test_validity_and_new_condition_ask_for_an_update(client, personas, submit_intake):
    with time_machine.travel(dt.datetime(2025, 1, 10, 12, tzinfo=dt.UTC)):
        submit_intake(personas.client)
        assert booking_gate_for(personas.client) == BookingGate.CLEAR
    with time_machine.travel(dt.datetime(2026, 1, 9, 12, tzinfo=dt.UTC)):
        assert booking_gate_for(personas.client) == BookingGate.CLEAR
    with time_machine.travel(dt.datetime(2026, 1, 11, 12, tzinfo=dt.UTC)):
        assert booking_gate_for(personas.client) == BookingGate.INTAKE_DUE
    submit_intake(personas.client)
    assert booking_gate_for(personas.client) == BookingGate.CLEAR
    client.force_login(personas.client)
    client.post(reverse("intake:new-condition"))
    assert booking_gate_for(personas.client) == BookingGate.INTAKE_DUE


@pytest.mark.parametrize("months", [1, 6])
def test_validity_follows_clinic_setting(personas, submit_intake, months):
    from clinic.models import ClinicPolicy

    policy = ClinicPolicy.load()
    policy.intake_validity_months = months
    policy.save()
    with time_machine.travel(dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC)):
        submit_intake(personas.client)
    with time_machine.travel(
        dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC) + dt.timedelta(days=31 * months + 1)
    ):
        assert booking_gate_for(personas.client) == BookingGate.INTAKE_DUE


def test_an_intake_with_best_pain_above_worst_is_not_submitted(personas, submit_intake):
    with pytest.raises(ValidationFailed) as refused:
        submit_intake(personas.client, pain_best=9, pain_worst=2)
    assert refused.value.extra["fields"]["pain_best"] == [
        "Pain at its best (9) can't be higher than at its worst (2)."
    ]
