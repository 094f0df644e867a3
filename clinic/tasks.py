from __future__ import annotations

from celery import shared_task


@shared_task(name="clinic.ping")
def ping() -> str:
    """Answer 'pong': used by the health check's tests and operators to prove a worker runs."""
    return "pong"
