"""Session notes: who reads them (404 otherwise), audit of every read, signing and addenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentStatus
from clinic.exceptions import Conflict, NotFound, ValidationFailed
from clinic.models import AuditEvent, AuditOutcome
from therapists.models import Modality
from workspace import notes
from workspace.models import SessionNote, SessionNoteAddendum

pytestmark = pytest.mark.django_db

NOTE = {
    "subjective": "Low back pain 6/10, worse after sitting.",
    "objective": "Restriction over the right thoracolumbar fascia.",
    "areas_treated": [{"region": "lower-back", "side": "right"}],
    "hold_minutes": "3, 5, 5",
    "client_response": "Softening after the second hold; pain 3/10 at the end.",
    "plan": "Weekly for four weeks; self-care cat and cow.",
}


def _signed_note(clinic, personas):
    appointment = clinic.appointment(personas.client)
    note = notes.session_note_save(appointment=appointment, actor=personas.therapist, **NOTE)
    return notes.session_note_sign(note=note, actor=personas.therapist)


def login(client, user):
    client.force_login(user)
    return client


def test_therapist_writes_and_signs_and_the_session_completes(clinic, personas):
    appointment = clinic.appointment(personas.client)
    mfr = Modality.objects.get(slug="manual-mfr")
    note = notes.session_note_save(
        appointment=appointment, actor=personas.therapist, techniques=[mfr], **NOTE
    )
    assert note.hold_minutes == [3, 5, 5]
    assert note.areas_treated == [{"region": "lower-back", "side": "right"}]
    signed = notes.session_note_sign(note=note, actor=personas.therapist)
    assert signed.signed_by == personas.therapist
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED
    assert list(signed.techniques.all()) == [mfr]


def test_signed_note_cannot_be_edited_in_place_and_addendum_is_kept_beside_it(clinic, personas):
    note = _signed_note(clinic, personas)
    with pytest.raises(Conflict):
        notes.session_note_save(
            appointment=note.appointment,
            actor=personas.therapist,
            **{**NOTE, "plan": "rewritten"},
        )
    addendum = notes.session_note_addendum_add(
        note=note, actor=personas.therapist, text="Client phoned: pain 2/10 next day."
    )
    note.refresh_from_db()
    assert note.plan == NOTE["plan"]
    assert list(note.addenda.all()) == [addendum]
    addendum.text = "edited"
    with pytest.raises(ValueError, match="cannot be changed"):
        addendum.save()


def test_signed_note_edit_over_http_keeps_the_original(client, clinic, personas):
    note = _signed_note(clinic, personas)
    url = reverse("workspace:note", args=[note.appointment_id])
    response = login(client, personas.therapist).post(
        url, {**NOTE, "areas_treated": [], "plan": "rewritten", "action": "save"}
    )
    assert response.status_code == 400
    assert "cannot be changed" in response.content.decode()
    note.refresh_from_db()
    assert note.plan == NOTE["plan"]
    response = client.post(
        reverse("workspace:addendum", args=[note.appointment_id]),
        {"text": "Correction: the holds were 3, 5 and 6 minutes."},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert NOTE["plan"] in page
    assert "Correction: the holds were 3, 5 and 6 minutes." in page


def test_another_therapist_gets_404_and_the_attempt_is_audited(client, clinic, personas):
    note = _signed_note(clinic, personas)
    url = reverse("workspace:note", args=[note.appointment_id])
    assert login(client, personas.other_therapist).get(url).status_code == 404
    denied = AuditEvent.objects.filter(actor=personas.other_therapist, outcome=AuditOutcome.DENIED)
    assert denied.count() == 1
    with pytest.raises(NotFound):
        notes.session_note_for(personas.other_therapist, note.appointment_id)
    with pytest.raises(NotFound):
        notes.session_note_addendum_add(note=note, actor=personas.other_therapist, text="x")


@pytest.mark.parametrize("persona", ["front_desk", "client", "other_client"])
def test_front_desk_and_clients_cannot_open_notes(client, clinic, personas, persona):
    note = _signed_note(clinic, personas)
    url = reverse("workspace:note", args=[note.appointment_id])
    assert login(client, getattr(personas, persona)).get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, clinic, personas):
    note = _signed_note(clinic, personas)
    response = client.get(reverse("workspace:note", args=[note.appointment_id]))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_treating_therapist_and_admin_read_and_each_read_is_audited(client, clinic, personas):
    note = _signed_note(clinic, personas)
    url = reverse("workspace:note", args=[note.appointment_id])
    for user in (personas.therapist, personas.clinic_admin):
        reads = AuditEvent.objects.filter(
            actor=user, object_type="workspace.SessionNote", object_id=str(note.pk), action="view"
        )
        before = reads.count()
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert NOTE["subjective"] in response.content.decode()
        assert reads.count() == before + 1


def test_admin_reads_but_cannot_write_a_note(clinic, personas):
    appointment = clinic.appointment(personas.client)
    with pytest.raises(NotFound):
        notes.session_note_save(appointment=appointment, actor=personas.clinic_admin, **NOTE)


def test_bad_input_is_a_field_error_and_nothing_saved_is_lost(client, clinic, personas):
    appointment = clinic.appointment(personas.client)
    notes.session_note_save(appointment=appointment, actor=personas.therapist, **NOTE)
    url = reverse("workspace:note", args=[appointment.pk])
    response = login(client, personas.therapist).post(
        url,
        {
            **NOTE,
            "areas_treated": ["lower-back:right"],
            "hold_minutes": "3, lots",
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert "whole minutes" in response.content.decode()
    assert SessionNote.objects.get(appointment=appointment).hold_minutes == [3, 5, 5]
    with pytest.raises(ValidationFailed) as error:
        notes.session_note_save(
            appointment=appointment,
            actor=personas.therapist,
            **{**NOTE, "areas_treated": [{"region": "tail", "side": "left"}]},
        )
    assert "areas_treated" in error.value.extra["fields"]


def test_sign_needs_findings_and_a_plan(clinic, personas):
    appointment = clinic.appointment(personas.client)
    note = notes.session_note_save(
        appointment=appointment, actor=personas.therapist, subjective="x"
    )
    with pytest.raises(ValidationFailed):
        notes.session_note_sign(note=note, actor=personas.therapist)
    assert not SessionNote.objects.get(pk=note.pk).is_signed


def test_cancelled_appointment_has_no_note(clinic, personas):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.CANCELLED)
    with pytest.raises(ValidationFailed):
        notes.session_note_save(appointment=appointment, actor=personas.therapist, **NOTE)


def test_addendum_needs_a_signed_note_and_text(clinic, personas):
    appointment = clinic.appointment(personas.client)
    draft = notes.session_note_save(appointment=appointment, actor=personas.therapist, **NOTE)
    with pytest.raises(ValidationFailed):
        notes.session_note_addendum_add(note=draft, actor=personas.therapist, text="x")
    signed = notes.session_note_sign(note=draft, actor=personas.therapist)
    with pytest.raises(ValidationFailed):
        notes.session_note_addendum_add(note=signed, actor=personas.therapist, text="  ")
    assert not SessionNoteAddendum.objects.exists()


def test_therapist_saves_and_signs_through_the_page(client, clinic, personas):
    appointment = clinic.appointment(personas.client)
    url = reverse("workspace:note", args=[appointment.pk])
    mfr = Modality.objects.get(slug="manual-mfr")
    data = {**NOTE, "areas_treated": ["lower-back:right"], "techniques": [mfr.pk]}
    assert (
        login(client, personas.therapist).post(url, {**data, "action": "save"}).status_code == 302
    )
    assert client.post(url, {**data, "action": "sign"}).status_code == 302
    note = SessionNote.objects.get(appointment=appointment)
    assert note.is_signed
    assert list(note.techniques.all()) == [mfr]


def test_a_note_recorded_as_of_a_past_session_carries_those_times(clinic, personas):
    starts = timezone.now() - dt.timedelta(days=14)
    appointment = clinic.appointment(personas.client, starts_at=starts)
    written, signed_at, later = (starts + dt.timedelta(minutes=m) for m in (50, 65, 24 * 60))
    note = notes.session_note_save(
        appointment=appointment, actor=personas.therapist, as_of=written, **NOTE
    )
    assert (note.created_at, note.updated_at) == (written, written)
    signed = notes.session_note_sign(note=note, actor=personas.therapist, as_of=signed_at)
    assert signed.signed_at == signed_at
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED
    with pytest.raises(ValidationFailed):  # an addendum never predates the signature
        notes.session_note_addendum_add(
            note=signed, actor=personas.therapist, text="Earlier?", as_of=written
        )
    addendum = notes.session_note_addendum_add(
        note=signed, actor=personas.therapist, text="Phoned: pain 2/10.", as_of=later
    )
    assert addendum.created_at == later


def test_a_note_cannot_be_signed_as_of_before_the_session_started(clinic, personas):
    starts = timezone.now() - dt.timedelta(days=14)
    appointment = clinic.appointment(personas.client, starts_at=starts)
    note = notes.session_note_save(appointment=appointment, actor=personas.therapist, **NOTE)
    with pytest.raises(ValidationFailed):
        notes.session_note_sign(
            note=note, actor=personas.therapist, as_of=starts - dt.timedelta(minutes=5)
        )
    assert SessionNote.objects.get(pk=note.pk).signed_at is None
