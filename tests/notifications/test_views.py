"""Staff outbox, one-click unsubscribe and the day-3 check-in: permissions and behaviour."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking.notifications import BookingMessage
from booking.scheduling import appointment_book, appointment_complete
from clinic.models import (
    ClientProfile,
    Notification,
    NotificationStatus,
)
from clinic.notifications.preferences import unsubscribe_token
from clinic.notifications.services import notification_enqueue
from tests.notifications.conftest import run_dispatch
from workspace.checkin import checkin_token
from workspace.notifications import WorkspaceMessage, followups_enqueue

pytestmark = pytest.mark.django_db
OUTBOX = "/notifications/outbox/"


def failed_rows(recipient, count: int) -> list[Notification]:
    for index in range(count):
        notification_enqueue(
            kind=BookingMessage.REMINDER,
            subject=recipient,
            recipient=recipient,
            due_at=timezone.now() - dt.timedelta(minutes=index + 1),
        )
    Notification.objects.update(status=NotificationStatus.FAILED, last_error="SMTPException")
    return list(Notification.objects.all())


def test_anonymous_is_sent_to_login(client):
    response = client.get(OUTBOX)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["client", "therapist"])
def test_clients_and_therapists_cannot_see_the_outbox(client, personas, role):
    client.force_login(getattr(personas, role))
    assert client.get(OUTBOX).status_code == 403
    assert client.post(reverse("notifications:resend", args=[1])).status_code == 403


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin"])
def test_front_desk_and_admins_see_failed_messages_and_resend_them(client, personas, role):
    (row,) = failed_rows(personas.other_client, 1)
    client.force_login(getattr(personas, role))
    page = client.get(OUTBOX, {"status": "failed"})
    assert page.status_code == 200
    assert "SMTPException" in page.content.decode()
    response = client.post(reverse("notifications:resend", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    # Only failed messages can be resent.
    client.post(reverse("notifications:resend", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == "pending"


def test_a_bad_status_filter_is_a_form_error_not_a_500(client, personas):
    client.force_login(personas.front_desk)
    response = client.get(OUTBOX, {"status": "bogus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_outbox_query_count_does_not_grow_with_rows(client, personas, django_assert_num_queries):
    client.force_login(personas.clinic_admin)
    failed_rows(personas.client, 2)
    # One more than before two-factor sign-in: the session's verified device.
    with django_assert_num_queries(5) as few:
        client.get(OUTBOX)
    failed_rows(personas.other_client, 20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(OUTBOX)
    assert response.content.decode().count("Resend<") == 22


def test_one_click_unsubscribe_stops_reminders_but_not_essentials(client, personas):
    token = unsubscribe_token(personas.client, "email")
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 200  # a link preview changes nothing
    assert ClientProfile.objects.get(user=personas.client).email_opt_in
    assert client.post(url).status_code == 200
    assert not ClientProfile.objects.get(user=personas.client).email_opt_in
    forged = url.replace(token[-6:], "abcdef")
    assert client.post(forged).status_code == 400


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
