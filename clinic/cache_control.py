"""``Cache-Control: no-store`` on every response that may carry health data.

Intake answers, review decisions, session notes, outcome scores, FHIR and CSV exports are all
served to signed-in users, so every response to a signed-in user (session or API token) is
marked no-store, whatever the view; so are the paths in ``NO_STORE_PATH_PREFIXES`` (the API,
whose token answer is a secret, and calendar feeds opened by a token in the URL). Browsers,
proxies and shared computers then keep no copy. Static files and media never get here with
a user's data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def response_may_carry_health_data(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return request.path.startswith(tuple(settings.NO_STORE_PATH_PREFIXES))


class NoStoreMiddleware:
    """Mark responses that may carry health data ``no-store``; place it first after security."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response_may_carry_health_data(request):
            # Replaces any max-age a view set: no-store must not be weakened by a merge.
            response["Cache-Control"] = "no-store"
        return response
