"""Web pages of the clinic app: the front page, sign-in and each role's home."""

from __future__ import annotations

from django.urls import include, path

from clinic.views import pages

urlpatterns = [
    path("", pages.index, name="index"),
    path("home/", pages.home, name="home"),
    path("client/", pages.client_home, name="client-home"),
    path("therapist/", pages.therapist_home, name="therapist-home"),
    path("front-desk/", pages.front_desk_home, name="front-desk-home"),
    path("clinic-admin/", pages.clinic_admin_home, name="clinic-admin-home"),
    path("accounts/", include("django.contrib.auth.urls")),
]
