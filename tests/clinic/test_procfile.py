"""`make run` starts every process of the Procfile with honcho, and one process that refuses its
options stops them all: each Celery line must parse (Click checks every option before it acts
on --help, so a misplaced option fails here as it would at start-up)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PROCFILE = Path(settings.BASE_DIR) / "Procfile"


def _celery_lines() -> list[tuple[str, list[str]]]:
    lines = []
    for raw in PROCFILE.read_text().splitlines():
        name, _, command = raw.partition(":")
        argv = shlex.split(command)
        if argv and Path(argv[0]).name == "celery":
            lines.append((name.strip(), argv))
    return lines


def test_the_procfile_starts_the_web_server_workers_and_scheduler():
    names = {raw.partition(":")[0] for raw in PROCFILE.read_text().splitlines() if raw.strip()}
    assert {"web", "worker", "dispatcher", "beat"} <= names


@pytest.mark.parametrize(
    ("name", "argv"), _celery_lines(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_celery_process_accepts_its_options(name, argv):
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), *argv[1:], "--help"]
    env = {**os.environ, "DEBUG": "true"}
    result = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{name}: {result.stderr.strip()[-400:]}"
