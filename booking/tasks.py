"""Celery entry points for booking; safe to run twice."""

from __future__ import annotations

from celery import shared_task

from booking.waitlist import waitlist_offers_expire


@shared_task(name="booking.expire_waitlist_offers")
def expire_waitlist_offers() -> int:
    """Expire lapsed waitlist holds and offer each slot to the next client in line."""
    return waitlist_offers_expire()
