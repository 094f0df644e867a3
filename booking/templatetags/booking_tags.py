"""Template tags other apps' templates use to show booking facts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from booking.availability_selectors import open_slots
from therapists.models import Service

register = template.Library()
LOOKAHEAD_DAYS = 14


@register.simple_tag
def next_available_for(therapist: Any) -> dict[str, Any] | None:
    """The therapist's next online-bookable opening (first service they give), with a booking link."""
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
    query = urlencode(
        {"service": service.pk, "therapist": therapist.pk, "start": local.isoformat()}
    )
    return {"starts_at": local, "url": f"{reverse('booking:confirm')}?{query}"}
