"""Reads of appointments, care plans and waitlist entries, scoped to who is asking.

Clients see their own; therapists see their own appointments and plans; front desk and clinic
admins see all. An object outside the asker's scope is reported as not found (404).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from booking.models import ACTIVE_STATUSES, Appointment, CarePlan, WaitlistEntry, WaitlistOffer
from clinic.exceptions import NotFound
from clinic.models import Role
from therapists.care import treats


def _therapist_id(user: Any) -> int | None:
    profile = getattr(user, "therapist_profile", None)
    return profile.pk if profile is not None else None


_M = TypeVar("_M", Appointment, CarePlan, WaitlistEntry)


def _scoped(qs: QuerySet[_M], user: Any) -> QuerySet[_M]:
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


def appointments_visible_to(user: Any) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related(
        "client", "therapist", "service", "location", "room"
    ).order_by("starts_at", "pk")
    return _scoped(qs, user)


def appointment_for(user: Any, pk: Any) -> Appointment:
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


def care_plans_visible_to(user: Any) -> QuerySet[CarePlan]:
    qs = CarePlan.objects.select_related("client", "therapist", "service").prefetch_related(
        "appointments"
    )
    return _scoped(qs, user)


def care_plan_for(user: Any, pk: Any) -> CarePlan:
    return _get_or_404(care_plans_visible_to(user), pk)


def waitlist_visible_to(user: Any) -> QuerySet[WaitlistEntry]:
    qs = WaitlistEntry.objects.select_related("client", "service", "therapist", "location")
    return _scoped(qs, user)


def waitlist_entry_for(user: Any, pk: Any) -> WaitlistEntry:
    return _get_or_404(waitlist_visible_to(user), pk)


def waitlist_offer_for_client(user: Any, pk: Any) -> WaitlistOffer:
    """An offer made to this client (only the offered client may accept it)."""
    try:
        return WaitlistOffer.objects.select_related(
            "entry__client", "entry__service", "therapist", "location"
        ).get(pk=int(pk), entry__client=user)
    except (WaitlistOffer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def previous_therapist_ids(client: Any) -> list[int]:
    """Therapists the client has seen or is booked with, most recent first."""
    rows = (
        Appointment.objects.filter(client=client, status__in=ACTIVE_STATUSES)
        .order_by("-starts_at")
        .values_list("therapist_id", flat=True)
    )
    return list(dict.fromkeys(rows))


def ensure_may_act_for(actor: Any, client: Any) -> None:
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
