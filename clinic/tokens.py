"""API tokens: issued with a name and an expiry, stored only as a SHA-256 digest, and dead as
soon as their owner's password, role or "sign out everywhere" changes.

A key carries 256 random bits, so a fast hash is enough: nobody can guess a key from its
digest, and lookups stay one indexed query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from clinic.models import ApiToken, User

KEY_PREFIX = "unw_"
DEFAULT_NAME = "API"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _credential(session_auth_hash: str) -> str:
    return salted_hmac(
        "clinic.tokens.credential", session_auth_hash, algorithm="sha256"
    ).hexdigest()


def user_credential(user: User) -> str:
    """What a token remembers of its owner's credentials (see ``User.get_session_auth_hash``)."""
    return _credential(user.get_session_auth_hash())


def _credential_matches(token: ApiToken, user: User) -> bool:
    if constant_time_compare(token.credential, user_credential(user)):
        return True
    # A rotated SECRET_KEY with the old one in SECRET_KEY_FALLBACKS keeps tokens, as sessions.
    return any(
        constant_time_compare(token.credential, _credential(fallback))
        for fallback in user.get_session_auth_fallback_hash()
    )


@transaction.atomic
def api_token_issue(
    *, user: User, name: str = "", second_factor: bool, hours: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it and its key, which is never stored or shown again."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name.strip() or DEFAULT_NAME,
        digest=token_digest(key),
        credential=user_credential(user),
        second_factor=second_factor,
        created_at=now,
        expires_at=now + dt.timedelta(hours=hours or settings.API_TOKEN_HOURS),
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token with ``key``, or None if it is unknown, expired, revoked or its user may
    no longer sign in. Expired and revoked tokens are deleted on sight."""
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(key.strip())).first()
    if token is None:
        return None
    if token.is_expired or not _credential_matches(token, token.user):
        token.delete()
        return None
    if not token.user.is_active:
        return None
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """Delete one token (signing out the API client that holds it)."""
    ApiToken.objects.filter(pk=token.pk).delete()


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    """Delete every token of ``user``; returns how many there were."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
