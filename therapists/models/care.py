"""Who treats whom: the one record every access rule about "their own clients" reads."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class CareRelationship(models.Model):
    """A therapist treats a client: opened by booking them together or by reviewing the client's
    intake, closed when the last such reason is gone. Written only by domain functions
    (:mod:`therapists.care`), never by signals."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_as_therapist"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_as_client"
    )
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["therapist", "client"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["therapist", "client"], name="therapists_care_one_per_pair"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["client", "therapist"])]

    def __str__(self) -> str:
        return f"Therapist {self.therapist_id} treats client {self.client_id}"
