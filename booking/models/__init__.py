from __future__ import annotations

from .appointments import ACTIVE_STATUSES, Appointment, AppointmentQuerySet, AppointmentStatus
from .careplans import CarePlan, CarePlanStatus
from .feeds import CalendarFeed
from .waitlist import WaitlistEntry, WaitlistOffer, WaitlistOfferStatus, WaitlistStatus

__all__ = [
    "ACTIVE_STATUSES",
    "Appointment",
    "AppointmentQuerySet",
    "AppointmentStatus",
    "CalendarFeed",
    "CarePlan",
    "CarePlanStatus",
    "WaitlistEntry",
    "WaitlistOffer",
    "WaitlistOfferStatus",
    "WaitlistStatus",
]
