"""The therapist's workspace (/workspace/...) and the client's "My care" portal (/my-care/)."""

from __future__ import annotations

from django.urls import path

from workspace import portal, views

app_name = "workspace"

urlpatterns = [
    path("workspace/", views.day_view, name="day"),
    path("workspace/exercises/", views.exercise_library, name="exercises"),
    path("workspace/appointments/<int:pk>/note/", views.session_note, name="note"),
    path("workspace/appointments/<int:pk>/addenda/", views.addendum_add, name="addendum"),
    path("workspace/appointments/<int:pk>/self-care/", views.selfcare_assign, name="selfcare"),
    path("my-care/", portal.portal, name="portal"),
    # The day-3 message's link; its path predates the workspace app and is kept for old links.
    path("notifications/check-in/<str:token>/", views.checkin_answer, name="checkin"),
]
