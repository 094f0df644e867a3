from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .questionnaire import Questionnaire


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by an update")


class IntakeResponse(models.Model):
    """A client's answers to one questionnaire version: a draft, then submitted, then superseded.

    Health data. Read it only through intake.selectors, which check access and audit the read.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=100, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    update_requested_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Set when the client reports a new condition: the intake needs an update."),
    )

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status="draft"),
                name="intake_response_one_draft_per_client",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(status="submitted"),
                name="intake_response_one_current_per_client",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["client", "status"])]

    def __str__(self) -> str:
        return f"Intake #{self.pk} ({self.get_status_display()})"
