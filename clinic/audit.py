"""Recording access to health data in the append-only audit trail.

Two promises beyond "one row per read, change, export and decision":

- **A refusal is kept even when its transaction is not.** A domain function that refuses
  inside ``transaction.atomic`` (a review decision on someone else's client) raises, and the
  rollback takes any row written inside with it. So within :func:`audit_denials_kept` (the
  :class:`AuditTrailMiddleware` opens one around every request) each refusal recorded inside a
  transaction is remembered, and once the request has left every transaction, any of them
  whose row did not survive is written again, with the same ``event_id`` and time. This needs
  no second database connection, so it works the same on PostgreSQL and SQLite and inside a
  test's transaction.
- **Every 403 and 404 on a health-data route is recorded.** Apps name their health-data routes
  with :func:`audit_health_routes_register` from ``AppConfig.ready()``; when such a route
  answers 403 or 404 and no refusal was recorded while handling it, the middleware records
  one naming the route (never its query string).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connections, models, router
from django.http import HttpRequest, HttpResponse

from clinic.models import AuditAction, AuditEvent, AuditOutcome, User

DENIED_STATUSES = (403, 404)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass
class _Trail:
    """Refusals recorded in the current request (or block), and copies of those to keep."""

    denials: int = 0
    kept: list[dict[str, Any]] = field(default_factory=list)


_trail: ContextVar[_Trail | None] = ContextVar("clinic_audit_trail", default=None)
_health_routes: list[str] = []


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _actor_fields(actor: Any) -> dict[str, Any]:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if authenticated else None,
        "actor_email": actor.email if authenticated else "",
        "actor_role": actor.role if authenticated else "anonymous",
    }


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
    return AuditEvent(
        **_actor_fields(actor),
        action=action,
        object_type=target._meta.label,
        object_id=str(target.pk),
        subject=subject,
        outcome=outcome,
        ip_address=_client_ip(request),
        detail=detail[:200],
    )


def _kept_copy(event: AuditEvent) -> dict[str, Any]:
    return {f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields[1:]}


def _denials_note(events: list[AuditEvent]) -> None:
    """Count refusals for the middleware, and keep a copy of those written in a transaction."""
    trail = _trail.get()
    denied = [e for e in events if e.outcome == AuditOutcome.DENIED]
    if trail is None or not denied:
        return
    trail.denials += len(denied)
    if connections[router.db_for_write(AuditEvent)].in_atomic_block:
        trail.kept += [_kept_copy(e) for e in denied]


def _kept_write(kept: list[dict[str, Any]]) -> None:
    """Write again the kept refusals whose rows a rollback removed (matched by event id)."""
    ids = [copy["event_id"] for copy in kept]
    present = set(AuditEvent.objects.filter(event_id__in=ids).values_list("event_id", flat=True))
    missing = [AuditEvent(**copy) for copy in kept if copy["event_id"] not in present]
    if missing:
        AuditEvent.objects.bulk_create(missing)


@contextmanager
def audit_denials_kept() -> Iterator[_Trail]:
    """Within this block, a refusal recorded in a transaction that rolls back is kept anyway.

    Open it outside every transaction (the middleware does, per request; a task or command
    that may refuse inside ``atomic`` opens its own).
    """
    trail = _Trail()
    token = _trail.set(trail)
    try:
        yield trail
    finally:
        _trail.reset(token)
        if trail.kept:
            _kept_write(trail.kept)


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
    A DENIED event survives the rollback of the transaction it was written in (see above).
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
    _denials_note([event])
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
    health data at once (the therapist's day view, a list of care plans).
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
    if not events:
        return []
    created = AuditEvent.objects.bulk_create(events)
    _denials_note(created)
    return created


def audit_record_route_denied(request: HttpRequest, status: int) -> AuditEvent:
    """Record that a health-data route answered ``status`` (403 or 404) to this request.

    Names the route and its numeric ids only: the query string, slugs and tokens stay out.
    """
    match = request.resolver_match
    view_name = match.view_name if match else request.path[:64]
    ids = ", ".join(f"{k}={v}" for k, v in (match.kwargs if match else {}).items() if _numeric(v))
    event = AuditEvent(
        **_actor_fields(getattr(request, "user", None)),
        action=AuditAction.VIEW if request.method in SAFE_METHODS else AuditAction.CHANGE,
        object_type="route",
        object_id=view_name[:64],
        outcome=AuditOutcome.DENIED,
        ip_address=_client_ip(request),
        detail=f"{status} {request.method} {ids}".strip()[:200],
    )
    event.save(force_insert=True)
    return event


def _numeric(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def audit_health_routes_register(*patterns: str) -> None:
    """Name routes that serve health data, by view name (``fnmatch`` patterns such as
    ``"intake:*"`` or ``"api:outcome-*"``). Each app calls this from ``AppConfig.ready()``."""
    _health_routes.extend(p for p in patterns if p not in _health_routes)


def is_health_route(view_name: str) -> bool:
    return any(fnmatchcase(view_name, pattern) for pattern in _health_routes)


class AuditTrailMiddleware:
    """Keeps refusals through rollbacks and records every 403/404 on a health-data route.

    Place it after the authentication middleware; DRF sets ``request.user`` for token calls
    before the response comes back here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_denials_kept() as trail:
            response = self.get_response(request)
            match = request.resolver_match
            if (
                response.status_code in DENIED_STATUSES
                and not trail.denials
                and match is not None
                and is_health_route(match.view_name)
            ):
                audit_record_route_denied(request, response.status_code)
        return response


def audit_record_trail_export(
    *, actor: Any, count: int, request: HttpRequest | None = None
) -> AuditEvent:
    """Record that ``actor`` exported ``count`` events of the audit trail itself."""
    event = AuditEvent(
        **_actor_fields(actor),
        action=AuditAction.EXPORT,
        object_type=AuditEvent._meta.label,
        object_id="csv",
        ip_address=_client_ip(request),
        detail=f"audit trail: {count} events",
    )
    event.save(force_insert=True)
    return event
