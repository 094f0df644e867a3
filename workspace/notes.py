"""Session notes: write, sign, amend, and read them with an access check and an audit record.

Who reads a note: the treating therapist (the appointment's therapist) and clinic admins.
Anyone else gets NotFound (404), and the refused attempt is audited too. Only the treating
therapist writes and signs; once signed, a note changes only through addenda.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.models import Appointment
from booking.scheduling import appointment_complete
from clinic.audit import audit_record
from clinic.exceptions import Conflict, NotFound, ValidationFailed
from clinic.models import AuditAction, AuditOutcome, Role, User
from intake.painmap import validate_marks
from therapists.models import Modality
from workspace.models import SessionNote, SessionNoteAddendum

NOTE_STATUSES = ("booked", "checked_in", "completed")
MAX_HOLD_MINUTES = 30
TEXT_FIELDS = ("subjective", "objective", "client_response", "plan")


def _appointment_model() -> Any:
    return Appointment


def is_treating_therapist(user: User | AnonymousUser, appointment: Appointment) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.role == Role.THERAPIST
        and appointment.therapist.user_id == user.pk
    )


def may_read_note(user: User | AnonymousUser, appointment: Appointment) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.role == Role.CLINIC_ADMIN or is_treating_therapist(user, appointment)


@dataclass
class NoteContext:
    """An appointment the user may document, and its note (None until first saved)."""

    appointment: Appointment
    note: SessionNote | None

    @property
    def addenda(self) -> list[SessionNoteAddendum]:
        return list(self.note.addenda.select_related("author")) if self.note else []


def _note_queryset() -> Any:
    return SessionNote.objects.select_related("signed_by").prefetch_related("techniques")


def session_note_for(
    user: User | AnonymousUser, appointment_id: Any, *, request: HttpRequest | None = None
) -> NoteContext:
    """The appointment and its note for ``user``, audited; NotFound unless theirs to read."""
    try:
        appointment = (
            _appointment_model()
            .objects.select_related("client", "therapist", "service", "location")
            .get(pk=int(appointment_id))
        )
    except (ValueError, TypeError, _appointment_model().DoesNotExist):
        raise NotFound(_("No such appointment.")) from None
    note = _note_queryset().filter(appointment=appointment).first()
    target = note or appointment
    if not may_read_note(user, appointment):
        audit_record(
            actor=user, action=AuditAction.VIEW, target=target, subject=appointment.client,
            outcome=AuditOutcome.DENIED, request=request, detail="session note",
        )  # fmt: skip
        raise NotFound(_("No such appointment."))
    if note is not None:
        audit_record(
            actor=user, action=AuditAction.VIEW, target=note, subject=appointment.client,
            request=request, detail="session note",
        )  # fmt: skip
    return NoteContext(appointment=appointment, note=note)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"fields": {field: [message]}})


def parse_hold_minutes(raw: Any) -> list[int]:
    """ "3, 5, 5" or [3, 5, 5] -> [3, 5, 5]; each hold is a whole number of minutes, 1-30."""
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else list(raw or [])
    holds: list[int] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit() or not 1 <= int(text) <= MAX_HOLD_MINUTES:
            raise _invalid(
                "hold_minutes",
                _("Give each hold in whole minutes from 1 to %(most)d, separated by commas.")
                % {"most": MAX_HOLD_MINUTES},
            )
        holds.append(int(text))
    return holds


def _clean_areas(areas: Iterable[Any]) -> list[dict[str, Any]]:
    marks = [
        {"region": m.get("region"), "side": m.get("side")} for m in areas if isinstance(m, dict)
    ]
    problems = validate_marks(marks)
    if problems:
        raise _invalid("areas_treated", problems[0])
    return marks


def _require_writer(actor: User, appointment: Appointment) -> None:
    if not is_treating_therapist(actor, appointment):
        raise NotFound(_("No such appointment."))
    if appointment.status not in NOTE_STATUSES:
        raise ValidationFailed(
            _("A %(status)s appointment has no session note.")
            % {"status": appointment.get_status_display().lower()}
        )


def _cleaned(data: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {name: str(data.get(name) or "").strip() for name in TEXT_FIELDS}
    fields["areas_treated"] = _clean_areas(data.get("areas_treated") or [])
    fields["hold_minutes"] = parse_hold_minutes(data.get("hold_minutes") or [])
    return fields


@transaction.atomic
def session_note_save(
    *,
    appointment: Appointment,
    actor: User,
    techniques: Iterable[Modality] = (),
    request: HttpRequest | None = None,
    as_of: dt.datetime | None = None,
    **data: Any,
) -> SessionNote:
    """Create or update the draft note; Conflict once it is signed (use an addendum then).

    ``as_of`` records history: the note is stamped as written then (default now).
    """
    _require_writer(actor, appointment)
    fields = _cleaned(data)
    now = as_of or timezone.now()
    note = SessionNote.objects.select_for_update().filter(appointment=appointment).first()
    if note is None:
        note = SessionNote(
            appointment=appointment,
            therapist=appointment.therapist,
            client=appointment.client,
            created_at=now,
            updated_at=now,
            **fields,
        )
        note.full_clean()
        note.save()
        action = AuditAction.CREATE
    else:
        # Compare-and-set on signed_at: a note signed meanwhile is never overwritten.
        if not SessionNote.objects.filter(pk=note.pk, signed_at__isnull=True).update(
            updated_at=now, **fields
        ):
            raise Conflict(
                _("This note is signed and cannot be changed. Add an addendum instead."),
                code="note_signed",
            )
        note.refresh_from_db()
        action = AuditAction.CHANGE
    note.techniques.set(list(techniques))
    audit_record(
        actor=actor, action=action, target=note, subject=appointment.client,
        request=request, detail="session note: draft",
    )  # fmt: skip
    return note


def _completes(appointment: Appointment, actor: User, as_of: dt.datetime | None) -> None:
    if appointment.status != "completed":
        appointment_complete(appointment=appointment, actor=actor, as_of=as_of)


@transaction.atomic
def session_note_sign(
    *,
    note: SessionNote,
    actor: User,
    request: HttpRequest | None = None,
    as_of: dt.datetime | None = None,
) -> SessionNote:
    """Sign the note on completion of the session; from then on only addenda change it.

    ``as_of`` records history: signed (and the session completed) as of then, once it started.
    """
    now = as_of or timezone.now()
    note = (
        SessionNote.objects.select_for_update()
        .select_related("appointment__therapist")
        .get(pk=note.pk)
    )
    appointment = note.appointment
    if not is_treating_therapist(actor, appointment):
        raise NotFound(_("No such appointment."))
    if note.is_signed:
        raise Conflict(_("This note is already signed."), code="note_signed")
    if appointment.starts_at > now:
        raise ValidationFailed(_("A note can be signed once the session has started."))
    if not (note.subjective or note.objective) or not note.plan:
        raise _invalid(
            "plan", _("Write the subjective or objective findings and a plan before signing.")
        )
    note.signed_at, note.signed_by = now, actor
    note.save(update_fields=["signed_at", "signed_by"])
    _completes(appointment, actor, as_of)
    audit_record(
        actor=actor, action=AuditAction.CHANGE, target=note, subject=note.client,
        request=request, detail="session note: signed",
    )  # fmt: skip
    return note


@transaction.atomic
def session_note_addendum_add(
    *,
    note: SessionNote,
    actor: User,
    text: str,
    request: HttpRequest | None = None,
    as_of: dt.datetime | None = None,
) -> SessionNoteAddendum:
    """Add a dated addendum to a signed note (treating therapist or clinic admin).

    ``as_of`` records history: the addendum is dated then, which cannot precede the signature.
    """
    now = as_of or timezone.now()
    note = SessionNote.objects.select_related("appointment__therapist").get(pk=note.pk)
    if not may_read_note(actor, note.appointment):
        raise NotFound(_("No such appointment."))
    if not note.is_signed:
        raise ValidationFailed(_("Edit the draft directly; addenda are for signed notes."))
    if note.signed_at is not None and now < note.signed_at:
        raise ValidationFailed(_("An addendum cannot be dated before the note was signed."))
    text = (text or "").strip()
    if not text:
        raise _invalid("text", _("Write the addendum."))
    addendum = SessionNoteAddendum(note=note, author=actor, text=text, created_at=now)
    addendum.full_clean()
    addendum.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=addendum, subject=note.client,
        request=request, detail="session note: addendum",
    )  # fmt: skip
    return addendum
