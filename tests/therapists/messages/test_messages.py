"""Clock-driven messages: the therapist's daily digest and credential expiry warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from clinic.models import Notification
from tests.outbox import run_dispatch
from therapists.messages import TherapistMessage, credential_warnings_enqueue
from therapists.models import Credential

pytestmark = pytest.mark.django_db


NY = dt.timezone(dt.timedelta(hours=-4))


def test_credential_warning_goes_to_clinic_admins_at_the_latest_threshold(pinned, clinic, personas):
    _location, _service, therapist = clinic
    Credential.objects.filter(therapist=therapist).update(expires_on=dt.date(2026, 6, 5))
    assert credential_warnings_enqueue() >= 1
    credential_warnings_enqueue()
    rows = Notification.objects.filter(
        kind=TherapistMessage.CREDENTIAL_EXPIRY, recipient=personas.clinic_admin
    )
    assert rows.count() == 1
    assert rows.get().due_at.astimezone(NY).date() == dt.date(2026, 5, 29)  # the 7-day mark
    mail.outbox.clear()
    run_dispatch()
    (warning,) = [m for m in mail.outbox if m.to == [personas.clinic_admin.email]]
    assert warning.subject == f"Licence expiry: {therapist.display_name}"
    assert "5 June 2026" in warning.body
