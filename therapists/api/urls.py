"""Therapist endpoints, included under /api/v1/ in the "api" namespace."""

from __future__ import annotations

from django.urls import path

from therapists.api import views

urlpatterns = [
    path("therapists/", views.TherapistListView.as_view(), name="therapist-list"),
    path("therapists/search/", views.TherapistSearchView.as_view(), name="therapist-search"),
    path("therapists/<int:pk>/", views.TherapistDetailView.as_view(), name="therapist-detail"),
    path("services/", views.ServiceListView.as_view(), name="service-list"),
    path("locations/", views.LocationListView.as_view(), name="location-list"),
    path("shifts/", views.ShiftListView.as_view(), name="shift-list"),
    path("shifts/<int:pk>/", views.ShiftDetailView.as_view(), name="shift-detail"),
    path("time-off/", views.TimeOffListView.as_view(), name="time-off-list"),
    path("time-off/<int:pk>/", views.TimeOffDetailView.as_view(), name="time-off-detail"),
]
