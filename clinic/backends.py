"""Authentication by e-mail address, case-insensitively, refusing unverified clients."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from clinic.models import Role, User


class EmailBackend(ModelBackend):
    """Sign in with an e-mail address in any letter case.

    A client whose e-mail address is not verified yet cannot sign in (web or API token).
    Sessions that already exist are left to ``get_user``'s ``is_active`` check, so verifying
    is a sign-in rule rather than something that logs people out.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if not email or password is None:
            return None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            # Spend the time of one hash, so response times don't reveal which emails exist.
            User().set_password(password)
            return None
        if not user.check_password(password) or not self.user_can_authenticate(user):
            return None
        if needs_verification(user):
            return None
        return user

    # Clinic admins run the clinic, including Django's admin site, without being superusers.
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if _is_clinic_admin(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if _is_clinic_admin(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)


def _is_clinic_admin(user: User) -> bool:
    return bool(user.is_active and getattr(user, "role", None) == Role.CLINIC_ADMIN)


def needs_verification(user: User) -> bool:
    """Whether ``user`` is a client who has not yet confirmed their e-mail address."""
    return user.role == Role.CLIENT and user.email_verified_at is None
