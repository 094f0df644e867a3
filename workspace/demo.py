"""Demo data for the workspace: a day on the board, signed notes with an addendum, self-care plans.

Runs last and works through the domain like a clinic's week: the front desk books a session as
of a week before it, the client is checked in, and the treating therapist writes and signs the
note (which completes the session), adds an addendum the next day and assigns a self-care plan,
each as of the time it would have happened. Returning clients 4-9 (cleared intakes) get a
documented session a week ago and one on the board day; client 11, whose intake is on hold,
asks for a session that day, which the intake gate turns into a request.
Idempotent: a client with a session note (or, for client 11, any appointment) is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from booking.arrivals import appointment_check_in
from booking.demo import BOOKED_AHEAD, book_as_of, demo_therapists
from booking.models import Appointment, AppointmentStatus
from clinic.demo import FRONT_DESK_EMAIL, client_email
from clinic.models import User
from therapists.models import Modality, Service, Shift, TherapistProfile
from workspace import notes, selfcare
from workspace.models import Exercise, SessionNote

# Demo clients check in a few minutes before their session.
ARRIVED_EARLY = dt.timedelta(minutes=5)

DEMO_CLIENTS = range(4, 10)
REQUEST_CLIENT = 11  # intake on hold: booking becomes a request
NOTE: dict[str, Any] = {
    "subjective": "Low back pain 6/10 after long days at the desk; sleeping better since last visit.",
    "objective": "Restricted thoracolumbar fascia on the right; hip flexors tight on both sides.",
    "areas_treated": [
        {"region": "lower-back", "side": "right"},
        {"region": "hip", "side": "left"},
        {"region": "hip", "side": "right"},
    ],
    "hold_minutes": [3, 5, 5],
    "client_response": "Tissue softened during the second hold; pain 3/10 at the end.",
    "plan": "Weekly for four weeks; foam roller for the upper back and cat-and-cow daily.",
}
PLAN_EXERCISES = ("stretch-cat-cow", "foam-roller-thoracic", "foam-roller-glutes")


def _board_day(therapist: TherapistProfile) -> tuple[Any, dt.date] | None:
    """The therapist's location and first working day from today (their zone)."""
    today = timezone.localdate()
    shifts = list(
        Shift.objects.filter(therapist=therapist, effective_from__lte=today)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
        .select_related("location")
        .order_by("weekday", "pk")
    )
    if not shifts:
        return None
    local_today = timezone.now().astimezone(shifts[0].location.zone).date()
    for offset in range(7):
        day = local_today + dt.timedelta(days=offset)
        shift = next((s for s in shifts if s.weekday == day.weekday()), None)
        if shift is not None:
            return shift.location, day
    return None


def _book(client: User, therapist: TherapistProfile, service: Service, location: Any,
          day: dt.date, desk: User, pick: int) -> Appointment | None:  # fmt: skip
    as_of = dt.datetime.combine(day - BOOKED_AHEAD, dt.time(9), tzinfo=location.zone)
    return book_as_of(
        client=client, therapist=therapist, service=service, location=location,
        first_day=day, actor=desk, as_of=min(as_of, timezone.now()), pick=pick,
    )  # fmt: skip


def _document(appointment: Appointment, desk: User, *, addendum: bool) -> None:
    """Check in, write and sign the note (completing the session), add a plan, as of then."""
    therapist = appointment.therapist.user
    appointment = appointment_check_in(
        appointment=appointment, actor=desk, as_of=appointment.starts_at - ARRIVED_EARLY
    )
    at = appointment.starts_at
    techniques = list(Modality.objects.filter(slug__in=["manual-mfr", "structural-mfr"]))
    note = notes.session_note_save(
        appointment=appointment, actor=therapist, techniques=techniques,
        as_of=at + dt.timedelta(minutes=40), **NOTE,
    )  # fmt: skip
    note = notes.session_note_sign(note=note, actor=therapist, as_of=appointment.ends_at)
    items = [{"exercise": e} for e in Exercise.objects.filter(slug__in=PLAN_EXERCISES)]
    if items:
        selfcare.selfcare_plan_assign(
            appointment=note.appointment, actor=therapist, items=items,
            message="A few gentle minutes every evening.",
            as_of=appointment.ends_at + dt.timedelta(minutes=5),
        )  # fmt: skip
    if addendum and at + dt.timedelta(days=1) <= timezone.now():
        notes.session_note_addendum_add(
            note=note, actor=therapist, text="Client phoned the next day: pain 2/10, no soreness.",
            as_of=at + dt.timedelta(days=1),
        )  # fmt: skip


def _seed_client(client: User, therapist: TherapistProfile, service: Service, desk: User,
                 n: int) -> int:  # fmt: skip
    found = _board_day(therapist)
    if found is None:
        return 0
    location, day = found
    past = _book(client, therapist, service, location, day - dt.timedelta(days=7), desk, n)
    if past is None:
        return 0
    _document(past, desk, addendum=n % 2 == 1)
    today = _book(client, therapist, service, location, day, desk, n)
    if today is None:
        return 1
    now = timezone.now()
    if today.ends_at <= now:
        _document(today, desk, addendum=False)
    elif today.starts_at <= now:
        appointment_check_in(appointment=today, actor=desk)
    return 2


def _seed_request(client: User, therapist: TherapistProfile, service: Service, desk: User) -> int:
    found = _board_day(therapist)
    if found is None:
        return 0
    location, day = found
    appointment = _book(client, therapist, service, location, day, desk, 3)
    return int(appointment is not None and appointment.status == AppointmentStatus.REQUESTED)


@transaction.atomic
def seed(*, stdout: Any) -> None:
    """Board, day view, notes and self-care plans for demo clients 4-9, a request for client 11."""
    service = Service.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    therapists = demo_therapists(service)[:3] if service else []
    desk = User.objects.filter(email__iexact=FRONT_DESK_EMAIL).first()
    if service is None or not therapists or desk is None:
        stdout.write("workspace: skipped (needs demo therapists, services and front desk)\n")
        return
    made = 0
    for n in DEMO_CLIENTS:
        client = User.objects.filter(email__iexact=client_email(n)).first()
        if client is None or SessionNote.objects.filter(client=client).exists():
            continue
        made += _seed_client(client, therapists[n % len(therapists)], service, desk, n)
    requester = User.objects.filter(email__iexact=client_email(REQUEST_CLIENT)).first()
    requests = 0
    if requester is not None and not Appointment.objects.filter(client=requester).exists():
        requests = _seed_request(requester, therapists[0], service, desk)
    stdout.write(f"workspace: {made} documented appointments for clients 4-9; {requests} request\n")
