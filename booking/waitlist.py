"""The waitlist: join, offer a freed slot to the next client in line with a hold, accept, expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booking import notifications
from booking.exceptions import SlotUnavailable
from booking.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistOfferStatus,
    WaitlistStatus,
)
from booking.scheduling import appointment_book
from clinic.exceptions import ValidationFailed
from clinic.models import ClinicPolicy, Location, User
from intake.gate import REFUSING_GATES, booking_gates_for
from therapists.models import Service, TherapistProfile


class OfferTaken(SlotUnavailable):
    """Someone else confirmed the time first (or it was booked otherwise)."""

    code = "offer_taken"


class OfferExpired(SlotUnavailable):
    code = "offer_expired"


TAKEN_MESSAGE = gettext_lazy(
    "Sorry, this time has already been taken. You are still on the waitlist."
)
EXPIRED_MESSAGE = gettext_lazy("This offer has expired. You are still on the waitlist.")


def parse_windows(raw: Any) -> list[dict[str, Any]]:
    """Validate ``[{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}, ...]``; ValidationFailed."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise _windows_error(_("Give a list of time windows."))
    windows = []
    for item in raw:
        try:
            weekday = int(item["weekday"])
            start, end = _hhmm(item["start"]), _hhmm(item["end"])
        except (KeyError, TypeError, ValueError):
            raise _windows_error(
                _('Each window needs "weekday" (0-6), "start" and "end" (HH:MM).')
            ) from None
        if not 0 <= weekday <= 6 or end <= start:
            raise _windows_error(_("Each window needs a weekday 0-6 and an end after its start."))
        windows.append({"weekday": weekday, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return windows


def _hhmm(value: Any) -> dt.time:
    hours, minutes = str(value).split(":")
    return dt.time(int(hours), int(minutes))


def _windows_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"fields": {"windows": [message]}})


def slot_fits_windows(windows: list[dict[str, Any]], start: dt.datetime, end: dt.datetime) -> bool:
    """True when the local slot lies inside one of the windows (no windows: any time)."""
    if not windows:
        return True
    day, begins, ends = start.weekday(), start.time(), end.time()
    return any(
        w["weekday"] == day
        and dt.time.fromisoformat(w["start"]) <= begins
        and ends <= dt.time.fromisoformat(w["end"])
        and start.date() == end.date()
        for w in windows
    )


@transaction.atomic
def waitlist_join(
    *,
    client: User,
    service: Service,
    therapist: TherapistProfile | None = None,
    location: Location | None = None,
    windows: Any = None,
) -> WaitlistEntry:
    """Put the client on the waitlist for a service (a therapist or any) in the given windows."""
    entry = WaitlistEntry(
        client=client,
        service=service,
        therapist=therapist,
        location=location,
        windows=parse_windows(windows),
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry) -> WaitlistEntry:
    entry.status = WaitlistStatus.LEFT
    entry.save(update_fields=["status"])
    entry.offers.filter(status=WaitlistOfferStatus.OPEN).update(status=WaitlistOfferStatus.EXPIRED)
    return entry


def _next_entry(
    *,
    therapist: TherapistProfile,
    service: Service,
    location: Location,
    start: dt.datetime,
    end: dt.datetime,
) -> WaitlistEntry | None:
    already = WaitlistOffer.objects.filter(therapist=therapist, starts_at=start).values("entry_id")
    candidates = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, service=service)
        .exclude(pk__in=already)
        .order_by("created_at", "pk")
    )
    zone = location.zone
    # A client whose intake refuses booking (emergency, urgent, stop, referred) is not offered
    # a time they could not take; they keep their place for when a clinician clears them.
    gates = booking_gates_for(e.client_id for e in candidates)
    for entry in candidates:
        if gates[entry.client_id] in REFUSING_GATES:
            continue
        if entry.therapist_id not in (None, therapist.pk):
            continue
        if entry.location_id not in (None, location.pk):
            continue
        if slot_fits_windows(entry.windows, start.astimezone(zone), end.astimezone(zone)):
            return entry
    return None


