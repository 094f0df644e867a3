from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ErasureRequest(models.Model):
    """A client's request to erase their account, contact and marketing data.

    Completed by a clinic admin (workspace.datarights.erasure_complete); the clinical record is
    kept for the clinic's retention period, and ``kept_summary`` is what the client was told.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_requests"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    kept_summary = models.TextField(blank=True)
    retain_until = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering: ClassVar = ["-requested_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(completed_at__isnull=True),
                name="workspace_one_open_erasure_request",
            )
        ]

    def __str__(self) -> str:
        state = "completed" if self.completed_at else "open"
        return f"Erasure request #{self.pk} ({state})"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None
