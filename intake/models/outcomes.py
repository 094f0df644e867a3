"""Outcome measures: instrument definitions (versioned JSON) and clients' scored responses."""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.instruments.definition import InstrumentDefinition, definition_parse


class OutcomeSource(models.TextChoices):
    INTAKE = "intake", _("At intake")
    SESSION = "session", _("At a session")
    FOLLOW_UP = "follow_up", _("Follow-up")


class OutcomeInstrument(models.Model):
    """One version of an outcome measure, defined as JSON (see intake/instruments/README.md).

    Built-ins (NPRS, PSFS, PGIC) are loaded as data; licensed ones come from the clinic's own
    copy and must carry the clinic's licence reference.
    """

    code = models.SlugField(max_length=40, help_text=_("The definition's id, e.g. 'nprs'."))
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    definition = models.JSONField()
    licence_required = models.BooleanField(default=False)
    licence_reference = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("The clinic's licence for this instrument (licensed instruments only)."),
    )
    is_builtin = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    use_at_intake = models.BooleanField(default=True)
    use_at_review = models.BooleanField(
        default=True, help_text=_("Due every Nth session and at discharge.")
    )
    conditions = models.ManyToManyField(
        "therapists.Condition",
        blank=True,
        related_name="outcome_instruments",
        help_text=_("Due only for clients with one of these conditions; none means everyone."),
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["sort_order", "code", "-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["code", "version"], name="intake_outcomeinstrument_code_version"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_active=True),
                name="intake_outcomeinstrument_one_active_version",
            ),
            models.CheckConstraint(
                condition=Q(licence_required=False) | ~Q(licence_reference=""),
                name="intake_outcomeinstrument_licence_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @cached_property
    def parsed(self) -> InstrumentDefinition:
        return definition_parse(self.definition)


class OutcomeResponse(models.Model):
    """A client's answers to one instrument version and their score. Health data.

    Read it only through intake.outcomes, which checks access and audits the read.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcome_responses"
    )
    instrument = models.ForeignKey(
        OutcomeInstrument, on_delete=models.PROTECT, related_name="responses"
    )
    instrument_version = models.CharField(max_length=20)
    licence_reference = models.CharField(max_length=300, blank=True)
    condition = models.ForeignKey(
        "therapists.Condition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome_responses",
    )
    answers = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=100, blank=True)
    valid = models.BooleanField(default=True)
    invalid_reason = models.CharField(max_length=300, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=12, choices=OutcomeSource.choices)
    appointment_id = models.PositiveBigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["recorded_at", "id"]
        indexes: ClassVar = [
            models.Index(fields=["client", "recorded_at"]),
            models.Index(fields=["client", "instrument", "recorded_at"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(valid=False) | Q(score__isnull=False),
                name="intake_outcomeresponse_valid_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome #{self.pk} ({self.instrument_id})"