def _open_offer_for(
    therapist: TherapistProfile, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> WaitlistOffer | None:
    return (
        WaitlistOffer.objects.select_related("entry__client")
        .filter(
            therapist=therapist,
            status=WaitlistOfferStatus.OPEN,
            expires_at__gt=now,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .first()
    )


def waitlist_offer_freed_slot(
    *,
    therapist: TherapistProfile,
    service: Service,
    location: Location,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
) -> WaitlistOffer | None:
    """Offer a freed slot to the first matching client in line, held for the policy's hours."""
    now = now or timezone.now()
    if start <= now:
        return None
    held = _open_offer_for(therapist, start, end, now)
    if held is not None:
        return held  # one client at a time: two holds on one slot would block each other
    entry = _next_entry(
        therapist=therapist, service=service, location=location, start=start, end=end
    )
    if entry is None:
        return None
    hold = dt.timedelta(hours=ClinicPolicy.load().waitlist_hold_hours)
    offer = WaitlistOffer.objects.create(
        entry=entry,
        therapist=therapist,
        location=location,
        starts_at=start,
        ends_at=end,
        expires_at=min(now + hold, start),
    )
    notifications.waitlist_offer_notifications_schedule(offer)
    return offer


def _slot_taken(offer: WaitlistOffer) -> bool:
    """Another client confirmed this slot, or an active appointment now covers it."""
    accepted = WaitlistOffer.objects.filter(
        therapist=offer.therapist_id,
        status=WaitlistOfferStatus.ACCEPTED,
        starts_at__lt=offer.ends_at,
        ends_at__gt=offer.starts_at,
    ).exclude(pk=offer.pk)
    booked = Appointment.objects.filter(
        therapist=offer.therapist_id, status__in=ACTIVE_STATUSES
    ).overlapping(offer.starts_at, offer.ends_at)
    return accepted.exists() or booked.exclude(client=offer.entry.client_id).exists()


@transaction.atomic
def _accept(offer_id: int, actor: User) -> Appointment:
    offer = WaitlistOffer.objects.select_for_update().select_related("entry").get(pk=offer_id)
    if offer.status == WaitlistOfferStatus.ACCEPTED:
        raise ValidationFailed(_("You have already confirmed this time."), code="offer_accepted")
    if offer.status == WaitlistOfferStatus.TAKEN or _slot_taken(offer):
        raise OfferTaken(str(TAKEN_MESSAGE))
    if offer.status != WaitlistOfferStatus.OPEN or offer.expires_at <= timezone.now():
        raise OfferExpired(str(EXPIRED_MESSAGE))
    entry = offer.entry
    appointment = appointment_book(
        client=entry.client,
        service=entry.service,
        therapist=offer.therapist,
        start=offer.starts_at,
        actor=actor,
    )
    offer.status, offer.appointment = WaitlistOfferStatus.ACCEPTED, appointment
    offer.save(update_fields=["status", "appointment"])
    entry.status = WaitlistStatus.BOOKED
    entry.save(update_fields=["status"])
    # Earlier, lapsed offers of the same time now read "taken", not "expired".
    WaitlistOffer.objects.filter(
        therapist=offer.therapist_id, starts_at=offer.starts_at, status=WaitlistOfferStatus.EXPIRED
    ).update(status=WaitlistOfferStatus.TAKEN)
    return appointment


def waitlist_offer_accept(*, offer: WaitlistOffer, actor: User) -> Appointment:
    """The offered client confirms: book the held slot. The first to confirm gets it.

    Later confirmations get :class:`OfferTaken` ("already taken"), a lapsed hold
    :class:`OfferExpired`; both are 409s (SlotUnavailable) and the client stays on the waitlist.
    """
    try:
        return _accept(offer.pk, actor)
    except OfferTaken:
        _mark_taken(offer.pk)
        raise
    except OfferExpired:
        raise
    except SlotUnavailable as error:
        # The booking itself found the time taken: record that, then say so plainly.
        _mark_taken(offer.pk)
        raise OfferTaken(str(TAKEN_MESSAGE), extra=error.extra) from error


def _mark_taken(offer_id: int) -> None:
    WaitlistOffer.objects.filter(
        pk=offer_id, status__in=(WaitlistOfferStatus.OPEN, WaitlistOfferStatus.EXPIRED)
    ).update(status=WaitlistOfferStatus.TAKEN)


def open_offers_for_client(client: User, *, now: dt.datetime | None = None) -> list[WaitlistOffer]:
    """The client's offers still held for them, soonest deadline first."""
    return list(
        WaitlistOffer.objects.filter(
            entry__client=client,
            status=WaitlistOfferStatus.OPEN,
            expires_at__gt=now or timezone.now(),
        )
        .select_related("entry__service", "therapist", "location")
        .order_by("expires_at", "pk")
    )


def waiting_at_location(location: Location) -> list[WaitlistEntry]:
    """Waiting entries the location can serve (this location or any), oldest first."""
    from django.db.models import Prefetch, Q

    open_offers = WaitlistOffer.objects.filter(status=WaitlistOfferStatus.OPEN).order_by("pk")
    return list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, service__locations=location)
        .filter(Q(location__isnull=True) | Q(location=location))
        .filter(Q(therapist__isnull=True) | Q(therapist__locations=location))
        .select_related("client", "service", "therapist", "location")
        .prefetch_related(Prefetch("offers", queryset=open_offers, to_attr="open_offers"))
        .distinct()
        .order_by("created_at", "pk")
    )


