"""The therapist's workspace (/workspace/...) and the client's "My care" portal (/my-care/)."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from workspace.views import checkin, datarights, day, notes, portal, selfcare

app_name = "workspace"

urlpatterns = [
    path("workspace/", day.day_view, name="day"),
    path("workspace/exercises/", selfcare.exercise_library, name="exercises"),
    path("workspace/appointments/<int:pk>/note/", notes.session_note, name="note"),
    path("workspace/appointments/<int:pk>/addenda/", notes.addendum_add, name="addendum"),
    path("workspace/appointments/<int:pk>/self-care/", selfcare.selfcare_assign, name="selfcare"),
    path("my-care/", portal.portal, name="portal"),
    path("my-care/my-data/", datarights.my_data, name="my-data"),
    path("my-care/my-data/fhir.json", datarights.my_data_fhir, name="my-data-fhir"),
    path("my-care/erasure/", datarights.erasure_request, name="erasure"),
    path(
        "clinic-admin/erasure-requests/",
        datarights.erasure_requests,
        name="erasure-requests",
    ),
    path(
        "clinic-admin/erasure-requests/<int:pk>/complete/",
        datarights.erasure_complete,
        name="erasure-complete",
    ),
    # Where "My care" was before the workspace app; links in old e-mails still arrive.
    path("booking/portal/", RedirectView.as_view(pattern_name="workspace:portal", permanent=True)),
    # The day-3 message's link; its path predates the workspace app and is kept for old links.
    path("notifications/check-in/<str:token>/", checkin.checkin_answer, name="checkin"),
]
