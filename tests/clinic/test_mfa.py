"""Two-factor sign-in: mandatory for staff on every page and API call, optional for clients;
set-up with a QR code, verification, recovery codes that work once, lockout on wrong codes."""

from __future__ import annotations

import base64
import io
import re

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from clinic import mfa
from clinic.models import STAFF_ROLES, User
from tests.mfa import set_up_on_the_web, totp_code, totp_device_for

pytestmark = pytest.mark.django_db

STAFF = ["therapist", "front_desk", "clinic_admin"]
STAFF_PAGES = {
    "therapist": ["/therapist/", "/intake/review/"],
    "front_desk": ["/front-desk/", "/booking/board/"],
    "clinic_admin": ["/clinic-admin/", "/admin/", "/admin/clinic/auditevent/"],
}
STAFF_API = {
    "therapist": "/api/v1/intake/responses/",
    "front_desk": "/api/v1/appointments/",
    "clinic_admin": "/api/v1/appointments/",
}


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _verify(client: Client, code: str, next_url: str = "/home/"):
    return client.post(f"{reverse('mfa-verify')}?next={next_url}", {"code": code})


# --- staff are stopped until they verify ------------------------------------------------------


@pytest.mark.password_only
@pytest.mark.parametrize("persona", STAFF)
def test_staff_without_a_second_factor_are_sent_to_set_one_up_on_every_page(
    client, personas, persona
):
    user = getattr(personas, persona)
    client.force_login(user)
    for url in STAFF_PAGES[persona]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa-setup")), url
        assert f"next={url.replace('/', '%2F')}" in response["Location"]


@pytest.mark.password_only
@pytest.mark.parametrize("persona", STAFF)
def test_staff_with_an_authenticator_are_sent_to_verify_and_then_reach_the_page(
    client, personas, persona
):
    user = getattr(personas, persona)
    device = totp_device_for(user)
    client.force_login(user)
    url = STAFF_PAGES[persona][0]

    response = client.get(url)
    assert response["Location"] == f"{reverse('mfa-verify')}?next={url.replace('/', '%2F')}"

    response = _verify(client, totp_code(device), next_url=url)
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url).status_code == 200


@pytest.mark.password_only
@pytest.mark.parametrize("persona", STAFF)
def test_a_staff_api_call_on_an_unverified_session_gets_401_in_the_error_shape(personas, persona):
    user = getattr(personas, persona)
    totp_device_for(user)
    api = APIClient()
    api.force_login(user)

    response = api.get(STAFF_API[persona])

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("persona", STAFF)
def test_a_staff_api_call_on_a_verified_session_is_served(personas, persona):
    api = APIClient()
    api.force_login(getattr(personas, persona))
    assert api.get(STAFF_API[persona]).status_code == 200


