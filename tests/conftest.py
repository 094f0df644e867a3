from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from clinic.schedule_cache import schedule_forget
from tests.factories import (
    TEST_PASSWORD,
    ClientFactory,
    ClinicAdminFactory,
    FrontDeskFactory,
    TherapistUserFactory,
)
from tests.mfa import mark_second_factor_verified

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
        fixtures = getattr(item, "fixturenames", ())
        if "page" in fixtures:
            item.add_marker(pytest.mark.browser)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL to a PostgreSQL database")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# The reference data that data migrations seed, by (migration module, loader function).
_REFERENCE_DATA = [
    ("therapists.migrations.0003_seed_vocabularies", "seed"),
    ("workspace.selfcare", "exercise_library_seed"),
    ("intake.migrations.0002_default_intake_and_rules", "load"),
    ("intake.migrations.0003_outcomes", "load_builtin_instruments"),
]


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    )
    return bool(transactional or "transactional_db" in fixtures or "live_server" in fixtures)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    """Reload the migrations' reference data for a transactional test that finds it gone.

    A transactional test ends with a flush, which deletes the condition list, the default
    intake and its screening rules, the exercise library and the built-in outcome measures.
    Django's serialized rollback cannot restore them here: Playwright's session-wide event
    loop gives tests a different connection object from the one the contents were kept on.
    """
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from therapists.models import Condition

    if Condition.objects.exists():
        return
    for module, loader in _REFERENCE_DATA:
        getattr(importlib.import_module(module), loader)(apps, None)


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


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(request: pytest.FixtureRequest, monkeypatch) -> None:
    """``client.force_login(user)`` signs in as the real two-step sign-in would end: staff (and
    clients who turned two-factor sign-in on) with a verified second factor in the session.

    Production is untouched: the session gets a real confirmed TOTP device's id, exactly what
    the verify page stores. Mark a test ``password_only`` to get a session without it.
    DRF's ``force_authenticate`` bypasses authentication altogether, so it needs nothing.
    """
    if request.node.get_closest_marker("password_only"):
        return
    force_login = Client.force_login

    def force_login_verified(self: Client, user: Any, backend: str | None = None) -> None:
        force_login(self, user, backend)
        mark_second_factor_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a rolled-back policy must not outlive its test."""
    cache.clear()
    caches["schedule"].clear()
    schedule_forget()
    yield
    cache.clear()
    caches["schedule"].clear()
    schedule_forget()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in LANGUAGE_CODE: a request answered in Dutch (a client's preference,
    Accept-Language) leaves Dutch active in the thread, as Django's LocaleMiddleware does."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
