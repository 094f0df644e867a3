from __future__ import annotations

from .appointments import (
    ACTIVE_STATUSES,
    CANCELLED_STATUSES,
    UPCOMING_STATUSES,
    Appointment,
    AppointmentQuerySet,
    AppointmentStatus,
)
from .careplans import CarePlan, CarePlanStatus
from .feeds import CalendarFeed
from .tasks import ClinicianTask, ClinicianTaskKind
from .waitlist import WaitlistEntry, WaitlistOffer, WaitlistOfferStatus, WaitlistStatus

__all__ = [
    "ACTIVE_STATUSES",
    "CANCELLED_STATUSES",
    "UPCOMING_STATUSES",
    "Appointment",
    "AppointmentQuerySet",
    "AppointmentStatus",
    "CalendarFeed",
    "CarePlan",
    "CarePlanStatus",
    "ClinicianTask",
    "ClinicianTaskKind",
    "WaitlistEntry",
    "WaitlistOffer",
    "WaitlistOfferStatus",
    "WaitlistStatus",
]
