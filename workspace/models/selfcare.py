"""Self-care (moved from the therapists app; tables keep their names): the exercise library (seeded from workspace/data/exercises.json) and the plans
a therapist assigns a client after a session."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from therapists.models import Condition, TherapistProfile


def seconds_text(seconds: int) -> str:
    """E.g. 90 -> "1 min 30 s", 120 -> "2 min", 45 -> "45 s"."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return gettext("%(seconds)d s") % {"seconds": rest}
    if rest:
        return gettext("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": rest}
    return gettext("%(minutes)d min") % {"minutes": minutes}


class ExerciseKind(models.TextChoices):
    FOAM_ROLLER = "foam_roller", _("Foam roller")
    MASSAGE_BALL = "massage_ball", _("Massage ball")
    STRETCH = "stretch", _("Stretch")


class Exercise(models.Model):
    """One self-myofascial-release exercise with its dose and the precautions shown to clients."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ExerciseKind.choices)
    instructions = models.TextField()
    duration_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(1800)]
    )
    repetitions = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # Pain-map region slugs (intake.painmap) the exercise works on.
    regions = models.JSONField(default=list)
    conditions = models.ManyToManyField(Condition, related_name="exercises", blank=True)
    # Exercise-specific precautions; the library-wide ones (spec §2) are added when shown.
    precautions = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "therapists_exercise"
        ordering: ClassVar = ["kind", "name"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=False) | Q(repetitions__isnull=False),
                name="therapists_exercise_has_dose",
            ),
        ]

    def __str__(self) -> str:
        return gettext(self.name)  # the shipped library is in the catalogues (library_texts)

    @property
    def dose(self) -> str:
        parts = []
        if self.repetitions:
            parts.append(
                ngettext("%(count)d repetition", "%(count)d repetitions", self.repetitions)
                % {"count": self.repetitions}
            )
        if self.duration_seconds:
            parts.append(seconds_text(self.duration_seconds))
        return ", ".join(parts)


class SelfCarePlan(models.Model):
    """Exercises a therapist gives a client after a session; the newest active one is current."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="selfcare_plans"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="selfcare_plans"
    )
    appointment = models.ForeignKey(
        "booking.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="selfcare_plans",
    )
    message = models.TextField(blank=True, help_text=_("A few words to the client."))
    assigned_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "therapists_selfcareplan"
        ordering: ClassVar = ["-assigned_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["client", "replaced_at"])]

    def __str__(self) -> str:
        return f"Self-care plan #{self.pk} for client {self.client_id}"


class SelfCarePlanItem(models.Model):
    plan = models.ForeignKey(SelfCarePlan, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    times_per_day = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    note = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "therapists_selfcareplanitem"
        ordering: ClassVar = ["plan", "position", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["plan", "exercise"], name="therapists_selfcareplanitem_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} in plan {self.plan_id}"
