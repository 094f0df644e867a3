from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.questionnaire_items import parsed_items, rule_problems


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


PUBLISHED_FIELDS = ("slug", "version", "title", "items", "published_at")


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    """Bulk writes that could rewrite a published version are refused, as ``save`` refuses them."""

    def update(self, **kwargs: Any) -> int:
        if kwargs.get("status", QuestionnaireStatus.RETIRED) != QuestionnaireStatus.RETIRED:
            raise ValidationError("Publish a version with questionnaire_publish, not update().")
        if set(kwargs) - {"status"} and self.exclude(status=QuestionnaireStatus.DRAFT).exists():
            raise ValidationError("A published questionnaire version cannot be changed.")
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        pks = [o.pk for o in objs]
        if self.filter(pk__in=pks).exclude(status=QuestionnaireStatus.DRAFT).exists():
            raise ValidationError("A published questionnaire version cannot be changed.")
        return super().bulk_update(objs, fields, *args, **kwargs)


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

    objects = QuestionnaireQuerySet.as_manager()

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Integrity guards, not business logic: submitted responses point at a published
        # version's exact questions, and screening rules must resolve on the active one.
        stored = self._stored()
        if stored is not None and stored.status != QuestionnaireStatus.DRAFT:
            changed = [f for f in PUBLISHED_FIELDS if getattr(stored, f) != getattr(self, f)]
            retiring = (stored.status, self.status) == (
                QuestionnaireStatus.ACTIVE,
                QuestionnaireStatus.RETIRED,
            )
            if changed or not (retiring or stored.status == self.status):
                raise ValidationError(
                    f"Version {stored.version} of {stored.slug} is published and cannot be "
                    "changed; publish a new version instead."
                )
        if self.status == QuestionnaireStatus.ACTIVE and (
            stored is None or stored.status != QuestionnaireStatus.ACTIVE
        ):
            self.check_rules()
        super().save(*args, **kwargs)

    def check_rules(self) -> None:
        """Raise ValidationError when an active screening rule names a code this version lacks."""
        # By name: ScreeningRule's module imports this one, so it cannot be imported here.
        rule_model = self._meta.apps.get_model("intake", "ScreeningRule")
        problems = rule_problems(parsed_items(self), rule_model.objects.filter(is_active=True))
        if problems:
            raise ValidationError([f"Version {self.version} of {self.slug}: {p}" for p in problems])

    def _stored(self) -> Questionnaire | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).first()
