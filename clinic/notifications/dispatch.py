"""Claiming due rows, sending one, and recording the result — all by compare-and-set.

The life of a row: pending → claimed (by the beat, with a lease) → send started (by a worker:
version bumped, attempt counted, lease renewed) → sent. Every step is an UPDATE guarded by the
version the step expects, so a stale or duplicated Celery message changes nothing. A worker
that dies leaves its row claimed; when the lease runs out the beat claims it again, so at most
one duplicate per death that landed between the send and the mark-sent.

Throughput: a tick claims no more than the workers can start within a lease
(``NOTIFICATIONS_MAX_IN_FLIGHT`` live claims at most), and hands claims to workers in batches
(``NOTIFICATIONS_SEND_BATCH`` per task): a batch reads its rows, recipients, profiles and
subjects in a few queries, then starts, sends and records each row by its own compare-and-set,
so the lease of a row is renewed just before it is sent and a kill still costs one duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from clinic.models import ClinicPolicy, Notification, NotificationChannel, NotificationStatus
from clinic.notifications.composing import compose, render
from clinic.notifications.delivery import deliver
from clinic.notifications.preferences import channel_allowed
from clinic.notifications.registry import Composition, Defer, Skip, subject_querysets
from clinic.notifications.timing import quiet_hours_release, retry_delay

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    id: int
    version: int


def lease_length() -> dt.timedelta:
    # Longer than the hard task time limit, so a live worker never loses its lease mid-send.
    return dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)


def _cas(claim: Claim, **changes: object) -> bool:
    """Apply ``changes`` only if the row is still at ``claim.version``; bump the version."""
    return bool(
        Notification.objects.filter(pk=claim.id, version=claim.version).update(
            version=claim.version + 1, updated_at=timezone.now(), **changes
        )
    )


def notifications_claim_due(
    *, worker: str, now: dt.datetime | None = None, limit: int | None = None
) -> list[Claim]:
    """Claim due rows (and rows whose lease ran out) with SKIP LOCKED, so dispatchers never collide."""
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATIONS_BATCH_SIZE
    # Claims beyond what the workers start within a lease would expire in the queue, be
    # claimed again and make the queued sends stale: wasted work that grows with the backlog.
    in_flight = Notification.objects.filter(
        status=NotificationStatus.CLAIMED, lease_until__gte=now
    ).count()
    limit = min(limit, settings.NOTIFICATIONS_MAX_IN_FLIGHT - in_flight)
    if limit <= 0:
        return []
    due = Q(status=NotificationStatus.PENDING, due_at__lte=now) | Q(
        status=NotificationStatus.CLAIMED, lease_until__lt=now
    )
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(due)
            .order_by("due_at", "id")
            .values_list("id", "version", "attempts")[:limit]
        )
        exhausted = [
            pk for pk, _v, attempts in rows if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        ]
        if exhausted:
            Notification.objects.filter(pk__in=exhausted).update(
                status=NotificationStatus.FAILED,
                last_error="gave up: no worker finished sending it",
                version=F("version") + 1,
                updated_at=now,
            )
        claims = [Claim(pk, version + 1) for pk, version, _a in rows if pk not in exhausted]
        Notification.objects.filter(pk__in=[claim.id for claim in claims]).update(
            status=NotificationStatus.CLAIMED,
            lease_until=now + lease_length(),
            claimed_by=worker[:100],
            version=F("version") + 1,
            updated_at=now,
        )
    return claims


def notifications_release(claims: list[Claim]) -> int:
    """Give claims back (the broker refused them) so the next beat tick picks them up."""
    return sum(
        _cas(claim, status=NotificationStatus.PENDING, lease_until=None, claimed_by="")
        for claim in claims
    )


def notifications_dispatch_due(
    *,
    worker: str,
    hand_off: Callable[[Claim], object] | None = None,
    hand_off_batch: Callable[[list[Claim]], object] | None = None,
) -> int:
    """Claim due rows, commit, then hand them to workers; returns how many were handed off.

    ``hand_off_batch`` gets up to ``NOTIFICATIONS_SEND_BATCH`` claims at a time (one broker
    message each); ``hand_off`` gets one claim at a time.
    """
    send: Callable[[list[Claim]], object]
    if hand_off_batch is not None:
        size, send = settings.NOTIFICATIONS_SEND_BATCH, hand_off_batch
    elif hand_off is not None:
        size, send = 1, lambda batch: hand_off(batch[0])
    else:  # before claiming: claims nobody hands off would sit until their lease runs out
        raise TypeError("give hand_off or hand_off_batch")
    claims = notifications_claim_due(worker=worker)
    for index in range(0, len(claims), size):
        batch = claims[index : index + size]
        try:
            send(batch)
        except Exception:
            # Broker down: don't wait for the lease, let the next tick retry these.
            logger.warning(
                "broker refused notification hand-off; releasing %d", len(claims) - index
            )
            notifications_release(claims[index:])
            return index
    return len(claims)


def _claimed_rows(claims: list[Claim]) -> list[Notification]:
    """The rows still at their claim's version, with recipient, profile and subject (a few
    queries for the whole batch: one for the rows, one per subject type)."""
    if not claims:
        return []
    match = Q()
    for claim in claims:
        match |= Q(pk=claim.id, version=claim.version)
    rows = (
        Notification.objects.filter(match)
        .select_related("recipient", "recipient__client_profile")
        .prefetch_related(GenericPrefetch("subject", subject_querysets()))
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[claim.id] for claim in claims if claim.id in by_id]


def notifications_send_batch(*, claims: list[Claim], worker: str) -> list[str]:
    """Send a batch of claimed rows; one outcome per row that was still claimed, in order.

    Rows whose claim went stale (cancelled, or claimed again after the lease ran out) are
    left alone, as :func:`notification_send` would. Safe to repeat.
    """
    outcomes = []
    for notification in _claimed_rows(claims):
        claim = Claim(notification.pk, notification.version)
        if not _start(claim, worker):
            outcomes.append("stale")
            continue
        notification.version += 1
        notification.attempts += 1
        outcomes.append(_send_started(notification, Claim(claim.id, claim.version + 1)))
    return outcomes


# The two writes every message makes (start, sent), as plain SQL: building them with the ORM
# cost more than PostgreSQL takes to run them. Same compare-and-set as _cas().
def _sql(assignments: str) -> str:
    table = Notification._meta.db_table
    # Only the model's table name and the constant assignments below go into the text.
    return (
        f'UPDATE "{table}" SET "version" = "version" + 1, "updated_at" = %s, {assignments} '  # noqa: S608
        'WHERE "id" = %s AND "version" = %s'
    )


_START_SQL = _sql(
    '"status" = %s, "attempts" = "attempts" + 1, "lease_until" = %s, "claimed_by" = %s'
)
_SENT_SQL = _sql('"status" = %s, "sent_at" = %s, "last_error" = %s')


def _write(sql: str, claim: Claim, *values: object) -> bool:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    adapted: list[Any] = [
        connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
        for v in values
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *adapted, claim.id, claim.version])
        return bool(cursor.rowcount)


def _start(claim: Claim, worker: str) -> bool:
    """Count the attempt and renew the lease just before sending, if the claim still holds."""
    lease = timezone.now() + lease_length()
    return _write(_START_SQL, claim, NotificationStatus.CLAIMED.value, lease, worker[:100])


def notification_send(*, claim: Claim, worker: str) -> str:
    """Send one claimed row; returns the outcome ("sent", "stale", "skipped", ...). Safe to repeat."""
    if not _start(claim, worker):
        return "stale"
    notification = Notification.objects.select_related("recipient").get(pk=claim.id)
    return _send_started(notification, Claim(claim.id, claim.version + 1))


def _send_started(notification: Notification, started: Claim) -> str:
    now = timezone.now()
    try:
        composition = _prepare(notification, now)
    except Skip as skip:
        _cas(started, status=NotificationStatus.CANCELLED, last_error=str(skip)[:300])
        return "skipped"
    except Defer as defer:
        return _defer(started, defer)
    return _deliver_and_record(notification, composition, started)


def _defer(started: Claim, defer: Defer) -> str:
    changes: dict[str, object] = {"due_at": defer.until}
    if defer.event_at is not None:
        changes["event_at"] = defer.event_at
    try:
        with transaction.atomic():
            _cas(started, status=NotificationStatus.PENDING, attempts=F("attempts") - 1, **changes)
    except IntegrityError:
        # Another live row of the same message is already due then (the 48-hour and the
        # 2-hour reminder both held back to the end of quiet hours): that one is sent.
        _cas(started, status=NotificationStatus.CANCELLED, last_error="same message due then")
        return "skipped"
    return "deferred"


def _prepare(notification: Notification, now: dt.datetime) -> Composition:
    if not channel_allowed(notification.recipient, notification.kind, notification.channel):
        raise Skip("recipient opted out of this channel")
    composition = compose(notification, now)
    if notification.channel == NotificationChannel.SMS:
        policy = ClinicPolicy.load()
        release = quiet_hours_release(
            now, composition.zone, policy.sms_quiet_start, policy.sms_quiet_end
        )
        if release is not None:
            if composition.expires_at is not None and release >= composition.expires_at:
                raise Skip("quiet hours last until after the appointment")
            raise Defer(release)
    return composition


def _deliver_and_record(
    notification: Notification, composition: Composition, started: Claim
) -> str:
    try:
        deliver(notification, render(notification, composition), composition)
    except Exception as exc:
        return _record_failure(notification, started, exc)
    if not _write(_SENT_SQL, started, NotificationStatus.SENT.value, timezone.now(), ""):
        # Cancelled (or re-claimed after our lease ran out) while we were sending.
        logger.warning("notification %s sent but changed meanwhile", notification.pk)
        return "sent-late"
    return "sent"


def _record_failure(notification: Notification, started: Claim, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:300]
    attempts = notification.attempts
    logger.warning(
        "notification %s attempt %s failed: %s", notification.pk, attempts, type(exc).__name__
    )
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _cas(started, status=NotificationStatus.FAILED, last_error=error, lease_until=None)
        return "failed"
    _cas(
        started,
        status=NotificationStatus.PENDING,
        last_error=error,
        lease_until=None,
        due_at=timezone.now() + retry_delay(attempts),
    )
    return "retry"
