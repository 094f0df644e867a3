"""Recording access to health data in the append-only audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from clinic.models import AuditAction, AuditEvent, AuditOutcome


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    target: models.Model,
    subject: Any = None,
    outcome: AuditOutcome | str = AuditOutcome.ALLOWED,
    request: HttpRequest | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one audit event: who did ``action`` to ``target`` (a health record) and how it ended.

    ``detail`` is a short label such as ``"review: cleared"``; it must never carry answers.
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_email=actor.email if authenticated else "",
        actor_role=actor.role if authenticated else "anonymous",
        action=action,
        object_type=target._meta.label,
        object_id=str(target.pk),
        subject=subject,
        outcome=outcome,
        ip_address=_client_ip(request),
        detail=detail[:200],
    )
