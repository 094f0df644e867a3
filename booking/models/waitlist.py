"""The waitlist: clients waiting for a time; freed slots are offered to them in order."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Location
from therapists.models import Service, TherapistProfile


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    BOOKED = "booked", _("Booked")
    LEFT = "left", _("Left the waitlist")


class WaitlistEntry(models.Model):
    """A client waiting for a service, with one therapist or any, in given weekly windows.

    ``windows`` is a list of ``{"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}`` in the
    location's local time; an empty list means any time.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(
        TherapistProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="waitlist_entries",
        help_text=_("Empty: any therapist."),
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    windows = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        indexes: ClassVar = [models.Index(fields=["status", "service", "created_at"])]
        verbose_name_plural = "waitlist entries"

    def __str__(self) -> str:
        return f"{self.client} waiting for {self.service}"


class WaitlistOfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    TAKEN = "taken", _("Taken by someone else")


class WaitlistOffer(models.Model):
    """A freed slot held for one waitlisted client until ``expires_at``."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    therapist = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=WaitlistOfferStatus.choices, default=WaitlistOfferStatus.OPEN
    )
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        indexes: ClassVar = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Offer of {self.starts_at:%Y-%m-%d %H:%M} UTC to {self.entry.client}"
