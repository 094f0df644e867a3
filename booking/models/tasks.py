"""Requests routed by the front desk to a named clinician, who decides them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClinicianTaskKind(models.TextChoices):
    REVIEW_REQUEST = "review_request", _("Review a booking request")
    UPCOMING_SAFETY = "upcoming_safety", _("Safety finding before this session")


class ClinicianTask(models.Model):
    """Front desk routes a requested appointment to a clinician, who decides it."""

    kind = models.CharField(
        max_length=20, choices=ClinicianTaskKind.choices, default=ClinicianTaskKind.REVIEW_REQUEST
    )
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.CASCADE, related_name="clinician_tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Moved from the therapists app: the table keeps its name and its rows.
        db_table = "therapists_cliniciantask"
        ordering: ClassVar = ["resolved_at", "created_at", "id"]
        indexes: ClassVar = [models.Index(fields=["assigned_to", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.appointment_id} for {self.assigned_to_id}"
