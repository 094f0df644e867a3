"""EMERGENCY advice shows on the step where the answer is given: at once with htmx, on save
without JavaScript, and in a real browser before the client submits anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake import services
from intake.demo import scenario_answers
from intake.models import ScreeningResult, StaffAlert
from tests.factories import TEST_PASSWORD

SADDLE = "Numbness around the genitals, anus or inner thighs (saddle area)"


@pytest.fixture
def back_pain_draft(personas):
    """A draft that has reached the red-flag step with back pain (so cauda equina is asked)."""
    services.intake_start(client=personas.client)
    answers = scenario_answers("clear", conditions=["back-pain"])
    services.intake_save_answers(client=personas.client, answers=answers)
    return personas.client


@pytest.mark.django_db
def test_htmx_answer_change_returns_the_emergency_advice_without_saving(client, back_pain_draft):
    client.force_login(back_pain_draft)
    url = reverse("intake:step-advice", args=["red_flags"])
    urgent = client.post(url, {"rf_back_emergency": ["saddle"]}, HTTP_HX_REQUEST="true")
    assert urgent.status_code == 200
    assert 'id="emergency-advice"' in urgent.content.decode()
    calm = client.post(url, {"rf_back_emergency": ["none"]}, HTTP_HX_REQUEST="true")
    assert 'id="emergency-advice"' not in calm.content.decode()
    # A preview: nothing saved, screened or alerted.
    assert not ScreeningResult.objects.exists()
    assert not StaffAlert.objects.exists()


@pytest.mark.django_db
def test_without_javascript_saving_the_answer_shows_the_advice_on_the_same_step(
    client, back_pain_draft
):
    client.force_login(back_pain_draft)
    url = reverse("intake:step", args=["red_flags"])
    data = {"rf_back_emergency": ["saddle"], "rf_back_urgent": ["none"], "rf_back_review": ["none"]}
    shown = client.post(url, data)
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "Please seek emergency care now" in page
    assert 'name="advice_seen"' in page
    # Having seen it, the client may carry on (the answer is saved either way).
    moved_on = client.post(url, {**data, "advice_seen": "1"})
    assert moved_on.status_code == 302


@pytest.mark.django_db
def test_the_advice_needs_the_answer_on_this_step(client, back_pain_draft):
    client.force_login(back_pain_draft)
    url = reverse("intake:step-advice", args=["screen"])
    response = client.post(url, {"contra": ["none"], "calf_swelling": "no"})
    assert 'id="emergency-advice"' not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_browser_shows_emergency_advice_on_the_step_as_the_box_is_ticked(
    live_server, page, back_pain_draft
):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill(back_pain_draft.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("intake:step", args=["red_flags"]))
    advice = page.locator("#emergency-advice")
    assert advice.count() == 0
    page.get_by_label(SADDLE).check()
    advice.wait_for(state="visible")
    assert "emergency" in advice.inner_text().lower()
    assert page.url.endswith(reverse("intake:step", args=["red_flags"]))  # nothing submitted
    assert not ScreeningResult.objects.exists()
