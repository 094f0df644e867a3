from __future__ import annotations

import zoneinfo
from typing import ClassVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("%(value)s is not an IANA time zone such as America/New_York."),
            params={"value": value},
        ) from None


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Location(models.Model):
    """A clinic site; its IANA time zone governs every local time computed for it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    postal_code = models.CharField(_("ZIP or postal code"), max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(_("open for booking"), default=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address(self) -> str:
        parts = [self.street, f"{self.city}, {self.region} {self.postal_code}".strip(" ,")]
        return ", ".join(part for part in parts if part)

    @property
    def map_url(self) -> str:
        """A map of the address (OpenStreetMap; the address is public, so the URL may carry it)."""
        query = urlencode({"query": f"{self.address}, {self.country}"})
        return f"https://www.openstreetmap.org/search?{query}"


class OpeningHours(models.Model):
    """When a location's doors are open on a weekday, in its local wall-clock time."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering: ClassVar = ["location", "weekday", "opens"]
        verbose_name_plural = _("opening hours")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="clinic_openinghours_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.location}: {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"
        )


class Room(models.Model):
    """A treatment room; booking never puts two appointments in one room at once."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    notes = models.TextField(_("notes for staff"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering: ClassVar = ["location", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["location", "name"], name="clinic_room_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.location} / {self.name}"
