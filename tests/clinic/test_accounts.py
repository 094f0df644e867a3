"""Client self-registration, e-mail verification, sign-in, password reset and the profile page."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail, signing
from django.http import HttpRequest
from django.urls import reverse

from clinic import accounts
from clinic.models import ClientProfile, Role, User
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

STRONG = "a mild Tuesday fascia 42"


def registration_data(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Robin",
        "last_name": "Hale",
        "email": "Robin.Hale@Example.TEST",
        "password1": STRONG,
        "password2": STRONG,
        "phone": "+15185550199",
        "date_of_birth": "1984-03-09",
    }
    data.update(overrides)
    return data


def link_path(message: mail.EmailMessage) -> str:
    url = re.search(r"https?://\S+", message.body)
    assert url, message.body
    return urlparse(url.group(0)).path


def register(client, **overrides: str):
    return client.post(reverse("register"), registration_data(**overrides))


def test_registration_creates_unverified_client_with_profile_and_sends_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("register-done")
    user = User.objects.get(email="robin.hale@example.test")
    assert user.role == Role.CLIENT
    assert user.email_verified_at is None
    profile = ClientProfile.objects.get(user=user)
    assert profile.phone == "+15185550199"
    assert profile.date_of_birth == dt.date(1984, 3, 9)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["robin.hale@example.test"]
    assert link_path(mail.outbox[0]).startswith("/accounts/verify/")


def test_verification_link_verifies_and_then_the_client_can_sign_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    path = link_path(mail.outbox[0])

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert User.objects.get(email="robin.hale@example.test").email_verified_at is not None
    signed_in = client.post(
        reverse("login"), {"username": "ROBIN.hale@example.test", "password": STRONG}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("client-home")


def test_verification_link_expires_after_three_days(client, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        register(client)
    path = link_path(mail.outbox[0])

    with time_machine.travel(dt.datetime(2026, 3, 4, 12, 1, tzinfo=dt.UTC), tick=False):
        response = client.get(path)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert User.objects.get(email="robin.hale@example.test").email_verified_at is None


def test_verification_link_still_works_just_inside_three_days(
    client, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        register(client)
    path = link_path(mail.outbox[0])

    with time_machine.travel(dt.datetime(2026, 3, 4, 11, 59, tzinfo=dt.UTC), tick=False):
        response = client.get(path)

    assert response.status_code == 302
    assert User.objects.get(email="robin.hale@example.test").email_verified_at is not None


def test_tampered_verification_link_is_rejected(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    user = User.objects.get(email="robin.hale@example.test")
    other = ClientFactory(email="victim@example.test", email_verified_at=None)
    token = accounts.email_verification_token(user)
    value, _signature = token.rsplit(":", 1)
    forged = signing.TimestampSigner(salt="other").sign(value).rsplit(":", 1)[1]

    assert client.get(reverse("verify-email", args=[f"{value}:{forged}"])).status_code == 400
    assert client.get(reverse("verify-email", args=["garbage"])).status_code == 400
    assert client.get(reverse("verify-email", args=[token[:-2] + "xx"])).status_code == 400
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.email_verified_at is None
    assert other.email_verified_at is None


def test_link_for_a_previous_address_does_not_verify_a_new_one(client):
    user = ClientFactory(email="old@example.test", email_verified_at=None)
    token = accounts.email_verification_token(user)
    user.email = "new@example.test"
    user.save()

    assert client.get(reverse("verify-email", args=[token])).status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_unverified_client_cannot_sign_in_and_is_offered_a_resend(client):
    ClientFactory(email="pending@example.test", email_verified_at=None)

    response = client.post(
        reverse("login"),
        {"username": "pending@example.test", "password": "correct horse battery staple"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "confirm your e-mail address" in page
    assert reverse("resend-verification") in page
    assert "_auth_user_id" not in client.session


def test_unverified_client_with_wrong_password_gets_the_generic_message(client):
    ClientFactory(email="pending@example.test", email_verified_at=None)

    response = client.post(
        reverse("login"), {"username": "pending@example.test", "password": "wrong password"}
    )

    page = response.content.decode()
    assert "do not match an account" in page
    assert "confirm your e-mail" not in page


def test_unverified_client_gets_no_api_token(api_client):
    ClientFactory(email="pending@example.test", email_verified_at=None)

    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": "pending@example.test", "password": "correct horse battery staple"},
    )

    assert response.status_code == 400


def test_resend_verification_sends_a_new_link_only_to_unverified_clients(
    client, django_capture_on_commit_callbacks
):
    ClientFactory(email="pending@example.test", email_verified_at=None)
    ClientFactory(email="done@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("resend-verification"), {"email": "PENDING@example.test"})
        second = client.post(reverse("resend-verification"), {"email": "done@example.test"})
        third = client.post(reverse("resend-verification"), {"email": "nobody@example.test"})

    assert first.status_code == second.status_code == third.status_code == 302
    assert [m.to for m in mail.outbox] == [["pending@example.test"]]
    assert client.get(link_path(mail.outbox[0])).status_code == 302
    assert User.objects.get(email="pending@example.test").email_verified_at is not None


def test_registration_rejects_an_email_in_use_in_any_case(client):
    ClientFactory(email="taken@example.test")

    response = register(client, email="TAKEN@Example.test")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "This e-mail address is already registered."
    ]
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        (
            {"first_name": "Maximilian", "password1": "maximilian1", "password2": "maximilian1"},
            "password1",
        ),
        ({"email": "not-an-email"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"date_of_birth": "31/31/1999"}, "date_of_birth"),
    ],
)
def test_registration_shows_field_errors_and_creates_nothing(client, overrides, field):
    response = register(client, **overrides)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signed_in_user_visiting_register_goes_home(client, personas):
    client.force_login(personas.client)
    assert client.get(reverse("register"))["Location"] == reverse("home")


def test_login_is_case_insensitive_and_wrong_password_fails(client, personas):
    assert client.login(
        request=HttpRequest(), username="CLIENT@Example.Test", password=personas.password
    )
    client.logout()
    assert not client.login(request=HttpRequest(), username="client@example.test", password="nope")


def test_logout_requires_post(client, personas):
    client.force_login(personas.client)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, personas):
    client.force_login(personas.client)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": personas.password,
            "new_password1": STRONG,
            "new_password2": STRONG,
        },
    )
    assert response.status_code == 302
    personas.client.refresh_from_db()
    assert personas.client.check_password(STRONG)


def test_password_reset_email_flow(client, personas):
    response = client.post(reverse("password_reset"), {"email": "CLIENT@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["client@example.test"]

    path = link_path(mail.outbox[0])
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302

    personas.client.refresh_from_db()
    assert personas.client.check_password(STRONG)
    # The link works once.
    assert client.get(path, follow=True).context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "ghost@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


# --- profile ---------------------------------------------------------------------------


def test_client_edits_profile(client, personas):
    client.force_login(personas.client)
    response = client.post(
        reverse("client-profile"),
        {
            "phone": "+15185550123",
            "date_of_birth": "1975-12-01",
            "preferred_language": "nl",
            "reminder_channel": "both",
            "email_opt_in": "on",
            "sms_opt_in": "on",
        },
    )
    assert response.status_code == 302
    profile = ClientProfile.objects.get(user=personas.client)
    assert profile.phone == "+15185550123"
    assert profile.date_of_birth == dt.date(1975, 12, 1)
    assert profile.preferred_language == "nl"
    assert profile.reminder_channel == "both"
    assert profile.sms_opt_in is True
    assert profile.marketing_opt_in is False


def test_profile_rejects_sms_reminders_without_phone_and_keeps_saved_data(client, personas):
    before = ClientProfile.objects.get(user=personas.client)
    client.force_login(personas.client)

    response = client.post(
        reverse("client-profile"),
        {"phone": "", "preferred_language": "xx", "reminder_channel": "sms"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "preferred_language" in errors
    assert "phone" in errors
    after = ClientProfile.objects.get(user=personas.client)
    assert after.phone == before.phone
    assert after.preferred_language == before.preferred_language


def test_client_without_a_profile_gets_one_on_save(client):
    user = User.objects.create_user("bare@example.test", STRONG, first_name="Bo")
    user.email_verified_at = user.date_joined
    user.save()
    client.force_login(user)

    assert client.get(reverse("client-profile")).status_code == 200
    response = client.post(
        reverse("client-profile"),
        {"phone": "", "preferred_language": "en", "reminder_channel": "email"},
    )

    assert response.status_code == 302
    assert ClientProfile.objects.filter(user=user).count() == 1


def test_staff_cannot_open_the_client_profile_page(client, personas):
    for user in (personas.therapist, personas.front_desk, personas.clinic_admin):
        client.force_login(user)
        assert client.get(reverse("client-profile")).status_code == 403
