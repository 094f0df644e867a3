from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake import screening_logic
from intake.questionnaire_items import parsed_items, rule_problems

from .questionnaire import Questionnaire, QuestionnaireStatus
from .responses import IntakeResponse


class ScreeningLevel(models.TextChoices):
    """Outcome of screening, from least to most severe (see LEVEL_RANK)."""

    CLEAR = "clear", _("Clear")
    AREA = "area", _("Treat with area precautions")
    REVIEW = "review", _("Clinician contacts client first")
    HOLD = "hold", _("Hold until a clinician clears")
    STOP = "stop", _("Stop: no hands-on treatment now")
    URGENT = "urgent", _("Urgent: same-day physician first")
    EMERGENCY = "emergency", _("Emergency care now")


LEVEL_RANK = {level.value: rank for rank, level in enumerate(ScreeningLevel)}
BLOCKING_LEVELS = frozenset(
    {
        ScreeningLevel.REVIEW,
        ScreeningLevel.HOLD,
        ScreeningLevel.STOP,
        ScreeningLevel.URGENT,
        ScreeningLevel.EMERGENCY,
    }
)
# Levels that refuse every booking (not even a request) until a clinician decides.
REFUSING_LEVELS = frozenset({ScreeningLevel.STOP, ScreeningLevel.URGENT, ScreeningLevel.EMERGENCY})
# Levels that alert the treating therapists and the clinicians on shift (spec §3 "alert staff").
ALERTING_LEVELS = frozenset({ScreeningLevel.URGENT, ScreeningLevel.EMERGENCY})


RULE_REFERENCE_FIELDS = frozenset({"when", "area_question"})


class ScreeningRuleQuerySet(models.QuerySet["ScreeningRule"]):
    """Bulk writes that could point a rule at a missing code are refused: save rules one by one."""

    def update(self, **kwargs: Any) -> int:
        if RULE_REFERENCE_FIELDS & set(kwargs) or kwargs.get("is_active") is True:
            raise ValidationError(
                "Change a rule's condition or re-activate it by saving the rule, which checks it "
                "against the questionnaire."
            )
        return super().update(**kwargs)


class ScreeningRule(models.Model):
    """A contraindication or red-flag rule the clinic's clinician maintains (spec §2, §3)."""

    code = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=200, help_text=_("What staff see, e.g. 'Possible DVT'."))
    level = models.CharField(max_length=10, choices=ScreeningLevel.choices)
    spec_action = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("The action in the clinical source (STOP, HOLD, AREA, EMERGENCY, ...)."),
    )
    when = models.JSONField(
        help_text=_(
            'Condition tree: {"any": [...]}, {"all": [...]} or a test '
            '{"question": link_id, "operator": "=", "answer": value}.'
        )
    )
    area_question = models.CharField(
        max_length=100, blank=True, help_text=_("Item whose answer names the area to adapt.")
    )
    precautions = models.TextField(blank=True, help_text=_("One precaution per line."))
    source = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = ScreeningRuleQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.label} → {self.get_level_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard, not business logic: a rule naming a missing code never fires.
        self.check_references()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.check_references()

    def check_references(self) -> None:
        """Raise ValidationError when the condition is malformed or an active rule names a
        question or answer code an active questionnaire does not have."""
        try:
            screening_logic.check_condition(self.when)
        except screening_logic.RuleDefinitionError as error:
            raise ValidationError({"when": str(error)}) from None
        if not self.is_active:
            return
        # Every rule runs on every submission, so it must resolve on every active form.
        problems: list[str] = []
        for questionnaire in Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE):
            found = rule_problems(parsed_items(questionnaire), [self])
            problems += [f"{p} (in {questionnaire.slug} v{questionnaire.version})" for p in found]
        if problems:
            raise ValidationError(problems)


class ScreeningAdvice(models.Model):
    """The words a client sees for a screening level; EMERGENCY's is the emergency advice."""

    level = models.CharField(max_length=10, choices=ScreeningLevel.choices, unique=True)
    client_message = models.TextField()

    class Meta:
        verbose_name_plural = "screening advice"

    def __str__(self) -> str:
        return self.get_level_display()


class ScreeningResult(models.Model):
    """Safety record: the outcome of screening one submitted intake and the answers behind it.

    A result at a blocking level is an open *finding* until a clinician's review decision
    resolves it (``resolved_by``); re-submitting different answers never resolves it. The
    client's effective level is the highest of every open finding (intake.findings).
    """

    response = models.ForeignKey(
        IntakeResponse, on_delete=models.PROTECT, related_name="screenings"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_screenings"
    )
    level = models.CharField(max_length=10, choices=ScreeningLevel.choices)
    triggers = models.JSONField(default=list, blank=True)
    areas = models.JSONField(default=list, blank=True)
    precautions = models.JSONField(default=list, blank=True)
    evaluated_at = models.DateTimeField(default=timezone.now)
    effective_level = models.CharField(
        max_length=10,
        choices=ScreeningLevel.choices,
        blank=True,
        help_text=_("The client's level after this submission: this one or an open finding."),
    )
    passed_confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("STOP only: when the client confirmed the condition has passed."),
    )
    resolved_by = models.ForeignKey(
        "intake.ReviewDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_findings",
        help_text=_("The clinician's decision that closed this finding."),
    )

    class Meta:
        ordering: ClassVar = ["-evaluated_at", "-id"]
        indexes: ClassVar = [
            models.Index(
                fields=["client", "level"],
                condition=models.Q(resolved_by__isnull=True),
                name="intake_screening_open",
            )
        ]

    def __str__(self) -> str:
        return f"Screening #{self.pk}: {self.get_level_display()}"

    @property
    def is_open_finding(self) -> bool:
        return self.level in BLOCKING_LEVELS and self.resolved_by_id is None


class AlertReason(models.TextChoices):
    FINDING = "finding", _("New safety finding")
    ANSWERS_CHANGED = "answers_changed", _("Answers changed while a finding is open")


class StaffAlert(models.Model):
    """An in-app alert that a client's intake needs staff attention (no health data inside)."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_alerts"
    )
    screening = models.ForeignKey(ScreeningResult, on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(max_length=10, choices=ScreeningLevel.choices)
    reason = models.CharField(
        max_length=20, choices=AlertReason.choices, default=AlertReason.FINDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="intake_alerts_received",
        help_text=_("The clinicians this alert was sent to: it counts as theirs."),
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The clinician who took the alert on (an urgent alert stays on top until then)."
        ),
    )

    class Meta:
        ordering: ClassVar = ["resolved_at", "-created_at"]

    def __str__(self) -> str:
        return f"Intake alert ({self.get_level_display()}) for client #{self.client_id}"
