"""The intake reads well: no question already answered, a step list a screen reader can follow,
a way to book after submitting, and the submitted answers (read only) behind old step links."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clinic.models import AuditEvent, ClientProfile
from intake import services
from intake.demo import scenario_answers
from intake.known_answers import age_on
from intake.models import IntakeResponse, ResponseStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (dt.date(1980, 5, 17), dt.date(2026, 5, 16), 45),
        (dt.date(1980, 5, 17), dt.date(2026, 5, 17), 46),
        (dt.date(2000, 2, 29), dt.date(2026, 2, 28), 25),
        (dt.date(2000, 2, 29), dt.date(2026, 3, 1), 26),
    ],
)
def test_age_in_whole_years(born, day, age):
    assert age_on(born, day) == age


def test_with_a_date_of_birth_the_age_is_not_asked_but_computed(client, personas):
    client.force_login(personas.client)  # born 17 May 1980 (tests.factories)
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        client.post(reverse("intake:start"))
        page = client.get(reverse("intake:step", args=["about"])).content.decode()
        assert 'name="age"' not in page
        assert "Your age (46) comes from the date of birth in your profile." in page
        # A typed age does not override the profile.
        client.post(
            reverse("intake:step", args=["about"]),
            {"reason": "Stiff back", "age": "30", "conditions": ["back-pain"]},
        )
    assert IntakeResponse.objects.get(client=personas.client).answers["age"] == 46


def test_without_a_date_of_birth_the_age_is_asked(client, personas):
    ClientProfile.objects.filter(user=personas.client).update(date_of_birth=None)
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    page = client.get(reverse("intake:step", args=["about"])).content.decode()
    assert 'name="age"' in page
    assert 'id="known-age"' not in page


def test_a_submitted_intake_carries_the_computed_age_for_the_rules(personas):
    ClientProfile.objects.filter(user=personas.client).update(date_of_birth=dt.date(1950, 1, 1))
    services.intake_start(client=personas.client)
    answers = scenario_answers("clear", age=None)
    services.intake_save_answers(
        client=personas.client, answers={k: v for k, v in answers.items() if v is not None}
    )
    submitted = services.intake_submit(client=personas.client)
    assert submitted.answers["age"] >= 75


def test_the_step_list_names_the_current_and_completed_steps(client, personas, submit_intake):
    client.force_login(personas.client)
    services.intake_start(client=personas.client)
    services.intake_save_answers(
        client=personas.client,
        answers={"reason": "Stiff back", "conditions": ["back-pain"]},
        step="about",
    )
    page = client.get(reverse("intake:step", args=["pain"])).content.decode()
    nav = page.split('class="step-nav"')[1].split("</nav>")[0]
    assert "<ol>" in nav
    assert nav.count("<li>") >= 5
    about = nav.split("About your visit")[1].split("</li>")[0]
    assert '<span class="visually-hidden">, completed</span>' in about
    current = nav.split('aria-current="step"')[1].split("</li>")[0]
    assert "Where and how much it hurts" in current
    assert '<span class="visually-hidden">, current step</span>' in current
    later = nav.split("Your goals")[1].split("</li>")[0]
    assert "completed" not in later


def test_after_submitting_the_page_offers_booking(client, personas):
    client.force_login(personas.client)
    services.intake_start(client=personas.client)
    services.intake_save_answers(client=personas.client, answers=scenario_answers("clear"))
    done = client.post(reverse("intake:submit"), follow=True)
    body = done.content.decode()
    assert "Thank you: your intake is submitted." in body
    assert f'<a class="button" id="book-now" href="{reverse("booking:start")}">Book now</a>' in body


def test_no_book_now_for_an_emergency(client, personas, submit_intake):
    submit_intake(personas.client, "emergency")
    client.force_login(personas.client)
    assert 'id="book-now"' not in client.get(reverse("intake:home")).content.decode()


def test_a_step_link_after_submitting_shows_the_answers_read_only(client, personas, submit_intake):
    submitted = submit_intake(personas.client)
    client.force_login(personas.client)
    page = client.get(reverse("intake:step", args=["about"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Your submitted intake" in body
    assert submitted.answers["reason"] in body
    assert "<textarea" not in body
    assert 'name="reason"' not in body
    assert AuditEvent.objects.filter(
        object_id=str(submitted.pk), action="view", actor_id=personas.client.pk
    ).exists()
    assert client.get(reverse("intake:check")).status_code == 200
    assert (
        f'href="{reverse("intake:check")}">See my answers</a>'
        in client.get(reverse("intake:home")).content.decode()
    )
    # Posting to an old step changes nothing and says why.
    posted = client.post(reverse("intake:step", args=["about"]), {"reason": "new"}, follow=True)
    assert "already submitted" in posted.content.decode()
    assert (
        IntakeResponse.objects.get(pk=submitted.pk).answers["reason"] == submitted.answers["reason"]
    )
    assert not IntakeResponse.objects.filter(status=ResponseStatus.DRAFT).exists()


def test_the_read_only_view_is_the_clients_own(client, personas, submit_intake):
    submit_intake(personas.client, reason="Only mine to read")
    client.force_login(personas.other_client)
    page = client.get(reverse("intake:step", args=["about"]))
    assert page.status_code == 404
    assert client.get(reverse("intake:step", args=["no-such-step"])).status_code == 404
    client.force_login(personas.client)
    assert client.get(reverse("intake:step", args=["no-such-step"])).status_code == 404


# --- conditional questions carry their context and appear when their condition holds ----------

CONTEXT_FREE = {"Any of these?", "Do you have any of these now?", "Do you have this now?"}


def test_migration_published_v3_with_questions_in_context():
    import importlib
    import json

    from intake.models import Questionnaire
    from intake.questionnaires import DATA_DIR, active_questionnaire

    migration = importlib.import_module("intake.migrations.0007_questions_in_context")
    v2 = json.loads((DATA_DIR / "default_intake_v2.json").read_text(encoding="utf-8"))
    shipped = json.loads((DATA_DIR / "default_intake.json").read_text(encoding="utf-8"))
    assert migration.put_in_context(v2["items"]) == shipped["items"]
    assert migration.put_in_context(shipped["items"]) == shipped["items"]  # idempotent
    active = active_questionnaire()
    assert (active.version, active.items) == (3, shipped["items"])
    assert Questionnaire.objects.get(slug=active.slug, version=2).status == "retired"


def test_a_clinics_own_wording_is_kept():
    import importlib

    migration = importlib.import_module("intake.migrations.0007_questions_in_context")
    items = [{"link_id": "rf_jaw_review", "type": "choice", "text": "Our own words?"}]
    assert migration.put_in_context(items) == items


def test_no_conditional_question_is_asked_out_of_context():
    from intake import questionnaire_logic as ql
    from intake.questionnaire_items import parsed_items
    from intake.questionnaires import active_questionnaire

    def conditional(item, inherited=False):
        here = inherited or bool(item.enable_when)
        if here and item.type not in ql.ANSWERLESS and item.type != "group":
            yield item
        for child in item.items:
            yield from conditional(child, here)

    asked = [i for top in parsed_items(active_questionnaire()) for i in conditional(top)]
    assert asked
    assert [i.link_id for i in asked if i.text in CONTEXT_FREE] == []


def test_the_legend_names_what_the_question_is_about(client, personas):
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    client.post(
        reverse("intake:step", args=["about"]),
        {"reason": "x", "conditions": ["tmj"]},
    )
    page = client.get(reverse("intake:step", args=["red_flags"])).content.decode()
    assert "<legend>Jaw: do any of these apply to you?" in page
    assert "<legend>Any of these?" not in page


def test_without_javascript_a_follow_up_question_appears_instead_of_an_error(client, personas):
    client.force_login(personas.client)
    client.post(reverse("intake:start"))
    screen = reverse("intake:step", args=["screen"])
    before = client.get(screen).content.decode()
    assert before.split('data-link-id="calf_chest"')[1].split(">")[0].strip().endswith("hidden")
    page = client.post(screen, {"contra": ["none"], "calf_swelling": "yes"})
    assert page.status_code == 200  # stays on the step
    body = page.content.decode()
    assert "One more question about them is below." in body
    assert 'role="alert"' not in body.split("<main")[1]
    assert not body.split('data-link-id="calf_chest"')[1].split(">")[0].strip().endswith("hidden")
    assert "With the swelling in one calf, do you also have any of these?" in body
    # Left blank a second time, it is an error like any other.
    again = client.post(screen, {"contra": ["none"], "calf_swelling": "yes"})
    assert 'href="#q-calf_chest-err"' in again.content.decode()


def test_safety_advice_gives_numbers_as_people_dial_them():
    from intake.gate import SafetyAdvice

    advice = SafetyAdvice(
        level="urgent", heading="See a doctor today", message="", phones=[("Troy", "+15185550100")]
    )
    assert "Call the clinic: Troy: (518) 555-0100." in advice.as_text()