FREED_STATUSES = (
    AppointmentStatus.CANCELLED,
    AppointmentStatus.LATE_CANCELLED,
    AppointmentStatus.NO_SHOW,
)


def freed_slots_at_location(
    location: Location, *, now: dt.datetime | None = None, limit: int = 50
) -> list[Appointment]:
    """Future times freed by cancellations that nobody has booked again, soonest first."""
    from django.db.models import Exists, OuterRef

    rebooked = Appointment.objects.filter(
        therapist=OuterRef("therapist"),
        status__in=ACTIVE_STATUSES,
        occupied_from__lt=OuterRef("occupied_until"),
        occupied_until__gt=OuterRef("occupied_from"),
    )
    held = WaitlistOffer.objects.filter(
        therapist=OuterRef("therapist"),
        starts_at=OuterRef("starts_at"),
        status__in=(WaitlistOfferStatus.OPEN, WaitlistOfferStatus.ACCEPTED),
        expires_at__gt=now or timezone.now(),
    )
    return list(
        Appointment.objects.filter(
            location=location, status__in=FREED_STATUSES, starts_at__gt=now or timezone.now()
        )
        .annotate(rebooked=Exists(rebooked), held=Exists(held))
        .filter(rebooked=False)
        .select_related("therapist", "service", "location")
        .order_by("starts_at", "pk")[:limit]
    )


def waitlist_offers_expire(*, now: dt.datetime | None = None) -> int:
    """Expire lapsed holds and offer each slot to the next client in line; safe to run twice."""
    now = now or timezone.now()
    expired = 0
    for offer_id in WaitlistOffer.objects.filter(
        status=WaitlistOfferStatus.OPEN, expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            offer = (
                WaitlistOffer.objects.select_for_update(skip_locked=True)
                .select_related("entry__service", "therapist", "location")
                .filter(pk=offer_id, status=WaitlistOfferStatus.OPEN)
                .first()
            )
            if offer is None:
                continue
            offer.status = WaitlistOfferStatus.EXPIRED
            offer.save(update_fields=["status"])
            expired += 1
            waitlist_offer_freed_slot(
                therapist=offer.therapist,
                service=offer.entry.service,
                location=offer.location,
                start=offer.starts_at,
                end=offer.ends_at,
                now=now,
            )
    return expired
