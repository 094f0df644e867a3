"""Done-when checks on the real PostgreSQL and Redis: concurrency, crashes, broker outages.

Run with DATABASE_URL=postgres://... and REDIS_URL=redis://127.0.0.1:6379/<n>. The worker and
beat tests start real Celery processes against the test database.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from booking.notifications import BookingMessage
from clinic.models import Notification, NotificationStatus
from clinic.notifications.services import notification_enqueue
from tests.clinic.notifications.slow_mail import sent_ids
from tests.factories import TherapistUserFactory
from tests.outbox import run_dispatch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI does)"
)


def due_digests(count: int) -> list[int]:
    """``count`` due messages (therapist digests at distinct due times) and their ids."""
    therapist = TherapistUserFactory()
    start = timezone.now() - dt.timedelta(hours=1)
    for index in range(count):
        notification_enqueue(
            kind=BookingMessage.THERAPIST_DIGEST,
            subject=therapist,
            recipient=therapist,
            due_at=start + dt.timedelta(seconds=index),
            params={"date": "2026-06-02"},
        )
    return list(Notification.objects.values_list("id", flat=True))


def test_two_dispatchers_at_once_send_each_message_exactly_once(settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 7
    ids = due_digests(120)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def dispatcher(name: str) -> None:
        try:
            barrier.wait()
            while run_dispatch(worker=name):
                pass
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher, args=(f"d{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    counts = Counter(int(m.extra_headers["X-Unwind-Notification"]) for m in mail.outbox)
    assert set(counts) == set(ids)
    assert set(counts.values()) == {1}
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == len(ids)
    # Both dispatchers did part of the work (otherwise the test proved nothing).
    assert len(set(Notification.objects.values_list("claimed_by", flat=True))) == 2


@needs_redis
def test_a_booking_puts_nothing_on_the_broker_inside_its_transaction(personas):
    import redis

    from booking.scheduling import appointment_book
    from clinic.notifications.tasks import dispatch_due_notifications
    from tests.booking.factories import clinic_setup

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.flushdb()
    _location, service, (therapist,) = clinic_setup()
    start = (
        (timezone.now() + dt.timedelta(days=2))
        .astimezone(therapist_zone())
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    with transaction.atomic():
        appointment_book(
            client=personas.client, service=service, therapist=therapist, start=start,
            actor=personas.front_desk,
        )  # fmt: skip
        assert Notification.objects.exists()
        assert broker.dbsize() == 0
    assert broker.dbsize() == 0
    # The beat's tick is what talks to the broker: one send task per batch of due rows.
    handed_off = dispatch_due_notifications()
    assert handed_off >= 1  # the confirmation (and the intake nudge, less than 48 h ahead)
    assert broker.llen("celery") == -(-handed_off // settings.NOTIFICATIONS_SEND_BATCH)


def therapist_zone():
    return timezone.get_default_timezone()


def _env(tmp_path: Path, redis_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DEBUG": "1",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{k: connection.settings_dict[k] for k in ("USER", "HOST", "PORT", "NAME")}
        ),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "tests.clinic.notifications.slow_mail.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "NOTIFICATIONS_LEASE_SECONDS": "4",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def _celery(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/celery"), "-A", "clinic", *args, "--loglevel=INFO"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def _worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen:
    return _celery(
        env, "worker", "--pool=solo", "-n", f"{name}@%h", "--without-gossip",
        "--without-mingle", "--queues=celery,dispatch", log=log,  # both queues, as one worker
    )  # fmt: skip


def _wait_for(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@needs_redis
def test_a_worker_killed_mid_batch_leaves_nothing_stuck(tmp_path, settings):
    import redis

    from clinic.notifications.tasks import dispatch_due_notifications

    settings.NOTIFICATIONS_LEASE_SECONDS = 4
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    ids = due_digests(40)
    env = _env(tmp_path, settings.CELERY_BROKER_URL, SLOW_MAIL_SECONDS="0.3")
    mail_dir = tmp_path / "mail"
    assert dispatch_due_notifications() == len(ids)  # all claimed and on the broker
    first = _worker(env, "victim", tmp_path / "victim.log")
    try:
        assert _wait_for(lambda: len(sent_ids(mail_dir)) >= 8, 60), (
            tmp_path / "victim.log"
        ).read_text()
        first.send_signal(signal.SIGKILL)  # mid-batch, most likely inside the slow send
        first.wait(timeout=10)
    finally:
        _stop(first)
    killed_after = len(sent_ids(mail_dir))
    assert killed_after < len(ids)
    second = _worker(env, "rescuer", tmp_path / "rescuer.log")
    try:

        def all_sent() -> bool:
            dispatch_due_notifications()  # the beat's tick: re-claims rows whose lease ran out
            return not Notification.objects.exclude(status=NotificationStatus.SENT).exists()

        assert _wait_for(all_sent, 90, step=1), (tmp_path / "rescuer.log").read_text()
    finally:
        _stop(second)
    counts = Counter(sent_ids(mail_dir))
    assert set(counts) == set(ids)
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= 1  # one kill, at most one message caught between send and mark-sent


@needs_redis
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server binary")
def test_with_redis_down_bookings_succeed_and_messages_go_after_it_returns(tmp_path, personas):
    from booking.scheduling import appointment_book
    from tests.booking.factories import clinic_setup

    port = 6390
    redis_url = f"redis://127.0.0.1:{port}/0"

    def redis_server() -> subprocess.Popen:
        return subprocess.Popen(  # a throwaway server: 6379 stays up
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    env = _env(
        tmp_path,
        redis_url,
        NOTIFICATIONS_DISPATCH_SECONDS=os.environ.get("TEST_DISPATCH_SECONDS", "10"),
        SLOW_MAIL_SECONDS="0",
    )
    server = redis_server()
    time.sleep(0.5)
    worker = _worker(env, "w", tmp_path / "worker.log")
    beat = _celery(
        env, "beat", "--schedule", str(tmp_path / "beat-schedule"), log=tmp_path / "beat.log"
    )
    try:
        server.terminate()
        server.wait(timeout=10)
        _location, service, (therapist,) = clinic_setup()
        start = (
            (timezone.now() + dt.timedelta(days=2))
            .astimezone(therapist_zone())
            .replace(hour=10, minute=0, second=0, microsecond=0)
        )
        appointment = appointment_book(
            client=personas.client, service=service, therapist=therapist, start=start,
            actor=personas.front_desk,
        )  # fmt: skip
        # A reminder that falls due while Redis is down.
        notification_enqueue(
            kind=BookingMessage.REMINDER, subject=appointment, recipient=personas.client,
            due_at=timezone.now() + dt.timedelta(seconds=3), event_at=appointment.starts_at,
            params={"offset_hours": 0},
        )  # fmt: skip
        due_now = set(
            Notification.objects.filter(
                due_at__lte=timezone.now() + dt.timedelta(seconds=3)
            ).values_list("id", flat=True)
        )
        time.sleep(15)  # at least one beat tick passes with the broker gone
        assert not Notification.objects.filter(status=NotificationStatus.SENT).exists()
        server = redis_server()
        back = time.monotonic()
        sent = _wait_for(lambda: set(sent_ids(tmp_path / "mail")) >= due_now, 120, step=0.5)
        elapsed = time.monotonic() - back
        sys.stdout.write(
            f"\nmessages due during the outage sent {elapsed:.1f}s after Redis returned\n"
        )
        assert sent, (tmp_path / "beat.log").read_text()[-3000:] + (
            tmp_path / "worker.log"
        ).read_text()[-3000:]
        assert elapsed < 120
    finally:
        _stop(beat)
        _stop(worker)
        _stop(server)
