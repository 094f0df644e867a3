"""The app's URLs plus two ceiling views, mounted only under bench.settings."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from clinic.urls import urlpatterns as app_urlpatterns


def bare_json(request: HttpRequest) -> JsonResponse:
    """The framework ceiling: routing and middleware, nothing else."""
    return JsonResponse({"ok": True})


def one_select(request: HttpRequest) -> JsonResponse:
    """The database ceiling: one indexed SELECT over a persistent connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, display_name FROM therapists_therapistprofile WHERE id = %s",
            [int(request.GET.get("id", "1"))],
        )
        row = cursor.fetchone()
    return JsonResponse({"row": list(row) if row else None})


urlpatterns = [
    path("bench/ceiling/json", bare_json),
    path("bench/ceiling/select", one_select),
    *app_urlpatterns,
]
