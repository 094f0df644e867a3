"""Sign-in lockout (django-axes): who counts as one account, what a locked-out visitor sees,
the clinic admin's audited unlock, and the limit on password-reset requests.

Every sign-in path (web, admin, API token) authenticates through ``AxesStandaloneBackend`` and
passes the request, so failures are counted per account and per client address
(:func:`clinic.client_address.client_ip`) and a locked account or address is refused even
with the right password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinic.api.errors import error_body
from clinic.audit import audit_record_many
from clinic.client_address import client_ip
from clinic.models import AuditAction, Role, User


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in attempt names, as axes counts it: the e-mail, lower-cased.

    The web and admin forms send ``username``, the API token view ``email``; both name the
    same account, in any letter case.
    """
    value: Any = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if value is None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("username") or data.get("email")
    return value.strip().lower() if isinstance(value, str) else ""


def lockout_message() -> str:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Too many failed sign-in attempts for this account or from this network. "
        "Try again in %(minutes)d minute, or ask the clinic to unlock the account.",
        "Too many failed sign-in attempts for this account or from this network. "
        "Try again in %(minutes)d minutes, or ask the clinic to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with a clear message: the API's error shape under /api/, a page elsewhere."""
    message = lockout_message()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("locked_out", message), status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return response


@transaction.atomic
def lockout_clear(
    *, actor: User, attempt_ids: list[int], request: HttpRequest | None = None
) -> int:
    """Unlock the accounts and addresses of the given failed-attempt records, audited.

    Clears every record that shares an account or an address with one of them, so the person
    can sign in again at once; only a clinic admin may do it. Returns how many were cleared.
    """
    # Imported here: axes' models module reads settings when it loads.
    from axes.models import AccessAttempt

    if not (actor.is_active and actor.role == Role.CLINIC_ADMIN):
        raise PermissionDenied
    chosen = AccessAttempt.objects.filter(pk__in=attempt_ids)
    match = Q(pk__in=[])
    for username, ip_address in chosen.values_list("username", "ip_address"):
        if username:
            match |= Q(username=username)
        if ip_address:
            match |= Q(ip_address=ip_address)
    cleared = list(AccessAttempt.objects.filter(match))
    accounts = {
        user.email.lower(): user
        for user in User.objects.filter(email__in={a.username for a in cleared if a.username})
    }
    audit_record_many(
        actor=actor,
        action=AuditAction.CHANGE,
        targets=[(attempt, accounts.get((attempt.username or "").lower())) for attempt in cleared],
        request=request,
        detail="lockout: unlocked",
    )
    AccessAttempt.objects.filter(pk__in=[a.pk for a in cleared]).delete()
    return len(cleared)


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count one password-reset request; False once the account or the address has had too many.

    Per account, so nobody floods an inbox; per address, so nobody walks a list of e-mails.
    """
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    keys = [
        (f"password-reset:account:{email.strip().lower()}", settings.PASSWORD_RESET_PER_ACCOUNT),
        (f"password-reset:ip:{client_ip(request)}", settings.PASSWORD_RESET_PER_ADDRESS),
    ]
    allowed = True
    for key, limit in keys:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        allowed = allowed and count <= limit
    return allowed


def password_reset_refused_message() -> str:
    return _(
        "Too many password-reset requests for this address or from this network. "
        "Please try again later."
    )
