"""The client's data rights: see and download everything held; erasure keeps the clinical record."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Appointment, AppointmentStatus, WaitlistEntry
from clinic.models import AuditEvent, ClientProfile, ClinicPolicy, Consent, ConsentKind
from intake import services as intake_services
from intake.demo import scenario_answers
from intake.models import IntakeResponse
from intake.outcomes import outcome_record
from tests.factories import TEST_PASSWORD
from workspace import notes
from workspace.erasure import erasure_request_create
from workspace.models import ErasureRequest, SessionNote
from workspace.record_export import client_record_read

pytestmark = pytest.mark.django_db

SUBJECTIVE = "Low back pain 6/10, worse after sitting."
DRAFT = "Draft thoughts not yet signed."


@pytest.fixture
def record(clinic, personas):
    """A client with an intake, an outcome score, a signed note and a draft note."""
    client = personas.client
    intake_services.intake_start(client=client)
    answers = {k: v for k, v in scenario_answers("clear").items() if v is not None}
    intake_services.intake_save_answers(client=client, answers=answers)
    intake = intake_services.intake_submit(client=client)
    outcome_record(
        actor=client, client=client, instrument_code="nprs",
        answers={"pain_now": 6}, source="follow_up",
    )  # fmt: skip
    signed = notes.session_note_save(
        appointment=clinic.appointment(client),
        actor=personas.therapist,
        subjective=SUBJECTIVE,
        plan="Weekly for four weeks.",
    )
    notes.session_note_sign(note=signed, actor=personas.therapist)
    notes.session_note_save(
        appointment=clinic.appointment(client, starts_at=timezone.now() - dt.timedelta(days=2)),
        actor=personas.therapist,
        subjective=DRAFT,
    )
    return intake


def test_the_client_reads_everything_held_about_them(client, personas, record):
    client.force_login(personas.client)
    page = client.get(reverse("workspace:my-data"))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in ("client@example.test", "Processing of my health data", "NPRS", SUBJECTIVE):
        assert expected in text, expected
    assert DRAFT not in text  # not part of the record until signed
    event = AuditEvent.objects.get(detail="data export: page")
    assert (event.actor, event.subject, event.action) == (
        personas.client,
        personas.client,
        "export",
    )


def test_the_fhir_download_is_a_bundle_of_the_whole_record(client, personas, record):
    client.force_login(personas.client)
    response = client.get(reverse("workspace:my-data-fhir"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    bundle = response.json()
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    for kind in ("Patient", "Consent", "QuestionnaireResponse", "Observation", "Appointment"):
        assert kind in kinds, kind
    (note,) = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert SUBJECTIVE in base64.b64decode(note["content"][0]["attachment"]["data"]).decode()
    intake = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    assert intake["id"] == str(record.pk)
    assert AuditEvent.objects.filter(actor=personas.client, detail="data export: fhir").exists()


@pytest.mark.parametrize("who", ["other_client", "therapist", "front_desk", "clinic_admin"])
def test_only_the_client_exports_their_record(client, personas, record, who):
    client.force_login(getattr(personas, who))
    expected = 200 if who == "other_client" else 403
    page = client.get(reverse("workspace:my-data"))
    assert page.status_code == expected
    assert SUBJECTIVE not in page.content.decode()
    with pytest.raises(Exception, match="No such client"):
        client_record_read(getattr(personas, who), personas.client.pk)


def test_the_client_is_told_what_erasure_removes_and_keeps_and_why(client, personas, record):
    ClinicPolicy.objects.update_or_create(pk=1, defaults={"clinical_record_retention_years": 10})
    client.force_login(personas.client)
    page = client.get(reverse("workspace:erasure")).content.decode()
    assert "for 10 years after your last care" in page
    assert "session notes" in page
    assert "phone number" in page
    refused = client.post(reverse("workspace:erasure"), {})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert client.post(reverse("workspace:erasure"), {"confirm": "on"}).status_code == 302
    assert client.post(reverse("workspace:erasure"), {"confirm": "on"}).status_code == 302
    request = ErasureRequest.objects.get()
    assert request.is_open
    assert request.retain_until.year == timezone.localdate().year + 10
    assert AuditEvent.objects.filter(actor=personas.client, detail="erasure: requested").exists()


def test_completing_erasure_removes_account_contact_and_marketing_but_keeps_the_record(
    client, clinic, personas, record
):
    person = personas.client
    ClientProfile.objects.filter(user=person).update(marketing_opt_in=True, sms_opt_in=True)
    upcoming = clinic.appointment(
        person, starts_at=timezone.now() + dt.timedelta(days=3), status=AppointmentStatus.BOOKED
    )
    WaitlistEntry.objects.create(client=person, service=clinic.service, windows=[])
    erasure = erasure_request_create(client=person)
    notes_before = SessionNote.objects.filter(client=person).count()

    client.force_login(personas.clinic_admin)
    listed = client.get(reverse("workspace:erasure-requests"))
    assert listed.status_code == 200
    assert "Casey" in listed.content.decode()
    done = client.post(reverse("workspace:erasure-complete", args=[erasure.pk]))
    assert done.status_code == 302

    person.refresh_from_db()
    assert not person.is_active
    assert person.email.endswith("@erased.invalid")
    assert not person.has_usable_password()
    profile = ClientProfile.objects.get(user=person)
    assert (profile.phone, profile.marketing_opt_in, profile.sms_opt_in) == ("", False, False)
    assert not WaitlistEntry.objects.filter(client=person).exists()
    assert Appointment.objects.get(pk=upcoming.pk).status == AppointmentStatus.CANCELLED
    assert not Consent.objects.filter(
        user=person, text__kind=ConsentKind.MARKETING, withdrawn_at__isnull=True
    ).exists()
    # The clinical record stays, as the client was told.
    assert IntakeResponse.objects.filter(pk=record.pk).exists()
    assert SessionNote.objects.filter(client=person).count() == notes_before
    assert Consent.objects.filter(user=person, text__kind=ConsentKind.HEALTH_DATA).exists()
    erasure.refresh_from_db()
    assert (erasure.completed_by, erasure.is_open) == (personas.clinic_admin, False)
    event = AuditEvent.objects.get(detail="erasure: account, contact and marketing data removed")
    assert (event.actor, event.subject_id, event.action) == (
        personas.clinic_admin,
        person.pk,
        "delete",
    )
    client.logout()
    signin = client.post(
        reverse("login"), {"username": "client@example.test", "password": TEST_PASSWORD}
    )
    assert signin.status_code != 302  # no account to sign in to any more
    client.force_login(personas.clinic_admin)

    again = client.post(reverse("workspace:erasure-complete", args=[erasure.pk]), follow=True)
    assert "already been completed" in again.content.decode()


@pytest.mark.parametrize("who", ["client", "therapist", "front_desk"])
def test_only_clinic_admins_see_and_complete_requests(client, personas, who):
    erasure = erasure_request_create(client=personas.client)
    client.force_login(getattr(personas, who))
    assert client.get(reverse("workspace:erasure-requests")).status_code == 403
    assert client.post(reverse("workspace:erasure-complete", args=[erasure.pk])).status_code == 403
    assert ErasureRequest.objects.get().is_open


def test_completing_an_unknown_request_is_404(client, personas):
    client.force_login(personas.clinic_admin)
    assert client.post(reverse("workspace:erasure-complete", args=[999999])).status_code == 404
