"""Care plan off track, outcome measure due and intake flagged: queued once, sent without health detail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from clinic.models import Notification, NotificationStatus
from intake import services as intake_services
from intake.messages import IntakeMessage
from intake.models import StaffAlert
from tests.outbox import mails_to, rows, run_dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    return submit_intake(personas.client, "hold")


def test_a_flagged_intake_emails_its_therapists_and_admins_a_link_only(flagged, personas):
    alert = StaffAlert.objects.get(client=personas.client)
    queued = rows(IntakeMessage.INTAKE_FLAGGED)
    # Not the other therapist (not theirs), not the front desk (never reads intakes).
    assert set(queued.values_list("recipient", flat=True)) == {
        personas.therapist.pk,
        personas.clinic_admin.pk,
    }
    assert {(r.subject_id, r.channel) for r in queued} == {(alert.pk, "email")}
    mail.outbox.clear()
    run_dispatch()
    review_url = reverse("intake:review-detail", args=[flagged.pk])
    for user in (personas.therapist, personas.clinic_admin):
        (message,) = mails_to(user)
        assert message.subject == "An intake needs your review"
        assert f"{review_url} " in message.body or f"{review_url}\n" in message.body
        text = message.subject + message.body + message.alternatives[0][0]
        assert personas.client.first_name not in text
        assert "List-Unsubscribe" not in message.extra_headers  # a safety alert has no opt-out
        for answer in flagged.answers.values():
            if isinstance(answer, str) and len(answer) > 3:
                assert answer not in text
    assert mails_to(personas.other_therapist) == []
    assert mails_to(personas.front_desk) == []


def test_a_rolled_back_intake_submission_queues_no_alert(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    seen_inside = []

    def failing_request():
        with transaction.atomic():
            submit_intake(personas.client, "hold")
            seen_inside.append(rows(IntakeMessage.INTAKE_FLAGGED).count())
            raise RuntimeError("the request failed after the submit")

    with pytest.raises(RuntimeError):
        failing_request()
    assert seen_inside == [2]  # queued inside the submit's transaction...
    assert not StaffAlert.objects.exists()  # ...and gone with it
    assert not Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).exists()


def test_an_alert_resolved_before_sending_is_not_sent(flagged, personas):
    intake_services.review_decide(
        reviewer=personas.therapist, response_id=flagged.pk, action="cleared", note="Spoke to them."
    )
    mail.outbox.clear()
    run_dispatch()
    assert [m for m in mail.outbox if m.subject == "An intake needs your review"] == []
    assert set(
        Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).values_list(
            "status", flat=True
        )
    ) == {NotificationStatus.CANCELLED}


def test_a_clear_intake_alerts_nobody(pinned, personas, submit_intake, treats):
    treats(personas.therapist, personas.client)
    submit_intake(personas.client, "clear")
    assert not Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).exists()
