from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    DECIDE = "decide", _("Decided")
    DELETE = "delete", _("Deleted")


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    DENIED = "denied", _("Denied")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Rows are only ever added: bulk UPDATE and DELETE are refused before any SQL is sent."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit events cannot be changed.")


def _kept_reference(**kwargs: Any) -> Any:
    """A user reference the trail keeps as it was: deleting the user changes no event.

    No database constraint (the user may go) and DO_NOTHING (so Django never rewrites the
    column to NULL, which the append-only triggers would refuse anyway).
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class AuditEvent(models.Model):
    """Who did what to which health record, when and from where; never health data itself.

    Append-only on every database: the model and its queryset refuse updates and deletes, and
    triggers do too (PostgreSQL since clinic 0002, SQLite since clinic 0006). The actor's and
    subject's ids stay as written when the user is deleted or anonymised, and the actor's
    e-mail and role are copied at the time, so the record names who it was.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, null=True, editable=False)
    actor = _kept_reference()
    # Kept as text as well, so the record survives the actor's account being removed.
    actor_email = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    subject = _kept_reference(help_text=_("The client whose record this is."))
    outcome = models.CharField(
        max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.ALLOWED
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(
        max_length=200, blank=True, help_text=_("A label such as 'review: cleared'; never answers.")
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
        indexes: ClassVar = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["subject", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")
