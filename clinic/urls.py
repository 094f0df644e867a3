from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from clinic.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", include("clinic.api.urls", namespace="api")),
    path("admin/", admin.site.urls),
    path("", include("clinic.web_urls")),
    path("therapists/", include("therapists.urls")),
    path("intake/", include("intake.urls")),
    path("booking/", include("booking.urls")),
    path("", include("workspace.urls")),
    path("notifications/", include("clinic.notifications.urls")),
    # Therapist photos: served by the app itself, as there is no separate media server.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]
