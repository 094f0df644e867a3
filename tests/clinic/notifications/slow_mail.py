"""An e-mail backend for the crash tests: one file per message, then a pause (a slow provider)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{message.extra_headers['X-Unwind-Notification']}-{uuid.uuid4().hex}.eml"
            (folder / name).write_bytes(message.message().as_bytes())
            # The provider took it; a kill during this pause is a kill "mid-send".
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.2")))
        return len(email_messages)


def sent_ids(folder: Path) -> list[int]:
    return [int(path.name.split("-", 1)[0]) for path in folder.glob("*.eml")]
