from __future__ import annotations

from tests.intake.conftest import submit_intake, treats  # noqa: F401 - shared fixtures
from tests.outbox import _empty_sms_outbox, clinic, gate, pinned  # noqa: F401 - shared fixtures
