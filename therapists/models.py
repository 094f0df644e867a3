from __future__ import annotations

from typing import ClassVar

from django.db import models


class Condition(models.Model):
    """A condition the clinic treats (chronic back pain, TMJ, ...), editable by the clinic."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    codes = models.CharField(
        max_length=200,
        blank=True,
        help_text="Diagnosis codes in the clinic's code system (ICD-10-CM by default), comma-separated.",
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering: ClassVar = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
