"""Staff outbox, one-click unsubscribe and the day-3 check-in: permissions and behaviour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.notifications import BookingMessage
from clinic.models import (
    ClientProfile,
    Notification,
    NotificationStatus,
)
from clinic.notifications.preferences import unsubscribe_token
from clinic.notifications.services import notification_enqueue

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
