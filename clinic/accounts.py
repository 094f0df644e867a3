"""Account services: client registration and e-mail verification, staff invitations, profiles.

Every write is keyword-only and atomic; e-mails go out only after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import ClientProfile, Role, StaffInvitation, User
from clinic.tokens import api_tokens_revoke

EMAIL_VERIFICATION_SALT = "clinic.accounts.email-verification"
EMAIL_VERIFICATION_MAX_AGE = dt.timedelta(days=3)
INVITABLE_ROLES = (Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN)
# The fields a form may set, in the order a form shows them.
PROFILE_FIELDS = (
    "phone",
    "date_of_birth",
    "preferred_language",
    "reminder_channel",
    "email_opt_in",
    "sms_opt_in",
    "marketing_opt_in",
)


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def email_in_use(email: str) -> bool:
    return User.objects.filter(email__iexact=normalize_email(email)).exists()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _mail(*, template: str, to: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send them after commit."""
    context = {"CLINIC_NAME": settings.CLINIC_NAME, **context}
    subject = render_to_string(f"clinic/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"clinic/email/{template}.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    )


def _validated_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(
            " ".join(error.messages), extra={"fields": {"password": list(error.messages)}}
        ) from None


# --- client registration and e-mail verification ---------------------------------------


@transaction.atomic
def client_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str = "",
    phone: str = "",
    date_of_birth: dt.date | None = None,
    preferred_language: str = "",
) -> User:
    """Create an unverified client with a profile and e-mail them a verification link; pages and
    messages use ``preferred_language`` (the language they registered in) when it is offered."""
    email = normalize_email(email)
    if email_in_use(email):
        raise ValidationFailed(
            _("An account with this e-mail address already exists."),
            extra={"fields": {"email": [_("This e-mail address is already registered.")]}},
        )
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.role = Role.CLIENT
    _validated_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    profile = ClientProfile(user=user, phone=phone.strip(), date_of_birth=date_of_birth)
    if preferred_language in dict(settings.LANGUAGES):
        profile.preferred_language = preferred_language
    profile.full_clean()
    profile.save()
    email_verification_send(user=user)
    return user


def email_verification_token(user: User) -> str:
    """A signed token naming the user and the address being verified; it expires in 3 days."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_VERIFICATION_SALT)


def email_verification_send(*, user: User) -> None:
    """E-mail ``user`` a link that verifies their address."""
    path = reverse("verify-email", kwargs={"token": email_verification_token(user)})
    days = EMAIL_VERIFICATION_MAX_AGE.days
    _mail(
        template="verify_email",
        to=user.email,
        context={"user": user, "link": _absolute(path), "days": days},
    )


def email_verification_resend(*, email: str) -> None:
    """Send a fresh link if ``email`` belongs to an unverified client; silently nothing otherwise.

    Saying nothing either way keeps the form from revealing who has an account.
    """
    user = User.objects.filter(
        email__iexact=normalize_email(email),
        role=Role.CLIENT,
        email_verified_at__isnull=True,
        is_active=True,
    ).first()
    if user is not None:
        email_verification_send(user=user)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in ``token`` verified; raise ValidationFailed if the link is bad or old."""
    try:
        data = signing.loads(
            token,
            salt=EMAIL_VERIFICATION_SALT,
            max_age=EMAIL_VERIFICATION_MAX_AGE,
        )
    except signing.SignatureExpired:
        raise ValidationFailed(
            _("This verification link has expired. Ask for a new one below."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationFailed(
            _("This verification link is not valid. Ask for a new one below."), code="bad_link"
        ) from None
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    # A link sent to an old address must not verify a new one.
    if user is None or user.email != data.get("e"):
        raise ValidationFailed(_("This verification link is not valid."), code="bad_link")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


# --- signing out everywhere ----------------------------------------------------------------


@transaction.atomic
def account_sign_out_everywhere(*, user: User) -> int:
    """End every web session and revoke every API token of ``user``; returns tokens revoked.

    Sessions end because the user's session hash changes (``User.get_session_auth_hash``).
    """
    user.signed_out_everywhere_at = timezone.now()
    user.save(update_fields=["signed_out_everywhere_at"])
    return api_tokens_revoke(user=user)


# --- client profile ----------------------------------------------------------------------


@transaction.atomic
def client_profile_update(*, user: User, **fields: Any) -> ClientProfile:
    """Change a client's contact details and communication preferences."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    profile, _created = ClientProfile.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    try:
        profile.full_clean()
    except ValidationError as error:
        raise ValidationFailed(
            _("Please correct the profile."), extra={"fields": error.message_dict}
        ) from None
    profile.save()
    return profile


@transaction.atomic
def client_language_set(*, user: User, language: str) -> None:
    """Store the language a client reads pages and messages in (no-op for staff)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("Choose one of the offered languages."), extra={"fields": {"language": [language]}}
        )
    ClientProfile.objects.filter(user=user).update(preferred_language=language)


# --- staff invitations -------------------------------------------------------------------


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def staff_invite(
    *,
    invited_by: User,
    email: str,
    first_name: str,
    last_name: str = "",
    role: str,
) -> tuple[StaffInvitation, str]:
    """Create an invitation and e-mail its link; returns the invitation and the raw token.

    Only the token's SHA-256 is stored, so the raw token exists only in the e-mail.
    """
    if invited_by.role != Role.CLINIC_ADMIN:
        raise ValidationFailed(_("Only clinic admins can invite staff."), code="forbidden")
    if role not in INVITABLE_ROLES:
        raise ValidationFailed(
            _("Choose a staff role."), extra={"fields": {"role": [_("Choose a staff role.")]}}
        )
    email = normalize_email(email)
    if email_in_use(email):
        raise ValidationFailed(
            _("Someone already has an account with this e-mail address."),
            extra={"fields": {"email": [_("This e-mail address already has an account.")]}},
        )
    if any(i.is_open for i in StaffInvitation.objects.filter(email__iexact=email)):
        raise ValidationFailed(
            _("An open invitation for this address exists; revoke it before inviting again."),
            extra={"fields": {"email": [_("This address already has an open invitation.")]}},
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = StaffInvitation(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.STAFF_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    link = _absolute(reverse("invitation-accept", kwargs={"token": token}))
    _mail(
        template="staff_invitation",
        to=email,
        context={"invitation": invitation, "link": link, "inviter": invited_by},
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: StaffInvitation) -> StaffInvitation:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationFailed(_("This invitation has already been accepted."), code="used")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_check(invitation: StaffInvitation | None) -> StaffInvitation:
    """Return ``invitation`` if it can still be accepted, else raise with a clear reason."""
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."), code="bad_link")
    if invitation.accepted_at is not None:
        raise ValidationFailed(
            _("This invitation has already been used. Sign in with your e-mail address."),
            code="used",
        )
    if invitation.revoked_at is not None:
        raise ValidationFailed(
            _("This invitation was withdrawn. Ask the clinic for a new one."), code="revoked"
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationFailed(
            _("This invitation has expired. Ask the clinic for a new one."), code="expired"
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Create the invited staff account with ``password`` and a verified e-mail address."""
    invitation = invitation_check(
        StaffInvitation.objects.select_for_update()
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if email_in_use(invitation.email):
        raise ValidationFailed(
            _("An account with this e-mail address already exists. Sign in instead."),
            code="used",
        )
    user = User(
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        role=invitation.role,
        is_staff=invitation.role == Role.CLINIC_ADMIN,
        email_verified_at=timezone.now(),
    )
    _validated_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user
