"""The API keeps the promises of its OpenAPI document, under generated input, for a client, a
therapist and front desk: schemathesis against the live test server, no server error and no
answer (status, content type, body, headers) the document does not describe.

Deterministic: a fixed seed, a bounded number of examples per operation, derandomised
generation and no example database; it talks only to the live server on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.access_world import build_world
from tests.factories import TEST_PASSWORD
from tests.mfa import totp_code, totp_device_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.schemathesis]

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    ]
)
# About a minute per persona on two shared cores. The coverage phase (boundary values of every
# parameter, ~1500 cases per persona) adds about two and a half minutes each:
# SCHEMATHESIS_PHASES=examples,coverage,fuzzing runs it.
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10")
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing")


def _token(base: str, user: Any) -> str:
    # Staff need their one-time code too (two-factor sign-in is mandatory for them).
    sign_in = {"email": user.email, "password": TEST_PASSWORD}
    if user.role != "client":
        sign_in["otp"] = totp_code(totp_device_for(user))
    body = json.dumps(sign_in).encode()
    url = f"{base}/api/v1/auth/token/"  # the live server: always http://127.0.0.1
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return json.load(answer)["token"]


@pytest.mark.parametrize("persona", ["client", "therapist", "front_desk"])
def test_api_answers_as_its_schema_says(live_server, personas, persona, tmp_path):
    build_world(personas)
    base = live_server.url.replace("localhost", "127.0.0.1")
    token = _token(base, getattr(personas, persona))
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base}/api/v1/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        CHECKS,
        "--phases",
        PHASES,
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        "20261201",
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--continue-on-failure",
        "--no-color",
        # Sign-in is fuzzed by the other personas' runs and by its own tests; fuzzing it here
        # locks 127.0.0.1 out (clinic.lockout), which is the point of the lockout.
        "--exclude-path",
        "/api/v1/auth/token/",
    ]
    env = {**os.environ, "NO_PROXY": "*", "no_proxy": "*", "HOME": str(tmp_path)}
    run = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=900, check=False
    )
    (tmp_path.parent / f"schemathesis-{persona}.txt").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
