"""Services the clinic sells: what a client books."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.models import Location

from .conditions import Competency, Modality


class ServiceKind(models.TextChoices):
    ASSESSMENT = "assessment", _("New-client assessment")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Service(models.Model):
    """A bookable service: its length, room-turnover buffers, price and who may give it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(_("web address name"), max_length=100, unique=True)
    description = models.TextField(blank=True, help_text=_("Shown to clients when they book."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length of the session (minutes)"),
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("free time before (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("free time after (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    price = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    required_modality = models.ForeignKey(
        Modality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("only therapists who practise"),
    )
    required_competency = models.ForeignKey(
        Competency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("only therapists competent in"),
    )
    kind = models.CharField(
        _("type of service"),
        max_length=20,
        choices=ServiceKind.choices,
        default=ServiceKind.FOLLOW_UP,
    )
    locations = models.ManyToManyField(Location, related_name="services", blank=True)
    bookable_online = models.BooleanField(
        _("clients can book it online"), default=True, help_text=_("Off: only staff can book it.")
    )
    requires_cleared_intake = models.BooleanField(
        _("needs a cleared intake before the visit"), default=True
    )
    is_active = models.BooleanField(_("offered"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("position in lists"), default=100)

    class Meta:
        ordering: ClassVar = ["sort_order", "name"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="therapists_service_min_duration"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="therapists_service_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def blocked_minutes(self) -> int:
        """Minutes the therapist and room are taken, buffers included."""
        return self.buffer_before_minutes + self.duration_minutes + self.buffer_after_minutes
