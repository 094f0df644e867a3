"""Reads of appointments, care plans and waitlist entries, scoped to who is asking.

Clients see their own; therapists see their own appointments and plans; front desk and clinic
admins see all. An object outside the asker's scope is reported as not found (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from booking.models import ACTIVE_STATUSES, Appointment, CarePlan, WaitlistEntry, WaitlistOffer
from clinic.audit import audit_record, audit_record_many
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditAction, AuditOutcome, Location, Role, User
from therapists.care import treats


def _therapist_id(user: User) -> int | None:
    profile = getattr(user, "therapist_profile", None)
    return profile.pk if profile is not None else None


_M = TypeVar("_M", Appointment, CarePlan, WaitlistEntry)


def _scoped(qs: QuerySet[_M], user: User) -> QuerySet[_M]:
    """Narrow ``qs`` (rows with ``client`` and ``therapist``) to what ``user`` may see."""
    if user.role == Role.CLIENT:
        return qs.filter(client=user)
    if user.role == Role.THERAPIST:
        return qs.filter(therapist_id=_therapist_id(user))
    if user.role in (Role.FRONT_DESK, Role.CLINIC_ADMIN):
        return qs
    return qs.none()


def _get_or_404(qs: QuerySet[_M], pk: Any) -> _M:
    """The row ``pk`` of ``qs``; Http404 otherwise (never 'exists but not yours')."""
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def appointments_visible_to(user: User) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related(
        "client", "therapist", "service", "location", "room"
    ).order_by("starts_at", "pk")
    return _scoped(qs, user)


APPOINTMENT_SORTS = {
    "when": ("starts_at", "pk"),
    "-when": ("-starts_at", "-pk"),
    "client": ("client__last_name", "client__first_name", "client__email", "starts_at", "pk"),
    "therapist": ("therapist__display_name", "starts_at", "pk"),
    "status": ("status", "starts_at", "pk"),
}


def _local_days(day_from: dt.date | None, day_to: dt.date | None) -> Q:
    """Appointments whose start falls on the given local days, each in its location's zone."""
    condition = Q()
    for zone_name in Location.objects.values_list("time_zone", flat=True).distinct():
        zone = ZoneInfo(zone_name)
        in_zone = Q(location__time_zone=zone_name)
        if day_from is not None:
            in_zone &= Q(starts_at__gte=dt.datetime.combine(day_from, dt.time(), tzinfo=zone))
        if day_to is not None:
            next_day = day_to + dt.timedelta(days=1)
            in_zone &= Q(starts_at__lt=dt.datetime.combine(next_day, dt.time(), tzinfo=zone))
        condition |= in_zone
    return condition or Q(pk__in=[])


def appointments_filtered(
    user: User,
    *,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    therapist: Any = None,
    status: str = "",
    sort: str = "",
) -> QuerySet[Appointment]:
    """The appointments ``user`` may see, narrowed by local day, therapist and status, sorted."""
    qs = appointments_visible_to(user)
    if day_from is not None or day_to is not None:
        qs = qs.filter(_local_days(day_from, day_to))
    if therapist is not None:
        qs = qs.filter(therapist=therapist)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by(*APPOINTMENT_SORTS.get(sort or "when", APPOINTMENT_SORTS["when"]))


def appointment_for(user: User, pk: Any) -> Appointment:
    """The appointment if ``user`` may see it; Http404 otherwise.

    A therapist also sees a request front desk asked them to decide (an open ClinicianTask).
    """
    visible = appointments_visible_to(user)
    if user.role == Role.THERAPIST:
        routed = Appointment.objects.filter(
            pk=OuterRef("pk"), clinician_tasks__assigned_to=user, clinician_tasks__resolved_at=None
        )
        visible = Appointment.objects.select_related(
            "client", "therapist", "service", "location", "room"
        ).filter(Q(therapist_id=_therapist_id(user)) | Q(Exists(routed)))
    return _get_or_404(visible, pk)


