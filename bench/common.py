"""Shared by the bench scripts: Django set-up on the bench database, timing, machine facts."""

from __future__ import annotations

import os
import pathlib
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/unwind_bench"


def _admin_cursor() -> tuple[Any, str]:
    import dj_database_url
    import psycopg2

    url = os.environ.setdefault("DATABASE_URL", BENCH_DATABASE_URL)
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benches need PostgreSQL: set DATABASE_URL to a dedicated database.")
    if config["NAME"] in {"unwind", "postgres"}:
        sys.exit(f"Refusing to benchmark in the shared database {config['NAME']!r}.")
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    return admin, str(config["NAME"])


def ensure_database(*, fresh: bool = False) -> None:
    """Create the bench database if it is missing (never the shared `unwind` one)."""
    admin, name = _admin_cursor()
    with admin.cursor() as cursor:
        if fresh:
            if "bench" not in name:
                sys.exit(f"Refusing to drop {name!r}: a bench database has 'bench' in its name.")
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup(*, fresh: bool = False) -> None:
    ensure_database(fresh=fresh)
    import django

    django.setup()


def machine() -> str:
    """One line naming the machine, so every figure says where it came from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    database = ""
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"; PostgreSQL {cursor.fetchone()[0]}"
    except Exception:  # the facts line must never stop a bench
        database = ""
    return (
        f"machine: {platform.node()}, {cpu}, {os.cpu_count()} cores, load {load}; "
        f"Python {platform.python_version()}{database}; {time.strftime('%Y-%m-%d %H:%M')}"
    )


def measure(fn: Callable[[], Any], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def median_p95(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {ms(statistics.median(ordered))}, p95 {ms(p95)}"
