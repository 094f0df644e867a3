"""Reminder fan-out: 10,000 due outbox rows drained by 2 Celery worker processes via Redis.

The channels are no-ops (bench.settings), so this measures claim, hand-off, compose, render
and mark-sent. Beat is simulated: a dispatch tick is queued every TICK seconds until every
row is sent. The rows are put back as they were afterwards.

  REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python -m bench.fanout
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from bench.common import ROOT, machine, setup

MESSAGES = 10_000
TICK = 0.25
TIMEOUT = 600


def workers() -> list[subprocess.Popen]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    return [
        subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "clinic",
                "worker",
                "--queues=celery,dispatch",
                "--concurrency=1",
                "--loglevel=WARNING",
                f"--hostname=bench{n}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        )
        for n in (1, 2)
    ]


def main() -> None:
    setup()
    from django.utils import timezone

    from clinic.celery import app
    from clinic.models import Notification
    from clinic.notifications.tasks import dispatch_due_notifications

    print(machine())
    rows = list(
        # E-mail: an SMS due in the clients' quiet hours is deferred, not sent, and would make
        # the figure depend on the time of day the bench runs.
        Notification.objects.filter(status="pending", kind="reminder", channel="email").order_by(
            "due_at"
        )[:MESSAGES]
    )
    if len(rows) < MESSAGES:
        sys.exit("Not enough pending reminders: run `python -m bench.chain` first.")
    app.control.purge()
    original = {row.pk: row.due_at for row in rows}
    now = timezone.now()
    # Distinct instants: the outbox keeps one live row per subject, kind, channel and time.
    due = [
        Notification(pk=row.pk, due_at=now - timezone.timedelta(minutes=1, milliseconds=index))
        for index, row in enumerate(rows)
    ]
    Notification.objects.bulk_update(due, ["due_at"], batch_size=2000)
    started = workers()
    try:
        time.sleep(8)  # let the workers connect before the clock starts
        began = time.perf_counter()
        sent = 0
        while sent < MESSAGES and time.perf_counter() - began < TIMEOUT:
            dispatch_due_notifications.delay()
            time.sleep(TICK)
            # By the (indexed) status and the due times given above, not a 10,000-id IN list
            # that would cost the machine as much as the sends being measured.
            sent = Notification.objects.filter(
                status="sent", due_at__gte=due[-1].due_at, due_at__lte=due[0].due_at
            ).count()
        elapsed = time.perf_counter() - began
        print(
            f"reminder fan-out: {sent:,} of {MESSAGES:,} sent by 2 worker processes in "
            f"{elapsed:.1f} s: {sent / elapsed:,.0f} messages/s"
        )
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            worker.wait(timeout=60)
        app.control.purge()
        for row in rows:
            row.due_at = original[row.pk]
            row.status, row.attempts, row.version = "pending", 0, 0
            row.sent_at, row.lease_until, row.claimed_by = None, None, ""
        Notification.objects.bulk_update(
            rows,
            ["status", "attempts", "version", "sent_at", "lease_until", "claimed_by", "due_at"],
            batch_size=2000,
        )


if __name__ == "__main__":
    main()
