from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    THERAPIST = "therapist", _("Therapist")
    FRONT_DESK = "front_desk", _("Front desk")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")


STAFF_ROLES = frozenset({Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.CLIENT)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(role=Role.CLINIC_ADMIN, is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a client, a therapist, front-desk staff or a clinic admin."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLIENT)
    is_active = models.BooleanField(default=True)
    # Access to Django's admin site; clinic admins get it, nobody else needs it.
    is_staff = models.BooleanField(default=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set by "sign out everywhere": every session and API token from before it stops working.
    signed_out_everywhere_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name"]

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(Lower("email"), name="clinic_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    # Django ends every session whose stored hash no longer matches this one. Binding it to the
    # role and to "sign out everywhere" as well as the password means a password change or
    # reset, a role change or a sign-out-everywhere ends all sessions and API tokens
    # (clinic.tokens checks the same hash), whichever path made the change.
    def get_session_auth_hash(self) -> str:
        return self._credential_hash(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for password_hash in super().get_session_auth_fallback_hash():
            yield self._credential_hash(password_hash)

    def _credential_hash(self, password_hash: str) -> str:
        stamp = self.signed_out_everywhere_at
        parts = (password_hash, str(self.role), stamp.isoformat() if stamp else "")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_front_desk(self) -> bool:
        return self.role == Role.FRONT_DESK

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.CLINIC_ADMIN

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES


class StaffInvitation(models.Model):
    """A link a clinic admin sends so a new therapist, front-desk or admin sets up an account."""

    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(
        max_length=20,
        choices=[(role.value, role.label) for role in Role if role != Role.CLIENT],
    )
    # Only a SHA-256 of the token is kept, so a database leak cannot be replayed as links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
