"""How API calls are authenticated: a hashed, expiring token, or the web session; either way a
staff member (or a client who turned two-factor sign-in on) must have verified a second factor.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from clinic import mfa
from clinic.models import ApiToken, User
from clinic.tokens import api_token_for_key


class SecondFactorRequired(exceptions.AuthenticationFailed):
    default_detail = _(
        "A verified second factor is required: staff ask for a token with their one-time code, "
        "or verify the code on the web first."
    )
    default_code = "mfa_required"


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` with a key from ``POST /api/v1/auth/token/``."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Invalid, expired or revoked token. Ask for a new one.")
            )
        # Tokens are issued without a code only to users who had no second factor then; turning
        # one on revokes them, and a role change makes them invalid (User.get_session_auth_hash).
        if token.user.is_clinic_staff and not token.second_factor:
            raise SecondFactorRequired
        return token.user, token


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The web session, once its second factor is verified where one is needed."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is not None and mfa.second_factor_missing(request._request):
            raise SecondFactorRequired
        return result


class VerifiedSessionScheme(SessionScheme):
    """OpenAPI: the same cookie scheme as DRF's session authentication."""

    target_class = "clinic.api.authentication.VerifiedSessionAuthentication"
