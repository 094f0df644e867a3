"""Care plans: a therapist's prescribed series of sessions for one client."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from therapists.models import Service, TherapistProfile


class CarePlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class CarePlan(models.Model):
    """E.g. two sessions a week for six weeks, re-assessing at session six."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_plans"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="care_plans"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="care_plans")
    sessions_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    reassessment_at_session = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    starts_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=CarePlanStatus.choices, default=CarePlanStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(reassessment_at_session__isnull=True)
                | Q(reassessment_at_session__lte=F("sessions_per_week") * F("weeks")),
                name="booking_careplan_reassessment_within_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sessions_per_week} a week for {self.weeks} weeks with {self.therapist}"

    @property
    def total_sessions(self) -> int:
        return self.sessions_per_week * self.weeks
