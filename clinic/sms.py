"""Sending text messages through a pluggable backend chosen by ``settings.SMS_BACKEND``.

``console`` and ``file`` are for development, ``locmem`` for tests (``clinic.sms.outbox``) and
``twilio`` is the one real provider; ``noop`` drops every message (load tests). Message
bodies never carry health details; callers render them from templates that only name the
place and time.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    """The message was not accepted; the text is safe to store (no message body in it)."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


# The locmem backend appends here, as Django's locmem e-mail backend does for mail.outbox.
outbox: list[SmsMessage] = []


class BaseSmsBackend:
    name: ClassVar[str] = "base"

    def send(self, message: SmsMessage) -> str:
        """Send one message and return the provider's id for it; raise SmsError on failure."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    name = "console"

    def send(self, message: SmsMessage) -> str:
        sys.stdout.write(f"SMS to {message.to}: {message.body}\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4()}"


class FileSmsBackend(BaseSmsBackend):
    name = "file"

    def send(self, message: SmsMessage) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        message_id = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}"
        (folder / f"{message_id}.txt").write_text(f"To: {message.to}\n\n{message.body}\n")
        return message_id


class LocmemSmsBackend(BaseSmsBackend):
    name = "locmem"

    def send(self, message: SmsMessage) -> str:
        outbox.append(message)
        return f"locmem-{len(outbox)}"


class NoopSmsBackend(BaseSmsBackend):
    """Accepts and drops every message: for load tests of the notification pipeline."""

    name = "noop"

    def send(self, message: SmsMessage) -> str:
        return "noop"


class TwilioSmsBackend(BaseSmsBackend):
    """Twilio's Messages API over HTTPS; never called in tests."""

    name = "twilio"
    endpoint = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
    timeout_seconds = 15

    def send(self, message: SmsMessage) -> str:
        sid, token = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN
        if not (sid and token and settings.SMS_FROM_NUMBER):
            raise SmsError("Twilio is not configured (account SID, token, from number).")
        data = urllib.parse.urlencode(
            {"To": message.to, "From": settings.SMS_FROM_NUMBER, "Body": message.body}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - fixed https endpoint
            self.endpoint.format(sid=urllib.parse.quote(sid)), data=data, method="POST"
        )
        credentials = base64.b64encode(f"{sid}:{token}".encode()).decode()
        request.add_header("Authorization", f"Basic {credentials}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                return str(json.loads(response.read()).get("sid", ""))
        except urllib.error.HTTPError as exc:
            raise SmsError(f"Twilio answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsError(f"Twilio unreachable: {type(exc).__name__}") from None


BACKENDS: dict[str, type[BaseSmsBackend]] = {
    backend.name: backend
    for backend in (
        ConsoleSmsBackend,
        FileSmsBackend,
        LocmemSmsBackend,
        NoopSmsBackend,
        TwilioSmsBackend,
    )
}


def get_sms_backend() -> BaseSmsBackend:
    return BACKENDS[settings.SMS_BACKEND]()


def send_sms(*, to: str, body: str) -> str:
    """Send ``body`` to the phone number ``to`` with the configured backend."""
    if not to:
        raise SmsError("No phone number.")
    return get_sms_backend().send(SmsMessage(to=to, body=body))
