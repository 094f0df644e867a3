"""Demo booking data: past and future appointments for clients 1-10, a care plan, a waitlist entry.

Everything goes through the booking domain: past visits are booked by the front desk as of a
week before they took place (so notice, horizon, opening hours, shifts and both exclusion
constraints apply as they did then), then checked in and completed, or marked as no-shows,
as of their time. Messages long stale by now are not queued (see clinic.notifications.timing).
Idempotent: a client who already has appointments is left alone; the plan and the waitlist
entry are created once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from booking.arrivals import appointment_check_in
from booking.availability_selectors import open_slots
from booking.careplans import care_plan_book_series, care_plan_create
from booking.models import Appointment, CarePlan, WaitlistEntry
from booking.scheduling import (
    appointment_book,
    appointment_complete,
    appointment_mark_no_show,
)
from booking.waitlist import waitlist_join
from clinic.demo import ADMIN_EMAIL, FRONT_DESK_EMAIL, client_email
from clinic.exceptions import ApplicationError
from clinic.models import Location, User
from therapists.models import Service, TherapistProfile

# Demo clients check in a few minutes before their session.
ARRIVED_EARLY = dt.timedelta(minutes=5)

DEMO_CLIENTS = range(1, 11)
PAST_WEEKS = (4, 2)
BOOKED_AHEAD = dt.timedelta(days=7)


def demo_therapists(service: Service) -> list[TherapistProfile]:
    """Bookable therapists who may give ``service`` somewhere it is offered."""
    qs = TherapistProfile.objects.bookable().filter(locations__services=service)
    if service.required_modality_id:
        qs = qs.filter(modalities=service.required_modality_id)
    if service.required_competency_id:
        qs = qs.filter(competencies=service.required_competency_id)
    return list(qs.distinct().order_by("pk"))


def book_as_of(
    *,
    client: User,
    therapist: TherapistProfile,
    service: Service,
    location: Location,
    first_day: dt.date,
    actor: User,
    as_of: dt.datetime,
    pick: int = 0,
) -> Appointment | None:
    """Book the first free slot from ``first_day`` (trying every 7th from ``pick``) as of then."""
    slots = open_slots(
        service=service,
        location=location,
        first_day=first_day,
        last_day=first_day + dt.timedelta(days=6),
        therapist_ids=[therapist.pk],
        now=as_of,
        ignore_notice=actor.is_clinic_staff,
        for_client=client.pk,
    )
    for slot in slots[pick % 7 :: 7] + slots:
        try:
            return appointment_book(
                client=client,
                service=service,
                therapist=therapist,
                start=slot.start,
                actor=actor,
                as_of=as_of,
            )
        except ApplicationError:
            continue
    return None


def _past_visits(
    client: User, therapist: TherapistProfile, service: Service, desk: User, n: int
) -> int:
    location = therapist.locations.filter(services=service).order_by("pk").first()
    if location is None:
        return 0
    made = 0
    today = timezone.now().astimezone(location.zone).date()
    for weeks in PAST_WEEKS:
        day = today - dt.timedelta(weeks=weeks, days=n % 5)
        as_of = dt.datetime.combine(day - BOOKED_AHEAD, dt.time(9), tzinfo=location.zone)
        appointment = book_as_of(
            client=client, therapist=therapist, service=service, location=location,
            first_day=day, actor=desk, as_of=as_of, pick=n,
        )  # fmt: skip
        if appointment is None:
            continue
        if weeks == PAST_WEEKS[-1] or n % 3:
            appointment = appointment_check_in(
                appointment=appointment, actor=desk, as_of=appointment.starts_at - ARRIVED_EARLY
            )
            appointment_complete(appointment=appointment, actor=desk, as_of=appointment.ends_at)
        else:
            appointment_mark_no_show(
                appointment=appointment,
                actor=desk,
                as_of=appointment.starts_at + dt.timedelta(minutes=20),
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
    therapists = demo_therapists(service) if service else []
    if not (service and admin and desk and therapists):
        stdout.write("booking: skipped (needs the clinic and therapists demo data first)\n")
        return
    made = 0
    for n in DEMO_CLIENTS:
        client = User.objects.filter(email__iexact=client_email(n)).first()
        if client is None or Appointment.objects.filter(client=client).exists():
            continue
        therapist = therapists[n % len(therapists)]
        made += _past_visits(client, therapist, service, desk, n)
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
