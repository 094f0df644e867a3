"""The API under /api/v1/: the clinic's own endpoints and each app's."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clinic.api import views

app_name = "api"

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
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("therapists.api.urls")),
    path("", include("intake.api.urls")),
    path("", include("booking.api.urls")),
]
