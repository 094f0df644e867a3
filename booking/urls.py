from __future__ import annotations

from django.urls import include, path

from booking import views

app_name = "booking"

urlpatterns = [
    path("", views.start, name="start"),
    path("find/", views.find, name="find"),
    path("confirm/", views.confirm, name="confirm"),
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/ics/", views.appointment_ics_download, name="appointment-ics"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment-cancel"),
    path(
        "appointments/<int:pk>/reschedule/",
        views.appointment_reschedule,
        name="appointment-reschedule",
    ),
    path("appointments/<int:pk>/no-show/", views.appointment_no_show, name="appointment-no-show"),
    path("appointments/<int:pk>/decision/", views.appointment_decide, name="appointment-decide"),
    path("calendar-feed/", views.calendar_feed_settings, name="feed-settings"),
    path("feeds/<str:token>.ics", views.calendar_feed, name="feed"),
    path("", include("booking.board.urls")),  # front-desk board, reports, client portal
]
