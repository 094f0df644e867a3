"""Session notes: the treating therapist's structured record of one appointment.

A note is a draft until it is signed; a signed note is never changed in place (the service
updates only rows whose ``signed_at`` is still empty), and later corrections are addenda
kept beside it. Health data: read it only through :mod:`workspace.notes`, which checks
access and audits every read.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from therapists.models import Modality, TherapistProfile


class SessionNote(models.Model):
    """Subjective, objective (areas treated on the pain map), techniques, holds, response, plan."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.PROTECT, related_name="session_note"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="session_notes"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_notes"
    )
    subjective = models.TextField(
        blank=True, help_text=_("What the client reports today: pain, function, changes.")
    )
    objective = models.TextField(
        blank=True, help_text=_("What you found: posture, restrictions, tissue quality.")
    )
    # Pain-map marks ({"region", "side"}) of the areas treated; see intake.painmap.
    areas_treated = models.JSONField(default=list, blank=True)
    techniques = models.ManyToManyField(Modality, related_name="session_notes", blank=True)
    # Minutes of each sustained hold, in the order given (MFR holds run 2 minutes or more).
    hold_minutes = models.JSONField(default=list, blank=True)
    client_response = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        # Moved from the therapists app: the table keeps its name and its rows.
        db_table = "therapists_sessionnote"
        ordering: ClassVar = ["-created_at", "-id"]
        indexes: ClassVar = [models.Index(fields=["client", "created_at"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, signed_by__isnull=True)
                | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="therapists_sessionnote_signed_by_and_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Session note #{self.pk} (appointment {self.appointment_id})"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class SessionNoteAddendum(models.Model):
    """A dated correction or addition to a signed note; the note itself stays as signed."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "therapists_sessionnoteaddendum"
        ordering: ClassVar = ["created_at", "id"]
        verbose_name_plural = _("session note addenda")

    def __str__(self) -> str:
        return f"Addendum #{self.pk} to note {self.note_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Addenda are append-only like the note they amend: a correction is another addendum.
        if self.pk is not None:
            raise ValueError("Addenda cannot be changed; add another addendum.")
        super().save(*args, **kwargs)
