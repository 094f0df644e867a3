"""Lockout on every sign-in path, per account and per client address, and its audited unlock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from clinic.api.views import LoginThrottle
from clinic.client_address import client_ip
from clinic.lockout import lockout_clear
from clinic.models import AuditEvent

pytestmark = pytest.mark.django_db

Attempt = Callable[..., Any]


@pytest.fixture(autouse=True)
def _fresh_counters():
    # Throttles and reset limits live in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


def _web(client: Client, email: str, password: str, **headers: str) -> tuple[int, bool]:
    response = client.post(reverse("login"), {"username": email, "password": password}, **headers)
    return response.status_code, "_auth_user_id" in client.session


def _admin(client: Client, email: str, password: str, **headers: str) -> tuple[int, bool]:
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": email, "password": password, "next": "/admin/"},
        **headers,
    )
    return response.status_code, "_auth_user_id" in client.session


def _api(client: Client, email: str, password: str, **headers: str) -> tuple[int, bool]:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json", **headers
    )
    return response.status_code, response.status_code == 200 and "token" in response.json()


PATHS = {"web": _web, "admin": _admin, "api": _api}


def _user(personas: Any, path: str) -> Any:
    return personas.clinic_admin if path == "admin" else personas.client


def _fail(attempt: Attempt, client: Client, email: str, times: int, rotate: bool) -> None:
    for i in range(times):
        headers = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i % 250}"} if rotate else {}
        status, signed_in = attempt(client, email, "wrong password", **headers)
        assert not signed_in
        assert status in (200, 400, 429)


@pytest.mark.parametrize("rotate", [False, True], ids=["same-address", "rotating-xff"])
@pytest.mark.parametrize("path", list(PATHS))
def test_fifty_wrong_passwords_then_the_right_one_is_refused(personas, path, rotate):
    user = _user(personas, path)
    client = Client()
    _fail(PATHS[path], client, user.email, 50, rotate)

    # Past any per-minute throttle, well inside the lockout.
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        status, signed_in = PATHS[path](
            client, user.email.upper(), personas.password, HTTP_X_FORWARDED_FOR="192.0.2.99"
        )
    assert status == 429
    assert not signed_in


@pytest.mark.parametrize("path", list(PATHS))
def test_the_lockout_answer_says_what_happened(personas, path):
    user = _user(personas, path)
    client = Client()
    _fail(PATHS[path], client, user.email, 5, rotate=False)
    if path == "api":
        response = APIClient().post(
            "/api/v1/auth/token/", {"email": user.email, "password": personas.password}
        )
        assert response.json()["code"] == "locked_out"
        message = response.json()["message"]
    else:
        url = reverse("login") if path == "web" else "/admin/login/"
        response = client.post(url, {"username": user.email, "password": personas.password})
        message = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed sign-in attempts" in message
    assert "15 minutes" in message


def test_one_address_trying_many_accounts_is_locked_even_with_rotating_xff(personas):
    client = Client()
    for i in range(50):
        _web(client, f"guess{i}@example.test", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    status, signed_in = _web(client, personas.therapist.email, personas.password)
    assert (status, signed_in) == (429, False)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_only_the_address_it_appended_counts(personas):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    client = Client()
    for i in range(50):
        # The attacker writes anything into the header; the proxy appends what it saw.
        forwarded = f"198.51.100.{i}, 203.0.113.66"
        _web(client, f"guess{i}@example.test", "x", HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    attacker = _web(
        Client(),
        personas.therapist.email,
        personas.password,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.66",
        **proxy,
    )
    assert attacker == (429, False)
    someone_else = _web(
        Client(),
        personas.therapist.email,
        personas.password,
        HTTP_X_FORWARDED_FOR="203.0.113.77",
        **proxy,
    )
    assert someone_else == (302, True)


@pytest.mark.parametrize("proxies", [0, 1, 2])
@pytest.mark.parametrize(
    "forwarded", [None, "203.0.113.5", "198.51.100.1, 203.0.113.5", "a, b, 203.0.113.5"]
)
def test_api_throttles_count_clients_as_lockout_does(settings, proxies, forwarded):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().post("/api/v1/auth/token/", **headers)
    assert LoginThrottle().get_ident(request) == client_ip(request)
    if proxies == 0:
        assert client_ip(request) == "10.0.0.1"


def test_a_successful_sign_in_before_the_limit_starts_the_count_again(personas):
    client = Client()
    _fail(_web, client, personas.client.email, 4, rotate=False)
    assert _web(client, personas.client.email, personas.password) == (302, True)
    assert not AccessAttempt.objects.filter(username=personas.client.email).exists()


def test_clinic_admin_unlocks_in_the_admin_and_the_unlock_is_audited(personas, client):
    _fail(_web, Client(), personas.client.email, 5, rotate=False)
    assert _web(Client(), personas.client.email, personas.password)[0] == 429
    attempt = AccessAttempt.objects.get(username=personas.client.email)

    client.force_login(personas.clinic_admin)
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [attempt.pk]},
    )
    assert response.status_code == 302

    assert _web(Client(), personas.client.email, personas.password) == (302, True)
    event = AuditEvent.objects.get(detail="lockout: unlocked")
    assert event.actor == personas.clinic_admin
    assert event.subject == personas.client
    assert event.object_type == "axes.AccessAttempt"


def test_deleting_an_attempt_in_the_admin_is_an_audited_unlock(personas, client):
    _fail(_web, Client(), personas.client.email, 5, rotate=False)
    attempt = AccessAttempt.objects.get(username=personas.client.email)
    client.force_login(personas.clinic_admin)
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(detail="lockout: unlocked", subject=personas.client).exists()


def test_only_a_clinic_admin_may_unlock(personas):
    _fail(_web, Client(), personas.client.email, 5, rotate=False)
    attempt = AccessAttempt.objects.get(username=personas.client.email)
    with pytest.raises(PermissionDenied):
        lockout_clear(actor=personas.therapist, attempt_ids=[attempt.pk])
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize("rotate", [False, True], ids=["same-address", "rotating-xff"])
def test_password_reset_requests_are_limited_per_account(personas, client, rotate):
    statuses = []
    for i in range(50):
        headers = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i}"} if rotate else {}
        response = client.post(
            reverse("password_reset"), {"email": personas.client.email}, **headers
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert len(mail.outbox) == 5
    assert "Too many password-reset requests" in response.content.decode()


def test_password_reset_requests_are_limited_per_address(personas, client):
    for i in range(20):
        client.post(
            reverse("password_reset"),
            {"email": f"someone{i}@example.test"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    response = client.post(reverse("password_reset"), {"email": personas.client.email})
    assert response.status_code == 429
    assert mail.outbox == []
