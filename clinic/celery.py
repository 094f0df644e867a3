"""The Celery application. Configuration comes from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery import Celery

from clinic import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
broker.register()

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Claiming runs on its own queue, served by its own worker (Procfile: dispatcher), so a
# backlog of thousands of sends in the default queue never delays or expires a tick.
DISPATCH_QUEUE = "dispatch"
app.conf.task_routes = {"notifications.dispatch_due": {"queue": DISPATCH_QUEUE}}
app.autodiscover_tasks()
app.autodiscover_tasks(["clinic.notifications"])


@app.on_after_configure.connect
def _create_result_folder(sender: Celery, **kwargs: Any) -> None:
    # The embedded (server-less) setup keeps task results in files under var/.
    backend = str(sender.conf.result_backend or "")
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
