from __future__ import annotations

from django.urls import include, path

from booking import views, views_careplans, views_waitlist

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
    path("care-plans/", views_careplans.plan_list, name="care-plans"),
    path("care-plans/<int:pk>/", views_careplans.plan_detail, name="care-plan"),
    path("care-plans/<int:pk>/book/", views_careplans.plan_book, name="care-plan-book"),
    path(
        "care-plans/<int:pk>/sessions/",
        views_careplans.plan_book_sessions,
        name="care-plan-sessions",
    ),
    path(
        "clients/<int:client_id>/care-plans/new/",
        views_careplans.plan_new,
        name="care-plan-new",
    ),
    path("waitlist/", views_waitlist.my_waitlist, name="waitlist"),
    path("waitlist/join/", views_waitlist.join, name="waitlist-join"),
    path("waitlist/<int:pk>/leave/", views_waitlist.leave, name="waitlist-leave"),
    path("waitlist/offers/<int:pk>/", views_waitlist.offer, name="waitlist-offer"),
    path("waitlist/desk/", views_waitlist.desk, name="waitlist-desk"),
    path(
        "waitlist/desk/freed/<int:pk>/offer/",
        views_waitlist.desk_offer,
        name="waitlist-desk-offer",
    ),
    path("calendar-feed/", views.calendar_feed_settings, name="feed-settings"),
    path("feeds/<str:token>.ics", views.calendar_feed, name="feed"),
    path("", include("booking.board.urls")),  # front-desk board, reports, client portal
]
