"""Staff invitations: only clinic admins send them; links work once, until they expire."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from clinic import accounts
from clinic.exceptions import ValidationFailed
from clinic.models import Role, StaffInvitation, User
from tests.mfa import set_up_on_the_web

pytestmark = pytest.mark.django_db

STRONG = "plantar fascia sunrise 77"


def invite(client, admin, django_capture_on_commit_callbacks, **overrides: str):
    data = {
        "email": "New.Therapist@Example.test",
        "first_name": "Nia",
        "last_name": "Park",
        "role": Role.THERAPIST,
    }
    data.update(overrides)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("invitation-list"), data)


def token_from(message: mail.EmailMessage) -> str:
    url = re.search(r"https?://\S+", message.body)
    assert url
    path = urlparse(url.group(0)).path
    match = re.fullmatch(r"/accounts/invitation/([^/]+)/", path)
    assert match, path
    return match.group(1)


def accept(client, token: str, password: str = STRONG):
    return client.post(
        reverse("invitation-accept", args=[token]), {"password1": password, "password2": password}
    )


def test_admin_invites_and_the_link_creates_a_verified_staff_account(
    client, personas, django_capture_on_commit_callbacks
):
    response = invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    invitation = StaffInvitation.objects.get()
    assert invitation.email == "new.therapist@example.test"
    assert invitation.invited_by == personas.clinic_admin
    assert len(mail.outbox) == 1
    token = token_from(mail.outbox[0])
    # Only the hash is stored; the raw token is nowhere in the database row.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(StaffInvitation.objects.values().get())

    client.logout()
    assert client.get(reverse("invitation-accept", args=[token])).status_code == 200
    response = accept(client, token)

    assert response.status_code == 302
    user = User.objects.get(email="new.therapist@example.test")
    assert user.role == Role.THERAPIST
    assert user.email_verified_at is not None
    assert user.check_password(STRONG)
    invitation.refresh_from_db()
    assert invitation.accepted_user == user
    # Staff set up two-factor sign-in before anything else.
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa-setup"))
    assert set_up_on_the_web(client, user).status_code == 200
    assert client.get(reverse("home"))["Location"] == reverse("therapist-home")
    client.logout()
    assert client.login(
        request=HttpRequest(), username="NEW.therapist@example.test", password=STRONG
    )


def test_invited_clinic_admin_can_use_django_admin(
    client, personas, django_capture_on_commit_callbacks
):
    invite(
        client,
        personas.clinic_admin,
        django_capture_on_commit_callbacks,
        email="boss@example.test",
        role=Role.CLINIC_ADMIN,
    )
    client.logout()
    accept(client, token_from(mail.outbox[0]))

    user = User.objects.get(email="boss@example.test")
    assert user.is_staff
    assert not user.is_superuser
    set_up_on_the_web(client, user)
    assert client.get("/admin/clinic/location/").status_code == 200


def test_reused_link_is_refused(client, personas, django_capture_on_commit_callbacks):
    invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    token = token_from(mail.outbox[0])
    client.logout()
    accept(client, token)
    client.logout()

    response = accept(client, token, password="another strong one 123")

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="new.therapist@example.test").count() == 1
    assert User.objects.get(email="new.therapist@example.test").check_password(STRONG)


def test_expired_link_is_refused(client, personas, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    token = token_from(mail.outbox[0])
    client.logout()

    with time_machine.travel(dt.datetime(2026, 1, 12, 9, 1, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("invitation-accept", args=[token]))
        response = accept(client, token)

    assert page.status_code == response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="new.therapist@example.test").exists()


def test_revoked_link_is_refused(client, personas, django_capture_on_commit_callbacks):
    invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    token = token_from(mail.outbox[0])
    invitation = StaffInvitation.objects.get()

    response = client.post(reverse("invitation-revoke", args=[invitation.pk]))
    assert response.status_code == 302
    client.logout()

    response = accept(client, token)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not User.objects.filter(email="new.therapist@example.test").exists()


def test_unknown_link_is_404(client, db):
    response = client.get(reverse("invitation-accept", args=["made-up-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_weak_or_mismatched_password_is_a_form_error_and_the_link_stays_usable(
    client, personas, django_capture_on_commit_callbacks
):
    invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    token = token_from(mail.outbox[0])
    client.logout()

    weak = accept(client, token, password="password")
    mismatch = client.post(
        reverse("invitation-accept", args=[token]),
        {"password1": STRONG, "password2": STRONG + "x"},
    )

    assert weak.status_code == mismatch.status_code == 200
    assert "password1" in weak.context["form"].errors
    assert "password2" in mismatch.context["form"].errors
    assert not User.objects.filter(email="new.therapist@example.test").exists()
    assert accept(client, token).status_code == 302


@pytest.mark.parametrize("persona", ["client", "therapist", "front_desk"])
def test_only_clinic_admins_can_invite_or_revoke(client, personas, persona):
    admin_invitation, _token = accounts.staff_invite(
        invited_by=personas.clinic_admin,
        email="x@example.test",
        first_name="X",
        role=Role.FRONT_DESK,
    )
    client.force_login(getattr(personas, persona))

    created = client.post(
        reverse("invitation-list"),
        {"email": "sneaky@example.test", "first_name": "S", "role": Role.CLINIC_ADMIN},
    )
    revoked = client.post(reverse("invitation-revoke", args=[admin_invitation.pk]))

    assert created.status_code == revoked.status_code == 403
    assert not StaffInvitation.objects.filter(email="sneaky@example.test").exists()
    admin_invitation.refresh_from_db()
    assert admin_invitation.revoked_at is None


def test_service_refuses_a_non_admin_inviter(personas):
    with pytest.raises(ValidationFailed):
        accounts.staff_invite(
            invited_by=personas.front_desk,
            email="a@example.test",
            first_name="A",
            role=Role.THERAPIST,
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "CLIENT@example.test"}, "email"),  # already has an account
        ({"role": Role.CLIENT}, "role"),
        ({"email": "nope"}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_invitation_form_errors(
    client, personas, django_capture_on_commit_callbacks, overrides, field
):
    response = invite(
        client, personas.clinic_admin, django_capture_on_commit_callbacks, **overrides
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not StaffInvitation.objects.exists()
    assert mail.outbox == []


def test_second_open_invitation_for_the_same_address_is_refused_until_revoked(
    client, personas, django_capture_on_commit_callbacks
):
    invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    again = invite(
        client,
        personas.clinic_admin,
        django_capture_on_commit_callbacks,
        email="NEW.therapist@example.test",
    )
    assert again.status_code == 400
    assert "open invitation" in again.content.decode()

    client.post(reverse("invitation-revoke", args=[StaffInvitation.objects.get().pk]))
    third = invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    assert third.status_code == 302
    assert StaffInvitation.objects.count() == 2


def test_revoking_an_accepted_invitation_is_refused(
    client, personas, django_capture_on_commit_callbacks
):
    invite(client, personas.clinic_admin, django_capture_on_commit_callbacks)
    token = token_from(mail.outbox[0])
    invitation = StaffInvitation.objects.get()
    accounts.invitation_accept(token=token, password=STRONG)
    client.force_login(personas.clinic_admin)

    response = client.post(reverse("invitation-revoke", args=[invitation.pk]), follow=True)

    assert "already been accepted" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_list_shows_status_with_a_fixed_number_of_queries(
    client, personas, django_assert_num_queries
):
    def make(n: int) -> None:
        for i in range(n):
            StaffInvitation.objects.create(
                email=f"p{StaffInvitation.objects.count()}-{i}@example.test",
                first_name="P",
                role=Role.THERAPIST,
                token_hash=f"{StaffInvitation.objects.count()}-{i}".ljust(64, "0"),
                invited_by=personas.clinic_admin,
                expires_at=timezone.now() + dt.timedelta(days=1),
            )

    client.force_login(personas.clinic_admin)
    make(1)
    # Session, user (with its verified second factor: one more) and the invitations.
    with django_assert_num_queries(4):
        page = client.get(reverse("invitation-list"))
    assert "Open until" in page.content.decode()
    make(5)
    with django_assert_num_queries(4):
        client.get(reverse("invitation-list"))
