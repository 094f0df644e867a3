from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import (
    TEST_PASSWORD,
    ClientFactory,
    ClinicAdminFactory,
    FrontDeskFactory,
    TherapistUserFactory,
)

# live_server tests use the ORM from Playwright's event-loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Drive Debian's Chromium: Playwright cannot download its own browser here."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs it with apt-get.")
        pytest.skip("browser tests need Chromium: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@dataclass
class Personas:
    """One user of each kind, plus an outsider of the same kind for 'not yours' tests."""

    client: Any
    other_client: Any
    therapist: Any
    other_therapist: Any
    front_desk: Any
    clinic_admin: Any

    password: str = TEST_PASSWORD


@pytest.fixture
def personas(db: None) -> Personas:
    return Personas(
        client=ClientFactory(email="client@example.test", first_name="Casey"),
        other_client=ClientFactory(email="other-client@example.test", first_name="Olive"),
        therapist=TherapistUserFactory(email="therapist@example.test", first_name="Theo"),
        other_therapist=TherapistUserFactory(
            email="other-therapist@example.test", first_name="Tara"
        ),
        front_desk=FrontDeskFactory(email="frontdesk@example.test", first_name="Frida"),
        clinic_admin=ClinicAdminFactory(email="admin@example.test", first_name="Ada"),
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client: APIClient):
    """Return a function that authenticates the API client as a user (session-free)."""

    def login(user: Any) -> APIClient:
        api_client.force_authenticate(user=user)
        return api_client

    return login
