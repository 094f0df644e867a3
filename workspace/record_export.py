"""Everything the clinic holds about a client, for the client: a readable page and FHIR JSON.

The workspace stands on every other floor, so it can gather the record in one place: profile
and contact preferences, consents, intakes (as FHIR QuestionnaireResponses, via intake.fhir),
outcome scores, appointments, care plans, waitlist entries, self-care plans and signed session
notes with their addenda. Session notes are part of the clinical record the client has a right
to see, so signed ones are included read-only; a draft is not part of the record until its
therapist signs it, so drafts are left out (the page says so). Each export is audited.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.models import Appointment, AppointmentStatus, CarePlan, WaitlistEntry
from clinic.audit import audit_record
from clinic.exceptions import NotFound
from clinic.models import AuditAction, ClientProfile, Consent, Role, User
from intake import fhir
from intake.models import IntakeResponse, OutcomeResponse
from intake.painmap import region_label
from intake.questionnaire_items import parsed_items
from workspace.models import ErasureRequest, SelfCarePlan, SessionNote, SessionNoteAddendum

FHIR_APPOINTMENT_STATUS: dict[str, str] = {
    AppointmentStatus.REQUESTED: "proposed",
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CHECKED_IN: "checked-in",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.LATE_CANCELLED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
}


@dataclass
class IntakeExport:
    response: IntakeResponse
    resource: dict[str, Any]  # FHIR QuestionnaireResponse


@dataclass
class ClientRecord:
    client: User
    profile: ClientProfile | None
    consents: list[Consent]
    intakes: list[IntakeExport]
    outcomes: list[OutcomeResponse]
    appointments: list[Appointment]
    care_plans: list[CarePlan]
    waitlist: list[WaitlistEntry]
    selfcare_plans: list[SelfCarePlan]
    notes: list[SessionNote]
    erasure_requests: list[ErasureRequest]


def _intakes(client: User) -> list[IntakeExport]:
    responses = IntakeResponse.objects.filter(client=client).select_related("questionnaire")
    return [
        IntakeExport(
            response,
            fhir.response_resource(
                response_id=response.pk,
                slug=response.questionnaire.slug,
                version=response.questionnaire.version,
                status=response.status,
                supersedes=response.supersedes_id is not None,
                authored=response.submitted_at.isoformat() if response.submitted_at else None,
                subject_reference=f"Patient/{client.pk}",
                items=parsed_items(response.questionnaire),
                answers=response.answers,
            ),
        )
        for response in responses.order_by("created_at", "pk")
    ]


def client_record_read(
    user: Any, client_id: int, *, request: HttpRequest | None = None, detail: str = ""
) -> ClientRecord:
    """The whole record of the client ``user`` (only the client themself), audited as an export."""
    client = User.objects.filter(pk=client_id, role=Role.CLIENT).first()
    if client is None or not user.is_authenticated or user.pk != client.pk:
        raise NotFound(_("No such client."))
    record = ClientRecord(
        client=client,
        profile=ClientProfile.objects.filter(user=client).first(),
        consents=list(Consent.objects.filter(user=client).select_related("text")),
        intakes=_intakes(client),
        outcomes=list(
            OutcomeResponse.objects.filter(client=client)
            .select_related("instrument", "condition")
            .order_by("recorded_at", "pk")
        ),
        appointments=list(
            Appointment.objects.filter(client=client)
            .select_related("service", "therapist", "location")
            .order_by("starts_at", "pk")
        ),
        care_plans=list(CarePlan.objects.filter(client=client).select_related("service")),
        waitlist=list(WaitlistEntry.objects.filter(client=client).select_related("service")),
        selfcare_plans=list(
            SelfCarePlan.objects.filter(client=client).prefetch_related("items__exercise")
        ),
        notes=list(
            SessionNote.objects.filter(client=client, signed_at__isnull=False)
            .select_related("therapist", "appointment")
            .prefetch_related(
                Prefetch("addenda", queryset=SessionNoteAddendum.objects.order_by("created_at"))
            )
            .order_by("signed_at", "pk")
        ),
        erasure_requests=list(ErasureRequest.objects.filter(client=client)),
    )
    audit_record(
        actor=user, action=AuditAction.EXPORT, target=client, subject=client,
        request=request, detail=detail or "data export",
    )  # fmt: skip
    return record


def _area(mark: Any) -> str:
    if not isinstance(mark, dict):
        return str(mark)
    return region_label(str(mark.get("region", "")), mark.get("side"))


def note_text(note: SessionNote) -> str:
    """A signed session note as plain text, with its addenda, as the client sees it."""
    parts = [
        ("Subjective", note.subjective),
        ("Objective", note.objective),
        ("Areas treated", ", ".join(_area(a) for a in note.areas_treated or [])),
        ("Holds (minutes)", ", ".join(str(m) for m in note.hold_minutes or [])),
        ("Response", note.client_response),
        ("Plan", note.plan),
    ]
    lines = [f"{label}: {text}" for label, text in parts if text]
    lines += [f"Addendum {a.created_at:%Y-%m-%d}: {a.text}" for a in note.addenda.all()]
    return "\n".join(lines)


def _patient(record: ClientRecord) -> dict[str, Any]:
    client, profile = record.client, record.profile
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(client.pk),
        "name": [{"family": client.last_name, "given": [client.first_name]}],
        "telecom": [{"system": "email", "value": client.email}],
    }
    if profile is not None:
        if profile.phone:
            patient["telecom"].append({"system": "phone", "value": profile.phone})
        if profile.date_of_birth:
            patient["birthDate"] = profile.date_of_birth.isoformat()
        if profile.preferred_language:
            patient["communication"] = [
                {
                    "language": {
                        "coding": [
                            {"system": "urn:ietf:bcp:47", "code": profile.preferred_language}
                        ]
                    }
                }
            ]
    return patient


def _resources(record: ClientRecord) -> list[dict[str, Any]]:
    subject = {"reference": f"Patient/{record.client.pk}"}
    resources = [_patient(record)]
    resources += [
        {
            "resourceType": "Consent",
            "id": str(c.pk),
            "status": "inactive" if c.withdrawn_at else "active",
            "category": [{"text": f"{c.text.get_kind_display()} (text version {c.text.version})"}],
            "patient": subject,
            "dateTime": c.granted_at.isoformat(),
            "provision": {
                "period": {
                    "start": c.granted_at.isoformat(),
                    **({"end": c.withdrawn_at.isoformat()} if c.withdrawn_at else {}),
                }
            },
        }
        for c in record.consents
    ]
    resources += [i.resource for i in record.intakes]
    resources += [
        {
            "resourceType": "Observation",
            "id": f"outcome-{o.pk}",
            "status": "final",
            "code": {"text": f"{o.instrument.name} (version {o.instrument_version})"},
            "subject": subject,
            "effectiveDateTime": o.recorded_at.isoformat(),
            **({"valueQuantity": {"value": float(o.score)}} if o.score is not None else {}),
            **({"interpretation": [{"text": o.band}]} if o.band else {}),
        }
        for o in record.outcomes
    ]
    resources += [
        {
            "resourceType": "Appointment",
            "id": str(a.pk),
            "status": FHIR_APPOINTMENT_STATUS.get(a.status, "booked"),
            "serviceType": [{"text": a.service.name}],
            "start": a.starts_at.isoformat(),
            "end": a.ends_at.isoformat(),
            "participant": [
                {"actor": subject, "status": "accepted"},
                {"actor": {"display": a.therapist.display_name}, "status": "accepted"},
            ],
        }
        for a in record.appointments
    ]
    resources += [
        {
            "resourceType": "DocumentReference",
            "id": f"note-{n.pk}",
            "status": "current",
            "type": {"text": "Session note"},
            "subject": subject,
            "date": n.signed_at.isoformat() if n.signed_at else None,
            "author": [{"display": n.therapist.display_name}],
            "content": [
                {
                    "attachment": {
                        "contentType": "text/plain; charset=utf-8",
                        "data": base64.b64encode(note_text(n).encode()).decode(),
                    }
                }
            ],
        }
        for n in record.notes
    ]
    return resources


def client_record_fhir(record: ClientRecord) -> dict[str, Any]:
    """The record as a FHIR R4 Bundle of type ``collection``."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"resource": resource} for resource in _resources(record)],
    }
