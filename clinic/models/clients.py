from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    BOTH = "both", _("E-mail and text message")


class ClientProfile(models.Model):
    """Contact details and communication preferences of a client (no health data here)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_profile"
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("language for messages"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    reminder_channel = models.CharField(
        _("send reminders by"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    email_opt_in = models.BooleanField(_("e-mail for reminders and follow-ups"), default=True)
    sms_opt_in = models.BooleanField(_("text messages for reminders"), default=False)
    marketing_opt_in = models.BooleanField(_("news and offers"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return str(self.user)


class ConsentKind(models.TextChoices):
    HEALTH_DATA = "health_data", _("Processing of my health data")
    HANDS_ON = "hands_on", _("Hands-on treatment on skin without oils")
    INTRAORAL = "intraoral", _("Intraoral (inside the mouth) work for the jaw")
    PELVIC = "pelvic", _("Pelvic work")
    SMS = "sms", _("Text messages")
    MARKETING = "marketing", _("News and offers")


class ConsentText(models.Model):
    """One published version of the words a client agrees to; never edited once published."""

    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["kind", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "version"], name="clinic_consenttext_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Consent(models.Model):
    """A client's recorded, withdrawable agreement to one version of a consent text."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    signature = models.CharField(_("typed name"), max_length=200)
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-granted_at"]
        indexes: ClassVar = [models.Index(fields=["user", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.text}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
