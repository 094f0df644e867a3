"""Demo data for the workspace: a day on the board, signed notes with an addendum, self-care plans.

Runs last (after booking's demo) and uses demo clients 11-16 only
(booking's demo books clients 1-10), so the two never compete for a client. Appointments are
written directly because they include past and same-day sessions that online booking refuses.
Idempotent: a client who already has appointments is left alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from booking.models import ACTIVE_STATUSES, Appointment
from clinic.demo import client_email
from clinic.models import Room, User
from therapists.models import Modality, Service, Shift, TherapistProfile
from workspace import notes, selfcare
from workspace.models import Exercise

DEMO_CLIENTS = range(11, 17)
NOTE = {
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


def _working_day(shift_days: set[int], start: dt.date) -> dt.date:
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        if day.weekday() in shift_days:
            return day
    return start


def _free_room(location: Any, start: dt.datetime, end: dt.datetime) -> Room | None:
    busy = Appointment.objects.filter(
        status__in=ACTIVE_STATUSES, occupied_from__lt=end, occupied_until__gt=start
    )
    return (
        Room.objects.filter(location=location, is_active=True)
        .exclude(pk__in=busy.values("room_id"))
        .order_by("pk")
        .first()
    )


def _appointment(client: User, therapist: TherapistProfile, service: Service, shift: Shift,
                 start: dt.datetime, status: str) -> Any:  # fmt: skip
    end = start + dt.timedelta(minutes=service.duration_minutes)
    therapist_busy = Appointment.objects.filter(
        therapist=therapist, occupied_from__lt=end, occupied_until__gt=start
    ).exclude(status__in=("cancelled", "late_cancelled", "no_show"))
    room = _free_room(shift.location, start, end)
    if room is None or therapist_busy.exists():
        return None
    appointment = Appointment(
        client=client, therapist=therapist, service=service, location=shift.location, room=room,
        starts_at=start, ends_at=end, occupied_from=start, occupied_until=end, status=status,
    )  # fmt: skip
    appointment.full_clean()
    appointment.save()
    return appointment


def _document(appointment: Appointment, therapist_user: User, *, addendum: bool) -> None:
    techniques = list(Modality.objects.filter(slug__in=["manual-mfr", "structural-mfr"]))
    data: dict[str, Any] = dict(NOTE)
    note = notes.session_note_save(
        appointment=appointment, actor=therapist_user, techniques=techniques, **data
    )
    if appointment.status in ("completed", "checked_in") and appointment.starts_at < timezone.now():
        note = notes.session_note_sign(note=note, actor=therapist_user)
        if addendum:
            notes.session_note_addendum_add(
                note=note, actor=therapist_user,
                text="Client phoned the next day: pain 2/10, no soreness.",
            )  # fmt: skip
        items = [{"exercise": e} for e in Exercise.objects.filter(slug__in=PLAN_EXERCISES)]
        if items:
            selfcare.selfcare_plan_assign(
                appointment=appointment, actor=therapist_user, items=items,
                message="A few gentle minutes every evening.",
            )  # fmt: skip


def _seed_client(client: User, therapist: TherapistProfile, service: Service, n: int) -> int:
    shifts = list(
        Shift.objects.filter(therapist=therapist, effective_from__lte=timezone.localdate())
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=timezone.localdate()))
        .select_related("location")
    )
    if not shifts:
        return 0
    zone = shifts[0].location.zone
    today = timezone.now().astimezone(zone).date()
    day = _working_day({s.weekday for s in shifts}, today)
    shift = next(s for s in shifts if s.weekday == day.weekday())
    made = 0
    # Clients of one therapist get different hours: 90 minutes apart from the shift's start.
    offset = dt.timedelta(minutes=90 * (n - DEMO_CLIENTS.start))
    past_day = day - dt.timedelta(days=7)
    past_start = dt.datetime.combine(past_day, shift.starts_at, tzinfo=zone) + offset
    past = _appointment(client, therapist, service, shift, past_start, "completed")
    if past is not None:
        made += 1
        _document(past, therapist.user, addendum=n % 2 == 1)
    start = dt.datetime.combine(day, shift.starts_at, tzinfo=zone) + offset
    now = timezone.now()
    status = "requested" if n == 16 else (
        "completed" if start < now - dt.timedelta(hours=1) else "checked_in" if start <= now else "booked"
    )  # fmt: skip
    current = _appointment(client, therapist, service, shift, start, status)
    if current is not None:
        made += 1
        if status == "completed":
            _document(current, therapist.user, addendum=False)
    return made


@transaction.atomic
def seed(*, stdout: Any) -> None:
    """Board, day view, notes and self-care plans for demo clients 11-16."""
    service = Service.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    therapists = list(TherapistProfile.objects.bookable().order_by("pk")[:3])
    if service is None or not therapists:
        stdout.write("workspace: skipped (needs demo therapists and services)\n")
        return
    made = 0
    for n in DEMO_CLIENTS:
        client = User.objects.filter(email__iexact=client_email(n)).first()
        if client is None or Appointment.objects.filter(client=client).exists():
            continue
        made += _seed_client(client, therapists[n % len(therapists)], service, n)
    stdout.write(
        f"workspace: {made} appointments with notes and self-care plans for clients 11-16\n"
    )
