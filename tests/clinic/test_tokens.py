"""API tokens: stored as digests, named, expiring, revoked with the credentials they came from;
staff need a one-time code; no admin page shows a key."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import urlparse

import pytest
import time_machine
import yaml
from django.contrib import admin
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from clinic import mfa
from clinic.models import ApiToken, Role, User
from clinic.tokens import api_token_issue
from tests.mfa import totp_code, totp_device_for

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
STRONG = "plantar fascia sunrise 77"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def obtain(user: User, password: str, **extra: str):
    return APIClient().post(TOKEN_URL, {"email": user.email, "password": password, **extra})


def works(key: str, url: str = "/api/v1/") -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(url).status_code


def client_token(personas) -> str:
    response = obtain(personas.client, personas.password, name="phone app")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


# --- issuing and storing ------------------------------------------------------------------


def test_a_token_has_a_name_and_an_expiry_and_only_its_digest_is_stored(personas, settings):
    before = timezone.now()
    response = obtain(personas.client, personas.password, name="phone app")
    body = response.json()

    assert response.status_code == 200
    assert body["name"] == "phone app"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=settings.API_TOKEN_HOURS) <= expires - before
    assert expires - before < dt.timedelta(hours=settings.API_TOKEN_HOURS, minutes=1)
    key = body["token"]
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiToken.objects.values()))
    assert key[8:24] not in str(list(ApiToken.objects.values()))
    assert works(key) == 200


def test_a_token_without_a_name_is_called_api(personas):
    obtain(personas.client, personas.password)
    assert ApiToken.objects.get().name == "API"


@pytest.mark.parametrize(
    ("extra", "field"), [({"name": "x" * 101}, "name"), ({"otp": "1" * 33}, "otp")]
)
def test_over_long_name_or_code_is_a_400_naming_the_field(personas, extra, field):
    response = obtain(personas.client, personas.password, **extra)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_expired_token_is_refused_and_removed(personas, settings):
    key = client_token(personas)
    later = timezone.now() + dt.timedelta(hours=settings.API_TOKEN_HOURS, seconds=1)
    with time_machine.travel(later):
        response = APIClient().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}
    assert not ApiToken.objects.exists()


# --- staff need a one-time code -----------------------------------------------------------


def test_staff_without_a_code_get_no_token(personas):
    totp_device_for(personas.therapist)
    response = obtain(personas.therapist, personas.password)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_required"
    assert "otp" in response.json()["fields"]
    assert not ApiToken.objects.exists()


def test_staff_with_a_wrong_code_get_no_token(personas):
    device = totp_device_for(personas.therapist)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = obtain(personas.therapist, personas.password, otp=wrong)
    assert response.status_code == 400
    assert response.json()["fields"]["otp"] == ["That code is not valid."]
    assert not ApiToken.objects.exists()


def test_staff_with_the_right_code_get_a_token_that_works_on_staff_endpoints(personas):
    device = totp_device_for(personas.therapist)
    response = obtain(personas.therapist, personas.password, otp=totp_code(device))
    assert response.status_code == 200
    assert ApiToken.objects.get().second_factor
    assert works(response.json()["token"], "/api/v1/intake/responses/") == 200


def test_a_recovery_code_also_gets_a_staff_token_once(personas):
    totp_device_for(personas.therapist)
    code = mfa.recovery_codes_replace(user=personas.therapist)[0]
    assert obtain(personas.therapist, personas.password, otp=code).status_code == 200
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert obtain(personas.therapist, personas.password, otp=code).status_code == 400


def test_staff_who_never_set_up_two_factor_are_told_to_do_it_on_the_web(personas):
    response = obtain(personas.front_desk, personas.password, otp="123456")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_setup_required"


def test_a_staff_token_issued_without_a_code_is_refused(personas):
    _token, key = api_token_issue(user=personas.therapist, second_factor=False)
    response = APIClient().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"


def test_wrong_codes_for_a_token_count_towards_lockout(personas, settings):
    device = totp_device_for(personas.therapist)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        obtain(personas.therapist, personas.password, otp=wrong)
    response = obtain(personas.therapist, personas.password, otp=totp_code(device))
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_a_client_gets_a_token_with_email_and_password_unless_they_turned_two_factor_on(
    personas,
):
    assert obtain(personas.client, personas.password).status_code == 200
    device = totp_device_for(personas.client)
    assert obtain(personas.client, personas.password).json()["code"] == "otp_required"
    response = obtain(personas.client, personas.password, otp=totp_code(device))
    assert response.status_code == 200


def test_turning_two_factor_on_revokes_tokens_issued_without_it(client, personas):
    key = client_token(personas)
    client.force_login(personas.client)
    client.get(reverse("mfa-setup"))
    device = TOTPDevice.objects.get(user=personas.client)
    client.post(reverse("mfa-setup"), {"code": totp_code(device)})
    assert works(key) == 401


# --- revocation ---------------------------------------------------------------------------


def test_revoked_on_password_change(client, personas):
    key = client_token(personas)
    client.force_login(personas.client)
    response = client.post(
        reverse("password_change"),
        {"old_password": personas.password, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert works(key) == 401
    # This browser stays signed in.
    assert client.get("/client/").status_code == 200


def test_revoked_on_password_reset(personas):
    key = client_token(personas)
    browser = Client()
    browser.post(reverse("password_reset"), {"email": personas.client.email})
    path = urlparse(re.search(r"https?://\S+", mail.outbox[0].body).group(0)).path
    form_page = browser.get(path, follow=True)
    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert done.status_code == 302
    assert not ApiToken.objects.exists()
    assert works(key) == 401


def test_a_password_set_any_other_way_also_kills_the_token(personas):
    key = client_token(personas)
    personas.client.set_password(STRONG)
    personas.client.save()
    assert works(key) == 401


def test_revoked_on_role_change_in_the_admin(client, personas):
    key = client_token(personas)
    user = personas.client
    client.force_login(personas.clinic_admin)
    page = client.get(reverse("admin:clinic_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(role=Role.THERAPIST, groups=[])
    response = client.post(reverse("admin:clinic_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.THERAPIST
    assert not ApiToken.objects.filter(user=user).exists()
    assert works(key) == 401


def test_a_role_change_also_ends_web_sessions(client, personas):
    client.force_login(personas.client)
    User.objects.filter(pk=personas.client.pk).update(role=Role.FRONT_DESK)
    assert client.get("/client/")["Location"].startswith(reverse("login"))


def test_sign_out_everywhere_from_the_profile_page(personas):
    key = client_token(personas)
    here, elsewhere = Client(), Client()
    here.force_login(personas.client)
    elsewhere.force_login(personas.client)
    profile = here.get(reverse("client-profile")).content.decode()
    assert reverse("sign-out-everywhere") in profile

    response = here.post(reverse("sign-out-everywhere"))

    assert response["Location"] == reverse("login")
    assert works(key) == 401
    for browser in (here, elsewhere):
        assert browser.get("/client/")["Location"].startswith(reverse("login"))
    # Signing in again works at once.
    fresh = Client()
    fresh.post(reverse("login"), {"username": personas.client.email, "password": personas.password})
    assert fresh.get("/client/").status_code == 200


def test_sign_out_everywhere_through_the_api(personas):
    key = client_token(personas)
    other = client_token(personas)
    browser = Client()
    browser.force_login(personas.client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.post("/api/v1/auth/sign-out-everywhere/")

    assert response.status_code == 200
    assert response.json() == {"tokens_revoked": 2}
    assert works(key) == works(other) == 401
    assert browser.get("/client/")["Location"].startswith(reverse("login"))


def test_a_program_revokes_its_own_token(personas):
    key = client_token(personas)
    other = client_token(personas)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/auth/token/revoke/").status_code == 204
    assert works(key) == 401
    assert works(other) == 200


def test_revoking_needs_a_token_not_a_session(personas):
    api = APIClient()
    api.force_login(personas.client)
    response = api.post("/api/v1/auth/token/revoke/")
    assert response.status_code == 400
    assert response.json()["code"] == "no_token"


def test_the_security_page_lists_tokens_without_keys_and_revokes_one(client, personas):
    key = client_token(personas)
    client.force_login(personas.client)
    page = client.get(reverse("security")).content.decode()
    assert "phone app" in page
    assert key not in page
    token = ApiToken.objects.get()
    response = client.post(reverse("token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert works(key) == 401


def test_nobody_revokes_someone_elses_token(client, personas):
    client_token(personas)
    client.force_login(personas.other_client)
    token = ApiToken.objects.get()
    assert client.post(reverse("token-revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


# --- admin and schema ---------------------------------------------------------------------


def test_no_admin_page_shows_a_key_or_a_secret(client, personas):
    key = client_token(personas)
    token = ApiToken.objects.get()
    device = totp_device_for(personas.therapist)
    codes = mfa.recovery_codes_replace(user=personas.therapist)
    static = StaticDevice.objects.get(user=personas.therapist)
    client.force_login(personas.clinic_admin)

    pages = [
        reverse("admin:clinic_apitoken_changelist"),
        reverse("admin:clinic_apitoken_change", args=[token.pk]),
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:otp_static_staticdevice_change", args=[static.pk]),
    ]
    secrets = [key, token.digest, device.key, mfa.totp_secret(device), *codes]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, url
    assert "phone app" in client.get(pages[0]).content.decode()
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_a_clinic_admin_resets_a_lost_authenticator_in_the_admin(client, personas):
    device = totp_device_for(personas.therapist)
    client.force_login(personas.clinic_admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not mfa.mfa_enabled(personas.therapist)


def test_drf_plain_tokens_are_gone():
    assert not any(model._meta.app_label == "authtoken" for model in admin.site._registry)


def test_the_openapi_document_describes_the_token_endpoints(api_client):
    document = yaml.safe_load(api_client.get("/api/v1/schema/").content)
    paths = document["paths"]
    issue = paths["/api/v1/auth/token/"]["post"]
    for status in ("200", "400", "403", "429"):
        assert status in issue["responses"], status
    request_schema = document["components"]["schemas"]["TokenInputRequest"]
    assert {"email", "password", "otp", "name"} <= set(request_schema["properties"])
    output = document["components"]["schemas"]["TokenOutput"]
    assert {"token", "name", "expires_at"} <= set(output["properties"])
    assert "204" in paths["/api/v1/auth/token/revoke/"]["post"]["responses"]
    assert "/api/v1/auth/sign-out-everywhere/" in paths
    schemes = document["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert "cookieAuth" in schemes
