from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User


class ApiToken(models.Model):
    """A named, expiring API credential; only the SHA-256 digest of its key is stored.

    The key itself is shown once, in the answer that issued it, so neither a database leak nor
    an admin page can reveal a usable key.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The user's credential hash when the token was issued (clinic.tokens): a later password
    # change, role change or sign-out-everywhere no longer matches, so the token is dead.
    credential = models.CharField(max_length=64, editable=False)
    # Issued after a one-time code was checked; a staff token without it is refused.
    second_factor = models.BooleanField(_("second factor verified"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
