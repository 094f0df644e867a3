"""The API under /api/v1/: the clinic's own endpoints and each app's."""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clinic.api import views

app_name = "api"

# Swagger UI without inline script: its init script is fetched from the same URL (the split view),
# and templates/clinic/api_docs.html moves its inline styles to a static file. Swagger UI's own
# stylesheet draws icons as data: images, so this page alone also allows images from data: URIs.
docs = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="clinic/api_docs.html")
)

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("auth/token/", views.AuthTokenView.as_view(), name="auth-token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="auth-token-revoke"),
    path(
        "auth/sign-out-everywhere/",
        views.SignOutEverywhereView.as_view(),
        name="sign-out-everywhere",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
    path("", include("therapists.api.urls")),
    path("", include("intake.api.urls")),
    path("", include("booking.api.urls")),
    # Last: what no endpoint above matched.
    re_path(r"^(?P<path>[\s\S]*)\Z", views.not_found, name="not-found"),
]
