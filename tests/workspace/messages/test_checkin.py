"""Staff outbox, one-click unsubscribe and the day-3 check-in: permissions and behaviour."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking.scheduling import appointment_book, appointment_complete
from clinic.models import (
    Notification,
)
from tests.outbox import run_dispatch
from workspace.checkin import checkin_token
from workspace.notifications import WorkspaceMessage, followups_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def day3_link(pinned, clinic, personas):
    _location, service, therapist = clinic
    appointment = appointment_book(
        client=personas.client,
        service=service,
        therapist=therapist,
        start=dt.datetime(2026, 6, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
        actor=personas.client,
    )
    pinned.move_to(appointment.ends_at)
    appointment = appointment_complete(appointment=appointment, actor=personas.clinic_admin)
    followups_enqueue(appointment)
    pinned.move_to(dt.datetime(2026, 6, 5, 14, 0, tzinfo=dt.UTC))  # day 3, 10:00 New York
    mail.outbox.clear()
    run_dispatch()
    (message,) = [m for m in mail.outbox if "How are you feeling" in m.subject]
    return re.search(r"http://[^\s]+/check-in/[^\s/]+/", message.body).group(0), appointment


def test_follow_ups_are_queued_for_days_1_3_7_at_10_local(pinned, day3_link):
    rows = Notification.objects.filter(kind__startswith="followup").order_by("due_at")
    local = [
        timezone.localtime(r.due_at, timezone=dt.timezone(dt.timedelta(hours=-4))) for r in rows
    ]
    assert [(t.day, t.hour) for t in local] == [(3, 10), (5, 10), (9, 10)]


def test_day3_one_click_pain_score_lands_in_the_outcome_trend(client, day3_link, personas):
    from intake.outcomes import outcome_trend_for

    url, _appointment = day3_link
    path = url.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    assert client.post(path, {"pain": "11"}).status_code == 400
    response = client.post(path, {"pain": "3"})
    assert response.status_code == 200
    (series,) = outcome_trend_for(personas.client, personas.client.pk)
    assert series.code == "nprs"
    assert [(p.value, p.source) for p in series.points] == [(3, "follow_up")]
    # The link answers once.
    assert client.post(path, {"pain": "5"}).status_code == 400


def test_a_check_in_link_for_someone_else_is_refused(client, day3_link, personas):
    _url, _appointment = day3_link
    row = Notification.objects.get(kind=WorkspaceMessage.FOLLOWUP_DAY3)
    row.recipient = personas.other_client
    token = checkin_token(row)  # signed for another client than the row's
    assert client.get(reverse("workspace:checkin", args=[token])).status_code == 400


def test_day3_email_asks_about_soreness_and_pain_with_one_click_buttons(pinned, day3_link):
    (message,) = [m for m in mail.outbox if "How are you feeling" in m.subject]
    html = message.alternatives[0][0]
    assert 'name="soreness" value="1"' in html
    assert "A little sore" in html
    assert 'name="pain" value="10"' in html
    assert "soreness" in message.body.lower()


def test_day3_soreness_click_lands_in_the_outcome_data_next_to_the_pain_score(
    client, day3_link, personas
):
    from intake.outcomes import outcome_trend_for

    url, appointment = day3_link
    path = url.removeprefix("http://127.0.0.1:8000")
    assert client.post(path, {"soreness": "7"}).status_code == 400
    page = client.post(path, {"soreness": "1"})
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="pain"' in content  # the pain question is still open
    assert 'name="soreness"' not in content
    thanks = client.post(path, {"pain": "4"})
    assert "Thank you" in thanks.content.decode()
    trend = {s.code: s for s in outcome_trend_for(personas.client, personas.client.pk)}
    assert [(p.value, p.source) for p in trend["soreness"].points] == [(1, "follow_up")]
    assert [p.value for p in trend["nprs"].points] == [4]
    from intake.models import OutcomeResponse

    assert set(
        OutcomeResponse.objects.filter(client=personas.client).values_list(
            "appointment_id", flat=True
        )
    ) == {appointment.pk}
    # Each question answers once.
    assert client.post(path, {"soreness": "2"}).status_code == 400


def test_day3_empty_post_asks_for_an_answer(client, day3_link):
    url, _appointment = day3_link
    response = client.post(url.removeprefix("http://127.0.0.1:8000"), {})
    assert response.status_code == 400
    assert "Choose an answer." in response.content.decode()


def test_the_soreness_question_is_never_an_outcome_due(client, day3_link, personas):
    from intake.models import OutcomeInstrument
    from intake.outcomes import outcomes_due_for

    url, _appointment = day3_link
    client.post(url.removeprefix("http://127.0.0.1:8000"), {"soreness": "0"})
    soreness = OutcomeInstrument.objects.get(code="soreness", is_active=True)
    assert (soreness.use_at_intake, soreness.use_at_review) == (False, False)
    assert "soreness" not in {d.code for d in outcomes_due_for(personas.client)}
