"""The clinic's editable vocabularies: conditions, modalities, special competencies, languages."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clinic.models import ConsentKind


class Condition(models.Model):
    """A condition the clinic treats (chronic back pain, TMJ, ...), editable by the clinic."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    codes = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Diagnosis codes in the clinic's code system (ICD-10-CM by default), comma-separated."
        ),
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering: ClassVar = ["sort_order", "name"]

    def __str__(self) -> str:
        return gettext(self.name)  # shipped names are in the catalogues (vocabulary_texts)

    @property
    def code_list(self) -> list[str]:
        return [code.strip() for code in self.codes.split(",") if code.strip()]


class Modality(models.Model):
    """A kind of treatment a therapist offers (manual MFR, Active Release Techniques, ...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # Manual and structural MFR count as "MFR": filtering on them only ever shows
    # therapists with verified MFR training.
    is_mfr = models.BooleanField(
        "myofascial release",
        default=False,
        help_text=_("Only therapists with verified MFR training are listed for this modality."),
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering: ClassVar = ["sort_order", "name"]
        verbose_name_plural = _("modalities")

    def __str__(self) -> str:
        return gettext(self.name)  # shipped names are in the catalogues (vocabulary_texts)


class Competency(models.Model):
    """Special work (intraoral, pelvic) that needs the client's separate, recorded consent."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    consent_kind = models.CharField(
        max_length=20,
        choices=ConsentKind.choices,
        help_text=_("The consent a client must have given before this work is booked."),
    )

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return gettext(self.name)  # shipped names are in the catalogues (vocabulary_texts)


class Language(models.Model):
    """A language a therapist speaks, by its ISO 639-1 code (``nl``) so the API can filter on it."""

    code = models.SlugField(max_length=8, unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return gettext(self.name)  # shipped names are in the catalogues (vocabulary_texts)
