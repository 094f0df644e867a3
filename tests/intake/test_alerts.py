"""Alerts reach clinicians: the treating therapist and whoever is on shift where the client is
seen, in the app and by e-mail (no health detail in the subject), on top of every clinician's
queue until someone acknowledges it (audited)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from clinic.models import AuditEvent, Location, Notification
from intake.messages import IntakeMessage
from intake.models import StaffAlert
from tests.booking.factories import TherapistProfileFactory, work_every_day
from tests.factories import LocationFactory, TherapistUserFactory
from tests.outbox import run_dispatch

pytestmark = pytest.mark.django_db

EMERGENCY = {"rf_back_emergency": ["saddle"]}
URGENT = {"calf_swelling": True, "calf_chest": ["none"]}


@pytest.fixture
def on_shift(personas, treats):
    """The client's therapist treats them at a location where another therapist works today;
    a third therapist neither treats them nor works there."""
    treats(personas.therapist, personas.client)
    location = Location.objects.get(slug="intake-test-location")
    work_every_day(TherapistProfileFactory(user=personas.other_therapist, bookable=False), location)
    elsewhere = TherapistUserFactory(email="elsewhere@example.test")
    work_every_day(
        TherapistProfileFactory(user=elsewhere, bookable=False), LocationFactory(slug="elsewhere")
    )
    return elsewhere


@pytest.mark.parametrize("answers", [EMERGENCY, URGENT], ids=["emergency", "urgent"])
def test_alert_reaches_the_treating_therapist_and_the_clinician_on_shift(
    personas, submit_intake, on_shift, answers
):
    submit_intake(personas.client, **answers)
    alert = StaffAlert.objects.get(client=personas.client)
    recipients = set(alert.recipients.all())
    assert {personas.therapist, personas.other_therapist, personas.clinic_admin} <= recipients
    assert on_shift not in recipients
    assert personas.front_desk not in recipients
    emailed = set(
        Notification.objects.filter(kind=IntakeMessage.INTAKE_FLAGGED).values_list(
            "recipient__email", flat=True
        )
    )
    assert {personas.therapist.email, personas.other_therapist.email} <= emailed
    mail.outbox.clear()
    run_dispatch()
    sent = [m for m in mail.outbox if m.to == [personas.other_therapist.email]]
    assert len(sent) == 1
    # No health detail and no name in the subject: just that something needs review.
    assert sent[0].subject == "An intake needs your review"
    assert personas.client.first_name not in sent[0].subject


def test_a_hold_does_not_page_the_clinicians_on_shift(personas, submit_intake, on_shift):
    submit_intake(personas.client, "hold")
    recipients = set(StaffAlert.objects.get(client=personas.client).recipients.all())
    assert personas.therapist in recipients
    assert personas.other_therapist not in recipients


def test_urgent_alert_tops_every_clinicians_queue_until_acknowledged_with_an_audit(
    client, personas, submit_intake, on_shift
):
    submit_intake(personas.client, **EMERGENCY)
    alert = StaffAlert.objects.get(client=personas.client)
    for clinician in (on_shift, personas.other_therapist):  # even one it was not sent to
        client.force_login(clinician)
        page = client.get(reverse("intake:review-queue")).content.decode()
        assert 'id="urgent-alerts"' in page
        assert "Casey" in page
    # The count is the viewer's own and links to their list.
    client.force_login(on_shift)
    assert 'href="#alerts"' not in client.get(reverse("intake:review-queue")).content.decode()
    client.force_login(personas.other_therapist)
    page = client.get(reverse("intake:review-queue")).content.decode()
    assert '<a href="#alerts"><strong>1 open safety alert for you.' in page
    assert 'id="alerts"' in page

    done = client.post(reverse("intake:alert-acknowledge", args=[alert.pk]))
    assert done.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == personas.other_therapist
    assert alert.resolved_at is None  # acknowledging clears nothing
    event = AuditEvent.objects.get(detail=f"safety alert #{alert.pk} acknowledged")
    assert (event.actor, event.subject) == (personas.other_therapist, personas.client)
    client.force_login(on_shift)
    assert 'id="urgent-alerts"' not in client.get(reverse("intake:review-queue")).content.decode()
    # Front desk can do neither.
    client.force_login(personas.front_desk)
    assert client.post(reverse("intake:alert-acknowledge", args=[alert.pk])).status_code == 403


def test_queue_keeps_a_client_with_an_open_finding_after_a_calm_resubmission(
    client, personas, submit_intake, treats
):
    treats(personas.therapist, personas.client)
    submit_intake(personas.client, "hold")
    submit_intake(personas.client)  # answers "none" now; the finding stays open
    client.force_login(personas.therapist)
    page = client.get(reverse("intake:review-queue")).content.decode()
    assert 'class="needs-review"' in page
    assert "HOLD (open)" in page
