"""Appointments: who sees whom, for what, where and when (UTC), and what became of it."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, Room
from therapists.models import Service, TherapistProfile


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    LATE_CANCELLED = "late_cancelled", _("Late cancellation")
    NO_SHOW = "no_show", _("No-show")


# Appointments that hold their therapist and room. The PostgreSQL exclusion constraints
# (migrations 0002 and 0007) use the same list; keep them in step.
ACTIVE_STATUSES = (
    AppointmentStatus.REQUESTED,
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.COMPLETED,
)
UPCOMING_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED)
CANCELLED_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.LATE_CANCELLED)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def active(self) -> AppointmentQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def overlapping(self, start: object, end: object) -> AppointmentQuerySet:
        """Appointments whose occupied span (buffers included) overlaps [start, end)."""
        return self.filter(occupied_from__lt=end, occupied_until__gt=start)


class Appointment(models.Model):
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="appointments"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="appointments")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The span the therapist and room are blocked: the session plus the service's buffers.
    occupied_from = models.DateTimeField()
    occupied_until = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_with_intake_due = models.BooleanField(default=False)
    care_plan = models.ForeignKey(
        "booking.CarePlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    plan_session_number = models.PositiveSmallIntegerField(null=True, blank=True)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Who recorded the approval or decline of a request: the clinician, or front desk "
            "on a clinician's say-so."
        ),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The clinician on whose authority a request was approved."),
    )
    # The iCalendar SEQUENCE: raised by each change to a confirmed visit (reschedule, cancel),
    # so the newer calendar file replaces the one the client already has.
    calendar_sequence = models.PositiveIntegerField(default=0)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["starts_at", "id"]
        indexes: ClassVar = [
            models.Index(fields=["therapist", "occupied_from"]),
            models.Index(fields=["room", "occupied_from"]),
            models.Index(fields=["client", "starts_at"]),
            models.Index(fields=["location", "starts_at"]),
            # "Busy in this window" reads (availability, the board) bound the end from below:
            # with a year of history, the start alone matches nearly every row.
            models.Index(
                fields=["therapist", "occupied_until", "occupied_from"],
                name="booking_appt_therapist_until",
            ),
            models.Index(
                fields=["location", "occupied_until", "occupied_from"],
                name="booking_appt_location_until",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(occupied_from__lte=F("starts_at"), occupied_until__gte=F("ends_at")),
                name="booking_appointment_occupied_covers_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} with {self.therapist} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES and self.starts_at > timezone.now()

    @property
    def local_start(self) -> dt.datetime:
        """The start in the zone of the appointment's location, for display and local dates."""
        return self.starts_at.astimezone(self.location.zone)

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.location.zone)
