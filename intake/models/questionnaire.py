from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Questionnaire(models.Model):
    """One version of an intake form as data: a FHIR-like tree of items (see questionnaire_logic).

    A published version is never edited: the clinic publishes a new version instead, so every
    submitted response keeps pointing at the exact questions it answered.
    """

    slug = models.SlugField(max_length=100)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    items = models.JSONField(
        default=list,
        help_text=_(
            "Item tree: link_id, type, text, required, repeats, options, enable_when, "
            "enable_behavior, items. Top-level groups are the steps of the form."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["slug", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["slug", "version"], name="intake_questionnaire_version"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(status="active"),
                name="intake_questionnaire_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.get_status_display()})"
