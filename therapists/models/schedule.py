"""Working hours, time off and clinic closures.

Shifts are local wall-clock times in their location's IANA zone (so 09:00 stays 09:00 across
DST); time off and closures are instants, stored in UTC.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, Weekday

from .profiles import TherapistProfile


class Shift(models.Model):
    """A weekly block of working hours at one location, valid between two dates."""

    therapist = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="shifts")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts_at = models.TimeField(_("start time"), help_text=_("Local time at the location."))
    ends_at = models.TimeField(_("end time"), help_text=_("Local time at the location."))
    effective_from = models.DateField(
        _("first day"),
    )
    effective_to = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Last day; empty = open-ended.")
    )

    class Meta:
        ordering: ClassVar = ["therapist", "weekday", "starts_at"]
        indexes: ClassVar = [models.Index(fields=["therapist", "weekday"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="therapists_shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="therapists_shift_effective_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.describe()} ({self.therapist})"

    def describe(self) -> str:
        """E.g. 'Tue 09:00–13:00 at Troy from 2026-01-05'."""  # noqa: RUF002
        day = str(Weekday(self.weekday).label)[:3]
        text = (
            f"{day} {self.starts_at:%H:%M}\u2013{self.ends_at:%H:%M} at {self.location.name}"
            f" from {self.effective_from:%Y-%m-%d}"
        )
        if self.effective_to:
            text += f" to {self.effective_to:%Y-%m-%d}"
        return text


class TimeOffKind(models.TextChoices):
    VACATION = "vacation", _("Vacation")
    COURSE = "course", _("Course")
    ADMIN = "admin", _("Admin time")
    OTHER = "other", _("Other")


class TimeOff(models.Model):
    """A block in which a therapist cannot be booked."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="time_off"
    )
    starts_at = models.DateTimeField(
        _("from"),
    )
    ends_at = models.DateTimeField(
        _("until"),
    )
    kind = models.CharField(
        _("type of time off"),
        max_length=20,
        choices=TimeOffKind.choices,
        default=TimeOffKind.VACATION,
    )
    reason = models.CharField(_("reason (optional)"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["starts_at"]
        verbose_name_plural = _("time off")
        indexes: ClassVar = [models.Index(fields=["therapist", "starts_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="therapists_timeoff_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.therapist}: {self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class Closure(models.Model):
    """A period a whole location is closed (a holiday, a renovation)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering: ClassVar = ["starts_at"]
        indexes: ClassVar = [models.Index(fields=["location", "starts_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="therapists_closure_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.reason} {self.starts_at:%Y-%m-%d}"
