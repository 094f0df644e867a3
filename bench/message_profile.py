"""One message, in-process: the send path of a batch of due e-mail reminders, profiled.

  .venv/bin/python -m bench.message_profile [--profile]

Claims 2,000 pending e-mail reminders inside a transaction, sends them in batches of
``NOTIFICATIONS_SEND_BATCH`` through ``notifications_send_batch`` (no-op e-mail backend),
prints the wall time per message, then rolls everything back. ``--profile`` adds the top of
a cProfile of the same path (cumulative time).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time

from bench.common import machine, setup

MESSAGES = 2000


class Rollback(Exception):
    pass


def main() -> None:
    setup()
    from django.conf import settings
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from clinic.models import Notification
    from clinic.notifications.dispatch import Claim, notifications_send_batch

    print(machine())
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
    size = settings.NOTIFICATIONS_SEND_BATCH
    try:
        with transaction.atomic():
            ids = list(
                Notification.objects.filter(status="pending", kind="reminder", channel="email")
                .order_by("due_at")
                .values_list("pk", flat=True)[:MESSAGES]
            )
            Notification.objects.filter(pk__in=ids).update(
                status="claimed",
                lease_until=timezone.now() + timezone.timedelta(hours=1),
                version=F("version") + 1,
            )
            claims = [
                Claim(pk, version)
                for pk, version in Notification.objects.filter(pk__in=ids)
                .order_by("due_at")
                .values_list("pk", "version")
            ]
            # Warm up: the first batch pays imports, template compilation, catalogues.
            notifications_send_batch(claims=claims[:size], worker="profile")
            rest = claims[size:]
            if profiler:
                profiler.enable()
            began = time.perf_counter()
            outcomes: list[str] = []
            for index in range(0, len(rest), size):
                outcomes += notifications_send_batch(
                    claims=rest[index : index + size], worker="profile"
                )
            elapsed = time.perf_counter() - began
            if profiler:
                profiler.disable()
            sent = outcomes.count("sent")
            print(
                f"one message, in-process: {elapsed / len(rest) * 1000:.2f} ms wall "
                f"({sent} of {len(rest)} sent in batches of {size})"
            )
            raise Rollback
    except Rollback:
        pass
    if profiler:
        pstats.Stats(profiler).sort_stats(
            sys.argv[-1] if sys.argv[-1] in {"tottime", "cumulative"} else "cumulative"
        ).print_stats(45)


if __name__ == "__main__":
    main()