def care_plans_visible_to(user: User) -> QuerySet[CarePlan]:
    qs = CarePlan.objects.select_related("client", "therapist", "service").prefetch_related(
        "appointments"
    )
    return _scoped(qs, user)


def care_plan_for(user: User, pk: Any) -> CarePlan:
    return _get_or_404(care_plans_visible_to(user), pk)


def care_plan_read(user: User, pk: Any, *, request: HttpRequest | None = None) -> CarePlan:
    """The care plan if ``user`` may see it, its read audited; Http404 otherwise."""
    plan = care_plan_for(user, pk)
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        target=plan,
        subject=plan.client,
        request=request,
        detail="care plan",
    )
    return plan


def care_plans_read(
    user: User, plans: QuerySet[CarePlan], *, request: HttpRequest | None = None
) -> list[CarePlan]:
    """Evaluate a list of plans ``user`` may see (from :func:`care_plans_visible_to`), one audit
    record per plan in one INSERT."""
    rows = list(plans)
    audit_record_many(
        actor=user,
        action=AuditAction.VIEW,
        targets=[(plan, plan.client) for plan in rows],
        request=request,
        detail="care plans: list",
    )
    return rows


def waitlist_visible_to(user: User) -> QuerySet[WaitlistEntry]:
    qs = WaitlistEntry.objects.select_related("client", "service", "therapist", "location")
    return _scoped(qs, user)


def waitlist_entry_for(user: User, pk: Any) -> WaitlistEntry:
    return _get_or_404(waitlist_visible_to(user), pk)


def waitlist_offer_for_client(user: User, pk: Any) -> WaitlistOffer:
    """An offer made to this client (only the offered client may accept it)."""
    try:
        return WaitlistOffer.objects.select_related(
            "entry__client", "entry__service", "therapist", "location"
        ).get(pk=int(pk), entry__client=user)
    except (WaitlistOffer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def client_busy_spans(
    client: User, since: dt.datetime, *, exclude: int | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The client's active appointments ending after ``since``, as (start, end): one query."""
    qs = Appointment.objects.active().filter(client_id=client.pk, ends_at__gt=since)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(qs.order_by("starts_at").values_list("starts_at", "ends_at"))


def previous_therapist_ids(client: User) -> list[int]:
    """Therapists the client has seen or is booked with, most recent first."""
    rows = (
        Appointment.objects.filter(client=client, status__in=ACTIVE_STATUSES)
        .order_by("-starts_at")
        .values_list("therapist_id", flat=True)
    )
    return list(dict.fromkeys(rows))


def ensure_may_act_for(actor: User, client: User) -> None:
    """Refuse a therapist acting for a client they do not already treat (as not found).

    An appointment makes a therapist "treating", which opens the client's intake to them, so a
    therapist booking or planning for a stranger would be a way round that rule. Front desk
    and clinic admins book for anyone.
    """
    if actor.role != Role.THERAPIST:
        return
    if not treats(actor, client.pk):
        message = "No such client among yours."
        raise NotFound(message, extra={"fields": {"client": [message]}})


COLLEAGUE_REFUSED = (
    "You can book this client only with yourself or with a colleague who already treats them. "
    "Ask the front desk to book them with someone new."
)


def ensure_may_book_with(actor: Any, client: Any, therapist_user: Any) -> None:
    """Refuse a therapist booking their client with a colleague who does not treat the client.

    Booking is what makes a therapist "treating" (and opens the client's intake to them), so
    only the client themself, the front desk or a clinic admin may start that relationship for
    a colleague; a therapist may book only with themself or with a colleague who already
    treats the client. The refusal is a 400 on the ``therapist`` field.
    """
    if actor.role != Role.THERAPIST or therapist_user is None:
        return
    if therapist_user.pk == actor.pk or treats(therapist_user, client.pk):
        return
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=client,
        subject=client,
        outcome=AuditOutcome.DENIED,
        detail="booking: colleague who does not treat the client",
    )
    raise ValidationFailed(COLLEAGUE_REFUSED, extra={"fields": {"therapist": [COLLEAGUE_REFUSED]}})