@pytest.mark.password_only
def test_an_htmx_request_on_an_unverified_staff_session_reloads_the_whole_page(client, personas):
    client.force_login(personas.front_desk)
    response = client.get("/booking/board/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("mfa-setup"))


@pytest.mark.password_only
def test_sign_out_stays_reachable_without_a_second_factor(client, personas):
    client.force_login(personas.therapist)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# --- clients ------------------------------------------------------------------------------


@pytest.mark.password_only
def test_a_client_without_two_factor_is_not_stopped(client, personas):
    client.force_login(personas.client)
    assert client.get("/client/").status_code == 200
    assert client.get(reverse("security")).status_code == 200
    api = APIClient()
    api.force_login(personas.client)
    assert api.get("/api/v1/appointments/").status_code == 200


@pytest.mark.password_only
def test_a_client_who_turned_it_on_must_verify_too(client, personas):
    device = totp_device_for(personas.client)
    client.force_login(personas.client)
    assert client.get("/client/")["Location"].startswith(reverse("mfa-verify"))
    assert _verify(client, totp_code(device), "/client/")["Location"] == "/client/"
    assert client.get("/client/").status_code == 200


def test_a_client_turns_two_factor_on_from_the_security_page_and_off_again(client, personas):
    client.force_login(personas.client)
    page = client.get(reverse("security")).content.decode()
    assert reverse("mfa-setup") in page

    codes_page = set_up_on_the_web(client, personas.client)
    assert codes_page.status_code == 200
    assert mfa.mfa_enabled(personas.client)
    assert client.get("/client/").status_code == 200  # verified by the set-up itself

    response = client.post(reverse("mfa-disable"))
    assert response.status_code == 302
    assert not mfa.mfa_enabled(personas.client)
    assert not StaticToken.objects.filter(device__user=personas.client).exists()


def test_staff_cannot_turn_two_factor_off(client, personas):
    client.force_login(personas.therapist)
    response = client.post(reverse("mfa-disable"), follow=True)
    assert "required for clinic staff" in response.content.decode()
    assert mfa.mfa_enabled(personas.therapist)


# --- set-up -------------------------------------------------------------------------------


@pytest.mark.password_only
def test_set_up_shows_the_otpauth_link_as_text_and_as_a_qr_code(client, personas):
    client.force_login(personas.therapist)
    page = client.get(reverse("mfa-setup")).content.decode()
    device = TOTPDevice.objects.get(user=personas.therapist, confirmed=False)

    assert "otpauth://totp/" in page
    assert mfa.totp_secret(device) in page
    assert "issuer=Unwind" in page
    assert "<svg" in page
    assert "<script" not in page.split("<main", 1)[1]
    # Reloading the page keeps the same secret until it is confirmed.
    client.get(reverse("mfa-setup"))
    assert TOTPDevice.objects.filter(user=personas.therapist).count() == 1


@pytest.mark.password_only
def test_set_up_refuses_a_wrong_code_and_confirms_with_the_right_one(client, personas):
    client.force_login(personas.therapist)
    client.get(reverse("mfa-setup"))
    device = TOTPDevice.objects.get(user=personas.therapist)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa-setup"), {"code": wrong})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert not mfa.mfa_enabled(personas.therapist)

    response = client.post(f"{reverse('mfa-setup')}?next=/therapist/", {"code": totp_code(device)})
    page = response.content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>", page)
    assert len(codes) == mfa.RECOVERY_CODE_COUNT
    assert "only time they are shown" in page
    assert 'href="/therapist/"' in page
    assert mfa.mfa_enabled(personas.therapist)
    assert client.get("/therapist/").status_code == 200


def test_recovery_codes_are_stored_only_as_digests(personas):
    codes = mfa.recovery_codes_replace(user=personas.client)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == len(codes)
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


# --- verification -------------------------------------------------------------------------


@pytest.mark.password_only
def test_a_recovery_code_signs_in_once(client, personas):
    user = personas.therapist
    totp_device_for(user)
    first, second, *_rest = mfa.recovery_codes_replace(user=user)

    client.force_login(user)
    response = _verify(client, first.upper().replace("-", " "), "/therapist/")
    assert response["Location"] == "/therapist/"
    assert client.get("/therapist/").status_code == 200
    assert mfa.recovery_codes_left(user) == mfa.RECOVERY_CODE_COUNT - 1

    again = Client()
    again.force_login(user)
    response = _verify(again, first)
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert again.get("/therapist/").status_code == 302
    # django-otp slows down a device after a failure; a second try a moment later is fine.
    StaticDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    assert _verify(again, second)["Location"] == "/home/"


@pytest.mark.password_only
def test_a_wrong_code_is_refused(client, personas):
    device = totp_device_for(personas.therapist)
    client.force_login(personas.therapist)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    for code in (wrong, "abc", "1" * 32):
        response = _verify(client, code)
        assert response.status_code == 200
        assert "That code is not valid" in response.content.decode()
    assert client.get("/therapist/").status_code == 302


@pytest.mark.password_only
def test_an_over_long_code_is_a_form_error_not_a_crash(client, personas):
    totp_device_for(personas.therapist)
    client.force_login(personas.therapist)
    response = _verify(client, "9" * 500)
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


@pytest.mark.password_only
def test_wrong_codes_count_towards_lockout(personas, settings):
    user = personas.therapist
    device = totp_device_for(user)
    client = Client()
    client.force_login(user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    statuses = [_verify(client, wrong).status_code for _ in range(settings.LOGIN_FAILURE_LIMIT)]

    assert statuses[-1] == 429
    assert "_auth_user_id" not in client.session  # signed out
    assert AccessAttempt.objects.filter(username=user.email).exists()
    # The password alone no longer opens the account either.
    response = Client().post(
        reverse("login"), {"username": user.email, "password": personas.password}
    )
    assert response.status_code == 429


def test_the_verify_page_sends_an_already_verified_session_on(client, personas):
    client.force_login(personas.therapist)
    response = client.get(f"{reverse('mfa-verify')}?next=/therapist/")
    assert response["Location"] == "/therapist/"


@pytest.mark.password_only
def test_the_verify_page_ignores_an_offsite_next(client, personas):
    device = totp_device_for(personas.therapist)
    client.force_login(personas.therapist)
    response = _verify(client, totp_code(device), "https://evil.example/")
    assert response["Location"] == "/home/"


def test_new_recovery_codes_replace_the_old_ones(client, personas):
    old = mfa.recovery_codes_replace(user=personas.therapist)
    client.force_login(personas.therapist)
    page = client.post(reverse("mfa-recovery-codes")).content.decode()
    new = re.findall(r"<code>([a-z2-7-]{19})</code>", page)
    assert len(new) == mfa.RECOVERY_CODE_COUNT
    assert not set(new) & set(old)
    assert mfa.second_factor_check(user=personas.therapist, code=old[0]) is None


# --- demo ---------------------------------------------------------------------------------


def test_seed_demo_prints_a_working_totp_secret_for_each_staff_account():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    output = out.getvalue()
    staff = User.objects.filter(email__endswith="@demo.unwind.test", role__in=STAFF_ROLES)
    assert staff.count() >= 3
    for user in staff:
        match = re.search(rf"{re.escape(user.email)}\s+([A-Z2-7]{{32}})\b", output)
        assert match, user.email
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        key = base64.b32decode(match.group(1))
        assert TOTP(key).token() == TOTP(device.bin_key).token()
    # Re-running keeps the secrets a tester already added to an app.
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert output.split("Staff two-factor")[1] == again.getvalue().split("Staff two-factor")[1]
