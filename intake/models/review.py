from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .responses import IntakeResponse
from .screening import ScreeningResult


class ReviewAction(models.TextChoices):
    CLEARED = "cleared", _("Cleared")
    CLEARED_WITH_PRECAUTIONS = "cleared_with_precautions", _("Cleared with precautions")
    NEEDS_CALL = "needs_call", _("Needs a call")
    REFER_OUT = "refer_out", _("Refer out")


CLEARING_ACTIONS = frozenset({ReviewAction.CLEARED, ReviewAction.CLEARED_WITH_PRECAUTIONS})
# Decisions that close open safety findings. "Refer out" closes them too, but the client stays
# referred (the gate reads the client's latest decision) until a later clearing decision.
RESOLVING_ACTIONS = CLEARING_ACTIONS | {ReviewAction.REFER_OUT}


class ReviewDecision(models.Model):
    """A therapist's decision on a submitted intake: who, when, what, why. Never edited."""

    response = models.ForeignKey(IntakeResponse, on_delete=models.PROTECT, related_name="decisions")
    screening = models.ForeignKey(
        ScreeningResult, on_delete=models.PROTECT, related_name="decisions", null=True
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_decisions"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_reviews"
    )
    action = models.CharField(max_length=30, choices=ReviewAction.choices)
    note = models.TextField(blank=True)
    areas = models.JSONField(default=list, blank=True, help_text=_("Areas to avoid."))
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.reviewer} at {self.decided_at:%Y-%m-%d}"
