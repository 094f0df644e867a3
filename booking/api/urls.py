from __future__ import annotations

from django.urls import path

from booking.api import desk, views

urlpatterns = [
    path("availability/", views.AvailabilityView.as_view(), name="availability"),
    path("availability/days/", views.AvailabilityDaysView.as_view(), name="availability-days"),
    path("matches/", views.MatchesView.as_view(), name="matches"),
    path("appointments/", views.AppointmentListCreateView.as_view(), name="appointments"),
    path("appointments/<int:pk>/", views.AppointmentDetailView.as_view(), name="appointment"),
    path(
        "appointments/<int:pk>/cancel/",
        views.AppointmentCancelView.as_view(),
        name="appointment-cancel",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        views.AppointmentRescheduleView.as_view(),
        name="appointment-reschedule",
    ),
    path(
        "appointments/<int:pk>/no-show/",
        views.AppointmentNoShowView.as_view(),
        name="appointment-no-show",
    ),
    path(
        "appointments/<int:pk>/decision/",
        views.AppointmentDecideView.as_view(),
        name="appointment-decide",
    ),
    path(
        "appointments/<int:pk>/check-in/", desk.CheckInView.as_view(), name="appointment-check-in"
    ),
    path(
        "appointments/<int:pk>/check-in/undo/",
        desk.CheckInUndoView.as_view(),
        name="appointment-check-in-undo",
    ),
    path("desk/blocks/", desk.BlockView.as_view(), name="desk-blocks"),
    path("desk/day-sheet/", desk.DaySheetView.as_view(), name="desk-day-sheet"),
    path("appointments/<int:pk>/ics/", views.AppointmentIcsView.as_view(), name="appointment-ics"),
    path("care-plans/", views.CarePlanListCreateView.as_view(), name="care-plans"),
    path("care-plans/<int:pk>/", views.CarePlanDetailView.as_view(), name="care-plan"),
    path("care-plans/<int:pk>/book/", views.CarePlanBookView.as_view(), name="care-plan-book"),
    path("waitlist/", views.WaitlistView.as_view(), name="waitlist"),
    path("waitlist/<int:pk>/leave/", views.WaitlistLeaveView.as_view(), name="waitlist-leave"),
    path(
        "waitlist/offers/<int:pk>/accept/",
        views.WaitlistOfferAcceptView.as_view(),
        name="waitlist-offer-accept",
    ),
]
