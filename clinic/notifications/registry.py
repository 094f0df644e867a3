"""The registry of message kinds and periodic jobs that the apps above ``clinic`` fill.

``clinic`` knows how to queue, claim, render and deliver a message, but not what any message
says: each app owns its kinds (``booking/messages.py``, ``intake/messages.py``, ...), declares
them with :func:`message_kind` and imports that module from its ``AppConfig.ready()``, as
Django's admin and system checks are filled. A kind is a code in the outbox row, not a
database choice, so adding one needs no ``clinic`` migration.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from clinic.models import Notification


class Skip(Exception):
    """The message no longer applies; the row is cancelled with this (non-clinical) reason."""


class Defer(Exception):
    """Send later: the row goes back to pending at ``until``."""

    def __init__(self, until: dt.datetime, *, event_at: dt.datetime | None = None) -> None:
        super().__init__(f"deferred to {until.isoformat()}")
        self.until = until
        self.event_at = event_at


@dataclass
class Composition:
    context: dict[str, Any]
    zone: zoneinfo.ZoneInfo
    # After this instant the message is pointless (a reminder after the appointment started).
    expires_at: dt.datetime | None = None
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    template: str = ""


Composer = Callable[[Notification, dt.datetime], Composition]
PeriodicJob = Callable[[], int]


@dataclass(frozen=True)
class MessageKind:
    """What the outbox needs to know of a kind: how to compose it and who may opt out of it."""

    code: str
    label: str
    compose: Composer
    # Essential messages always go by e-mail, whatever the recipient opted out of.
    essential: bool = False
    # Whether a client who chose text messages may get this kind by SMS.
    sms: bool = False
    # Where its templates are: ``<folder>/<kind>.subject.txt``, ``.txt``, ``.html``, ``.sms.txt``.
    templates: str = ""


_KINDS: dict[str, MessageKind] = {}
_PERIODIC: dict[str, PeriodicJob] = {}
_SUBJECTS: dict[str, Callable[[], QuerySet[Any]]] = {}


def message_kind(
    code: str, label: Any, *, essential: bool = False, sms: bool = False
) -> Callable[[Composer], Composer]:
    """Register the decorated composer for ``code``; stack it to share a composer between kinds."""

    def register(function: Composer) -> Composer:
        known = _KINDS.get(code)
        if known is not None and known.compose is not function:
            raise ValueError(f"Message kind {code!r} is registered twice.")
        # The owning app's template folder: templates/<app>/messages/.
        folder = f"{function.__module__.split('.')[0]}/messages"
        _KINDS[code] = MessageKind(
            code, label, function, essential=essential, sms=sms, templates=folder
        )
        return function

    return register


def message_kind_get(code: str) -> MessageKind | None:
    return _KINDS.get(code)


def message_kinds() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


def message_kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


def periodic_job(function: PeriodicJob) -> PeriodicJob:
    """Register a job the hourly beat task runs; it must be idempotent (keyed on its episode)."""
    _PERIODIC[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def periodic_jobs() -> list[PeriodicJob]:
    return [_PERIODIC[name] for name in sorted(_PERIODIC)]


def subject_queryset(function: Callable[[], QuerySet[Any]]) -> Callable[[], QuerySet[Any]]:
    """Register how a batch of sends loads subjects of one model (with what composing reads),
    so a batch of reminders reads its appointments, places and people in one query."""
    _SUBJECTS[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def subject_querysets() -> list[QuerySet[Any]]:
    return [_SUBJECTS[name]() for name in sorted(_SUBJECTS)]
