"""The language pages are shown in: a signed-in client's preferred language, else the switcher's
cookie or the browser's Accept-Language (Django's LocaleMiddleware).

The preference is copied into the session at sign-in and whenever it changes, so pages need no
extra query to find it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from clinic.models import ClientProfile, User

SESSION_KEY = "unwind:preferred_language"


def language_known(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES)


def language_remember(request: HttpRequest, code: str) -> None:
    """Pages of this session follow ``code`` from the next request on."""
    if language_known(code) and hasattr(request, "session"):
        request.session[SESSION_KEY] = code


def language_restore(
    sender: Any, request: HttpRequest, user: User | AnonymousUser, **kwargs: Any
) -> None:
    """On sign-in (``user_logged_in``): a client's stored preference drives their pages."""
    if not user.is_authenticated:
        return
    code = (
        ClientProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    )
    if code:
        language_remember(request, code)


class PreferredLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: the signed-in client's preference wins
    over the cookie and the browser's Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        code = session.get(SESSION_KEY, "") if session is not None else ""
        if code and language_known(code) and request.user.is_authenticated:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
