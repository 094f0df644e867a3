"""Booking latency under concurrency on PostgreSQL: p50/p95 of appointment_book.

Creates a throwaway test database (test_<name> of DATABASE_URL), so point it at your own:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/unwind_bench .venv/bin/python bench/booking_bench.py
Two runs: THREADS clients booking distinct slots of 20 therapists, then THREADS clients all
contending for one slot (exactly one must win).
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import statistics
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings_test")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

THREADS, PER_THREAD, THERAPISTS = 20, 10, 20


def run(jobs, label: str) -> None:
    from booking.exceptions import SlotUnavailable
    from booking.scheduling import appointment_book

    latencies: list[float] = []
    outcome = {"booked": 0, "conflict": 0, "error": 0}
    lock, barrier = threading.Lock(), threading.Barrier(len(jobs))

    def work(batch):
        try:
            barrier.wait()
            for client, service, therapist, start in batch:
                began = time.perf_counter()
                try:
                    appointment_book(
                        client=client,
                        service=service,
                        therapist=therapist,
                        start=start,
                        actor=client,
                    )
                    key = "booked"
                except SlotUnavailable:
                    key = "conflict"
                except Exception:  # counted, not hidden: any error is a failure of the bench
                    key = "error"
                with lock:
                    latencies.append(time.perf_counter() - began)
                    outcome[key] += 1
        finally:
            connections.close_all()

    began = time.perf_counter()
    threads = [threading.Thread(target=work, args=(batch,)) for batch in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    q = statistics.quantiles(latencies, n=20)
    print(
        f"{label}: {len(latencies)} requests in {wall:.2f}s ({len(latencies) / wall:.0f}/s); "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms; {outcome}"
    )


def main() -> None:
    from tests.booking.factories import clinic_setup
    from tests.factories import ClientFactory

    location, service, team = clinic_setup(therapists=THERAPISTS, rooms=THERAPISTS)
    clients = [ClientFactory() for _ in range(THREADS)]
    day = dt.datetime.now(tz=location.zone).date() + dt.timedelta(days=2)
    jobs = []
    for i, client in enumerate(clients):
        batch = []
        for j in range(PER_THREAD):
            therapist = team[(i + j * THREADS) % THERAPISTS]
            hour = 9 + (i + j * THREADS) // THERAPISTS % 8
            batch.append(
                (
                    client,
                    service,
                    therapist,
                    dt.datetime.combine(
                        day + dt.timedelta(days=j // 8), dt.time(hour), tzinfo=location.zone
                    ),
                )
            )
        jobs.append(batch)
    run(jobs, "distinct slots")
    contested = dt.datetime.combine(day + dt.timedelta(days=5), dt.time(10), tzinfo=location.zone)
    run([[(client, service, team[0], contested)] for client in clients], "one contested slot")


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database; this measures row locks and constraints."
        )
    old = setup_databases(verbosity=0, interactive=False)
    try:
        main()
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)
