"""Template tags other apps' templates use to show booking facts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from booking.availability_selectors import open_slots
from clinic.models import Role
from therapists.models import Service

register = template.Library()
LOOKAHEAD_DAYS = 14


@register.simple_tag(takes_context=True)
def next_available_for(context: Any, therapist: Any) -> dict[str, Any] | None:
    """The therapist's next online-bookable opening (first service they give), with a link.

    The link is the one the viewer may follow: the online booking flow for clients and
    visitors, the board's booking form for front desk and admins, none for therapists.
    """
    if therapist is None or not getattr(therapist, "pk", None):
        return None
    best = None
    for location in therapist.locations.filter(is_active=True).order_by("pk"):
        service = (
            Service.objects.filter(is_active=True, bookable_online=True, locations=location)
            .filter(required_modality__in=therapist.modalities.all())
            .order_by("sort_order", "pk")
            .first()
        )
        if service is None:
            continue
        today = timezone.now().astimezone(location.zone).date()
        slots = open_slots(
            service=service,
            location=location,
            first_day=today,
            last_day=today + dt.timedelta(days=LOOKAHEAD_DAYS),
            therapist_ids=[therapist.pk],
        )
        if slots and (best is None or slots[0].start < best[0].start):
            best = (slots[0], location, service)
    if best is None:
        return None
    slot, location, service = best
    local = slot.start.astimezone(location.zone)
    user = getattr(context.get("request"), "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    if role in (Role.FRONT_DESK, Role.CLINIC_ADMIN):
        query = urlencode({
            "location": location.slug, "therapist": therapist.pk, "service": service.pk,
            "start": local.strftime("%Y-%m-%dT%H:%M"),
        })  # fmt: skip
        return {"starts_at": local, "url": f"{reverse('booking:board-book')}?{query}"}
    if role == Role.THERAPIST:
        return {"starts_at": local, "url": ""}
    query = urlencode(
        {"service": service.pk, "therapist": therapist.pk, "start": local.isoformat()}
    )
    return {"starts_at": local, "url": f"{reverse('booking:confirm')}?{query}"}
