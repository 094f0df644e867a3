"""Therapists: their public profile, professional credentials and MFR training."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.models import Location, Role

from .conditions import Competency, Condition, Language, Modality


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    UNSPECIFIED = "unspecified", _("Prefer not to say")


def _verified_training() -> models.QuerySet[MFRTraining]:
    return MFRTraining.objects.filter(
        therapist=OuterRef("pk"), verified_at__isnull=False, verified_by__isnull=False
    )


def _valid_credential(on: dt.date) -> models.QuerySet[Credential]:
    return Credential.objects.filter(therapist=OuterRef("pk"), expires_on__gte=on)


class TherapistQuerySet(models.QuerySet["TherapistProfile"]):
    def active(self) -> TherapistQuerySet:
        return self.filter(is_active=True, user__is_active=True)

    def trained_in_mfr(self) -> TherapistQuerySet:
        """Therapists with at least one MFR training verified by a clinic admin."""
        return self.filter(Exists(_verified_training()))

    def licensed(self, *, on: dt.date | None = None) -> TherapistQuerySet:
        """Therapists holding a credential that has not expired on ``on`` (default today)."""
        return self.filter(Exists(_valid_credential(on or timezone.localdate())))

    def bookable(self, *, on: dt.date | None = None) -> TherapistQuerySet:
        """Active, trained in MFR and licensed on ``on``: the only therapists booking may offer."""
        return self.active().trained_in_mfr().licensed(on=on)

    def with_flags(self, *, on: dt.date | None = None) -> TherapistQuerySet:
        """Annotate ``is_trained_in_mfr``, ``is_licensed`` and ``is_bookable`` (no extra queries)."""
        day = on or timezone.localdate()
        return self.annotate(
            is_trained_in_mfr=Exists(_verified_training()),
            is_licensed=Exists(_valid_credential(day)),
        ).annotate(
            is_bookable=models.ExpressionWrapper(
                Q(is_active=True)
                & Q(user__is_active=True)
                & Q(is_trained_in_mfr=True)
                & Q(is_licensed=True),
                output_field=models.BooleanField(),
            )
        )


class TherapistProfile(models.Model):
    """The public face of a therapist user and what they offer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="therapist_profile",
        limit_choices_to={"role": Role.THERAPIST},
    )
    display_name = models.CharField(_("name shown to clients"), max_length=120)
    pronouns = models.CharField(max_length=40, blank=True)
    gender = models.CharField(
        max_length=20,
        choices=Gender.choices,
        default=Gender.UNSPECIFIED,
        help_text=_("Lets clients who prefer a woman or a man therapist find one."),
    )
    photo = models.ImageField(upload_to="therapists/photos/", blank=True)
    bio = models.TextField(_("about you"), blank=True)
    languages = models.ManyToManyField(Language, related_name="therapists", blank=True)
    locations = models.ManyToManyField(Location, related_name="therapists", blank=True)
    modalities = models.ManyToManyField(Modality, related_name="therapists", blank=True)
    competencies = models.ManyToManyField(Competency, related_name="therapists", blank=True)
    conditions = models.ManyToManyField(Condition, related_name="therapists", blank=True)
    accepting_new_clients = models.BooleanField(_("takes new clients"), default=True)
    max_sessions_per_day = models.PositiveSmallIntegerField(
        _("most sessions in a day"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    is_active = models.BooleanField(_("working at the clinic"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TherapistQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("therapists:profile", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.user_id is not None and self.user.role != Role.THERAPIST:
            raise ValidationError(
                {"user": _("Only a user with the therapist role can have a profile.")}
            )


class CredentialKind(models.TextChoices):
    PT = "PT", _("Physical therapist (PT)")
    DPT = "DPT", _("Doctor of physical therapy (DPT)")
    PTA = "PTA", _("Physical therapist assistant (PTA)")
    LMT = "LMT", _("Licensed massage therapist (LMT)")
    OTHER = "OTHER", _("Other")


class Credential(models.Model):
    """A professional licence; once expired, its holder is not bookable on that licence."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="credentials"
    )
    kind = models.CharField(_("type of credential"), max_length=10, choices=CredentialKind.choices)
    licence_number = models.CharField(_("licence number"), max_length=60)
    jurisdiction = models.CharField(max_length=100, help_text=_("Issuing state or country."))
    expires_on = models.DateField(
        _("expires on"),
    )

    class Meta:
        ordering: ClassVar = ["therapist", "expires_on"]
        indexes: ClassVar = [models.Index(fields=["expires_on"])]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "jurisdiction", "licence_number"],
                name="therapists_credential_unique_licence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.jurisdiction} (expires {self.expires_on:%Y-%m-%d})"

    def is_expired(self, on: dt.date | None = None) -> bool:
        return self.expires_on < (on or timezone.localdate())

    @property
    def masked_licence_number(self) -> str:
        """The last four characters only, for pages anyone can see."""
        tail = self.licence_number[-4:]
        return f"•••{tail}" if len(self.licence_number) > 4 else "••••"


class MFRTraining(models.Model):
    """A myofascial release course a therapist completed; it counts once an admin verifies it."""

    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("course or seminar"), max_length=200)
    approach_or_provider = models.CharField(_("approach or training provider"), max_length=200)
    level = models.CharField(_("level (optional)"), max_length=100, blank=True)
    completed_on = models.DateField(
        _("completed on"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verified_trainings",
        limit_choices_to={"role": Role.CLINIC_ADMIN},
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    evidence = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("What it was checked against, e.g. 'certificate no. 1234 seen'."),
    )

    class Meta:
        ordering: ClassVar = ["therapist", "-completed_on"]
        verbose_name = _("MFR training")
        constraints: ClassVar = [
            # Verified means both who and when; never one without the other.
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True, verified_at__isnull=True)
                | Q(verified_by__isnull=False, verified_at__isnull=False),
                name="therapists_mfrtraining_verified_by_and_at",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.approach_or_provider})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None and self.verified_by_id is not None
