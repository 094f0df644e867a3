from __future__ import annotations

from django.urls import path

from booking.views import appointments, board, calendar, careplans, reports, waitlist

app_name = "booking"

urlpatterns = [
    path("", appointments.start, name="start"),
    path("find/", calendar.find, name="find"),
    path("confirm/", appointments.confirm, name="confirm"),
    path("appointments/", appointments.appointment_list, name="appointments"),
    path("appointments/<int:pk>/", appointments.appointment_detail, name="appointment"),
    path(
        "appointments/<int:pk>/ics/", appointments.appointment_ics_download, name="appointment-ics"
    ),
    path(
        "appointments/<int:pk>/cancel/",
        appointments.appointment_cancel_view,
        name="appointment-cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        appointments.appointment_reschedule_view,
        name="appointment-reschedule",
    ),
    path(
        "appointments/<int:pk>/no-show/",
        appointments.appointment_no_show,
        name="appointment-no-show",
    ),
    path(
        "appointments/<int:pk>/decision/",
        appointments.appointment_decide,
        name="appointment-decide",
    ),
    path("care-plans/", careplans.plan_list, name="care-plans"),
    path("care-plans/<int:pk>/", careplans.plan_detail, name="care-plan"),
    path("care-plans/<int:pk>/book/", careplans.plan_book, name="care-plan-book"),
    path(
        "care-plans/<int:pk>/sessions/",
        careplans.plan_book_sessions,
        name="care-plan-sessions",
    ),
    path(
        "clients/<int:client_id>/care-plans/new/",
        careplans.plan_new,
        name="care-plan-new",
    ),
    path("waitlist/", waitlist.my_waitlist, name="waitlist"),
    path("waitlist/join/", waitlist.join, name="waitlist-join"),
    path("waitlist/<int:pk>/leave/", waitlist.leave, name="waitlist-leave"),
    path("waitlist/offers/<int:pk>/", waitlist.offer, name="waitlist-offer"),
    path("waitlist/desk/", waitlist.desk, name="waitlist-desk"),
    path(
        "waitlist/desk/freed/<int:pk>/offer/",
        waitlist.desk_offer,
        name="waitlist-desk-offer",
    ),
    path("calendar-feed/", appointments.calendar_feed_settings, name="feed-settings"),
    path("feeds/<str:token>.ics", appointments.calendar_feed, name="feed"),
    # The front desk's board and the clinic admin's reports.
    path("board/", board.board, name="board"),
    path("board/appointments/<int:pk>/", board.panel, name="board-panel"),
    path("board/appointments/<int:pk>/<slug:action>/", board.act, name="board-act"),
    path("board/clients/", board.clients, name="board-clients"),
    path("board/clients/new/", board.client_new, name="board-client-new"),
    path("board/book/", board.book, name="board-book"),
    path("board/block/", board.block, name="board-block"),
    path("board/sheet/", board.sheet, name="board-sheet"),
    path("reports/", reports.reports, name="reports"),
]
