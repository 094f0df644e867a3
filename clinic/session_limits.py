"""Session limits: staff are signed out after a short idle time, everyone after a fixed lifetime.

Health data stays on screen in treatment rooms and at the front desk, so a staff session ends
after ``STAFF_IDLE_MINUTES`` without a request; any session ends ``SESSION_ABSOLUTE_HOURS``
after sign-in, however busy. API calls with a token carry no session and are not affected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.models import User

SIGNED_IN_AT = "unwind:signed_in_at"
LAST_SEEN_AT = "unwind:last_seen_at"
# Writing the session on every request would cost a database write per click; a minute's
# precision is plenty for a 15-minute idle limit.
_TOUCH_EVERY_SECONDS = 60


def session_start(
    sender: Any, request: HttpRequest, user: User | AnonymousUser, **kwargs: Any
) -> None:
    """On sign-in (``user_logged_in``): the lifetime and the idle time count from now."""
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_expired_reason(request: HttpRequest, now: int) -> str | None:
    """Why the signed-in session of ``request`` has run out at ``now`` (epoch seconds), if it has."""
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is not None and now - signed_in_at > settings.SESSION_ABSOLUTE_HOURS * 3600:
        return _("You were signed out because your session reached its time limit.")
    last_seen_at = session.get(LAST_SEEN_AT)
    if (
        getattr(request.user, "is_clinic_staff", False)
        and last_seen_at is not None
        and now - last_seen_at > settings.STAFF_IDLE_MINUTES * 60
    ):
        return _("You were signed out after %(minutes)d minutes without activity.") % {
            "minutes": settings.STAFF_IDLE_MINUTES
        }
    return None


class SessionLimitsMiddleware:
    """End sessions that ran out (see the module docstring); place after the auth middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            reason = session_expired_reason(request, now)
            if reason is not None:
                logout(request)
                messages.info(request, reason)
            else:
                self._touch(request, now)
        return self.get_response(request)

    @staticmethod
    def _touch(request: HttpRequest, now: int) -> None:
        session = request.session
        # Sessions from before these limits existed start counting at their next request.
        session.setdefault(SIGNED_IN_AT, now)
        if now - session.get(LAST_SEEN_AT, 0) >= _TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_AT] = now
