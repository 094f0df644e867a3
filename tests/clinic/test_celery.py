"""Celery makes real round trips: through Redis when REDIS_URL is set, else the embedded broker."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from kombu import Connection

from clinic.broker import Transport
from clinic.celery import DISPATCH_QUEUE, app
from clinic.tasks import ping

pytestmark = pytest.mark.broker


def test_task_round_trip_through_the_configured_broker():
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_redis_is_the_broker_when_redis_url_is_set():
    with app.connection_for_write() as conn:
        assert conn.transport.driver_type == "redis"
        conn.ensure_connection(max_retries=1)


def _options(folder: Path) -> dict[str, object]:
    return {
        "data_folder_in": str(folder / "q"),
        "data_folder_out": str(folder / "q"),
        "control_folder": str(folder / "c"),
        "polling_interval": 0.01,
    }


def _produce(folder: str, start: int, count: int) -> None:
    with Connection(transport=Transport, transport_options=_options(Path(folder))) as conn:
        queue = conn.SimpleQueue("load")
        for number in range(start, start + count):
            queue.put({"n": number, "pad": "x" * 2000})
        queue.close()


def _consume(folder: str, expected: int, out: multiprocessing.Queue) -> None:
    seen = []
    with Connection(transport=Transport, transport_options=_options(Path(folder))) as conn:
        queue = conn.SimpleQueue("load")
        misses = 0
        while misses < 20:
            try:
                message = queue.get(timeout=0.2)
            except queue.Empty:
                misses += 1
                continue
            misses = 0
            seen.append(message.payload["n"])
            message.ack()
        queue.close()
    out.put(seen)


def test_embedded_broker_loses_and_doubles_nothing_under_concurrent_processes(tmp_path):
    """Kombu's stock filesystem transport loses messages here; clinic.broker must not."""
    per_producer, producers = 1500, 3
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    consumers = [
        ctx.Process(target=_consume, args=(str(tmp_path), per_producer * producers, out))
        for _ in range(3)
    ]
    writers = [
        ctx.Process(target=_produce, args=(str(tmp_path), i * per_producer, per_producer))
        for i in range(producers)
    ]
    for process in consumers + writers:
        process.start()
    for process in writers:
        process.join(60)
    received = [n for _ in consumers for n in out.get(timeout=120)]
    for process in consumers:
        process.join(30)
    assert sorted(received) == list(range(per_producer * producers))


def test_embedded_broker_folders_are_absolute():
    if settings.REDIS_URL:
        pytest.skip("Redis is the broker")
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        assert Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key]).is_absolute()


def test_every_beat_entry_names_a_task_the_worker_registers():
    app.loader.import_default_modules()
    registered = set(app.tasks)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.dispatch_due", "booking.expire_waitlist_offers"} <= scheduled
    assert scheduled <= registered


def test_dispatch_ticks_have_their_own_queue_and_sends_the_default_one():
    router = app.amqp.router
    assert router.route({}, "notifications.dispatch_due")["queue"].name == DISPATCH_QUEUE
    assert router.route({}, "notifications.send")["queue"].name == "celery"
