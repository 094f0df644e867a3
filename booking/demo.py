"""Demo booking data: past and future appointments for clients 1-10, a care plan, a waitlist entry.

Idempotent: a client who already has appointments is left alone; the plan and the waitlist
entry are created once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from booking.availability import Interval, free_room
from booking.availability_selectors import open_slots, service_timing
from booking.careplans import care_plan_book_series, care_plan_create
from booking.models import ACTIVE_STATUSES, Appointment, AppointmentStatus, CarePlan, WaitlistEntry
from booking.scheduling import appointment_book
from booking.waitlist import waitlist_join
from clinic.demo import ADMIN_EMAIL, FRONT_DESK_EMAIL, client_email
from clinic.exceptions import ApplicationError
from clinic.models import Room, User
from therapists.models import Service, TherapistProfile

DEMO_CLIENTS = range(1, 11)
PAST_WEEKS = (2, 4)


def _room_free_past(
    location: Any, start: dt.datetime, end: dt.datetime, therapist: Any
) -> Room | None:
    busy = Appointment.objects.filter(
        status__in=ACTIVE_STATUSES, occupied_from__lt=end, occupied_until__gt=start
    )
    if busy.filter(therapist=therapist).exists():
        return None
    rooms = {
        pk: tuple(
            Interval(s, e)
            for s, e in busy.filter(room_id=pk).values_list("occupied_from", "occupied_until")
        )
        for pk in Room.objects.filter(location=location, is_active=True).values_list(
            "pk", flat=True
        )
    }
    room_id = free_room(rooms, Interval(start, end))
    return Room.objects.get(pk=room_id) if room_id else None


def _past_visits(client: User, therapist: TherapistProfile, service: Service, n: int) -> int:
    location = therapist.locations.filter(services=service).first()
    if location is None:
        return 0
    made = 0
    for weeks in PAST_WEEKS:
        day = timezone.now().astimezone(location.zone).date() - dt.timedelta(
            weeks=weeks, days=n % 5
        )
        start = dt.datetime.combine(day, dt.time(9 + n % 7, 0), tzinfo=location.zone).astimezone(
            dt.UTC
        )
        occupied = service_timing(service).occupied(start)
        room = _room_free_past(location, occupied.start, occupied.end, therapist)
        if room is None:
            continue
        Appointment.objects.create(
            client=client,
            therapist=therapist,
            service=service,
            location=location,
            room=room,
            starts_at=start,
            ends_at=start + service_timing(service).duration,
            occupied_from=occupied.start,
            occupied_until=occupied.end,
            status=AppointmentStatus.COMPLETED
            if weeks == 2 or n % 3
            else AppointmentStatus.NO_SHOW,
        )
        made += 1
    return made


def _future_visit(
    client: User, therapist: TherapistProfile, service: Service, actor: User, n: int
) -> bool:
    for location in therapist.locations.filter(services=service).order_by("pk"):
        first = timezone.now().astimezone(location.zone).date() + dt.timedelta(days=1 + n % 6)
        slots = open_slots(
            service=service,
            location=location,
            first_day=first,
            last_day=first + dt.timedelta(days=10),
            therapist_ids=[therapist.pk],
        )
        for slot in slots[n % 3 :: 7]:
            try:
                appointment_book(
                    client=client,
                    service=service,
                    therapist=therapist,
                    start=slot.start,
                    actor=actor,
                )
                return True
            except ApplicationError:
                continue
    return False


def _care_plan(client: User, therapist: TherapistProfile, service: Service, admin: User) -> str:
    if CarePlan.objects.filter(client=client).exists():
        return "exists"
    plan = care_plan_create(
        actor=admin,
        client=client,
        therapist=therapist,
        service=service,
        sessions_per_week=2,
        weeks=4,
        reassessment_at_session=4,
        starts_on=timezone.localdate() + dt.timedelta(days=14),
    )
    location = therapist.locations.filter(services=service).order_by("pk").first()
    if location is None:
        return "created, not booked"
    slots = open_slots(
        service=service,
        location=location,
        first_day=plan.starts_on,
        last_day=plan.starts_on + dt.timedelta(days=6),
        therapist_ids=[therapist.pk],
    )
    if slots:
        result = care_plan_book_series(plan=plan, first_start=slots[0].start, actor=admin)
        return f"created, {len(result.booked)} booked, {len(result.conflicts)} to choose"
    return "created, not booked"


@transaction.atomic
def seed(*, stdout: Any) -> None:
    service = Service.objects.filter(slug="mfr-session").first()
    admin = User.objects.filter(email__iexact=ADMIN_EMAIL).first()
    desk = User.objects.filter(email__iexact=FRONT_DESK_EMAIL).first() or admin
    therapists = (
        list(
            TherapistProfile.objects.bookable()
            .filter(locations__services=service)
            .distinct()
            .order_by("pk")
        )
        if service
        else []
    )
    if not (service and admin and desk and therapists):
        stdout.write("booking: skipped (needs the clinic and therapists demo data first)\n")
        return
    made = 0
    for n in DEMO_CLIENTS:
        client = User.objects.filter(email__iexact=client_email(n)).first()
        if client is None or Appointment.objects.filter(client=client).exists():
            continue
        therapist = therapists[n % len(therapists)]
        made += _past_visits(client, therapist, service, n)
        made += int(_future_visit(client, therapist, service, desk, n))
    plan_note = "no client1"
    client1 = User.objects.filter(email__iexact=client_email(1)).first()
    if client1:
        plan_note = _care_plan(client1, therapists[1 % len(therapists)], service, admin)
    client2 = User.objects.filter(email__iexact=client_email(2)).first()
    if client2 and not WaitlistEntry.objects.filter(client=client2).exists():
        waitlist_join(
            client=client2,
            service=service,
            windows=[
                {"weekday": 1, "start": "08:00", "end": "12:00"},
                {"weekday": 3, "start": "08:00", "end": "12:00"},
            ],
        )
    stdout.write(
        f"booking: {made} appointments added; care plan {plan_note}; waitlist entry for client2\n"
    )
