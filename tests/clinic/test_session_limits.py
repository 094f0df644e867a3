"""Staff idle timeout and the absolute session lifetime (clinic.session_limits)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_staff_are_signed_out_after_fifteen_idle_minutes(client, personas, clock):
    client.force_login(personas.therapist)
    assert client.get(reverse("therapist-home")).status_code == 200

    clock.shift(timedelta(minutes=14))
    assert client.get(reverse("therapist-home")).status_code == 200
    clock.shift(timedelta(minutes=16))
    response = client.get(reverse("therapist-home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _signed_in(client)
    assert any("without activity" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("persona", ["front_desk", "clinic_admin"])
def test_every_staff_role_has_the_idle_timeout(client, personas, clock, persona):
    client.force_login(getattr(personas, persona))
    client.get(reverse("home"))
    clock.shift(timedelta(minutes=16))
    client.get(reverse("home"))
    assert not _signed_in(client)


def test_activity_keeps_a_staff_session_alive(client, personas, clock):
    client.force_login(personas.therapist)
    for _ in range(12):
        assert client.get(reverse("therapist-home")).status_code == 200
        clock.shift(timedelta(minutes=10))
    assert _signed_in(client)


def test_the_idle_timeout_comes_from_settings(client, personas, clock, settings):
    settings.STAFF_IDLE_MINUTES = 30
    client.force_login(personas.therapist)
    client.get(reverse("therapist-home"))
    clock.shift(timedelta(minutes=25))
    assert client.get(reverse("therapist-home")).status_code == 200


def test_clients_have_no_idle_timeout(client, personas, clock):
    client.force_login(personas.client)
    client.get(reverse("client-home"))
    clock.shift(timedelta(hours=2))
    assert client.get(reverse("client-home")).status_code == 200


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_every_session_ends_at_its_absolute_lifetime_however_busy(client, personas, clock, persona):
    client.force_login(getattr(personas, persona))
    for _ in range(12 * 6):
        client.get(reverse("home"))
        clock.shift(timedelta(minutes=10))
    assert _signed_in(client)
    clock.shift(timedelta(minutes=1))
    client.get(reverse("home"))
    assert not _signed_in(client)


def test_the_session_cookie_lasts_no_longer_than_the_session():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_HOURS * 3600 == 12 * 3600
    assert settings.STAFF_IDLE_MINUTES == 15
