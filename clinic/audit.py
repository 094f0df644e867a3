"""Recording access to health data in the append-only audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from clinic.models import AuditAction, AuditEvent, AuditOutcome, User


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _event(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    target: models.Model,
    subject: Any,
    outcome: AuditOutcome | str,
    request: HttpRequest | None,
    detail: str,
) -> AuditEvent:
    known = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEvent(
        actor=known,
        actor_email=known.email if known else "",
        actor_role=known.role if known else "anonymous",
        action=action,
        object_type=target._meta.label,
        object_id=str(target.pk),
        subject=subject,
        outcome=outcome,
        ip_address=_client_ip(request),
        detail=detail[:200],
    )


def audit_record(
    *,
    actor: User | AnonymousUser | None,
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
    event = _event(
        actor=actor,
        action=action,
        target=target,
        subject=subject,
        outcome=outcome,
        request=request,
        detail=detail,
    )
    event.save(force_insert=True)
    return event


def audit_record_many(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    targets: Iterable[tuple[models.Model, Any]],
    outcome: AuditOutcome | str = AuditOutcome.ALLOWED,
    request: HttpRequest | None = None,
    detail: str = "",
) -> list[AuditEvent]:
    """Append one audit event per ``(target, subject)`` pair in a single INSERT.

    The same record as :func:`audit_record` for each pair, for pages that read many clients'
    health data at once (the therapist's day view).
    """
    events = [
        _event(
            actor=actor,
            action=action,
            target=target,
            subject=subject,
            outcome=outcome,
            request=request,
            detail=detail,
        )
        for target, subject in targets
    ]
    return AuditEvent.objects.bulk_create(events) if events else []
