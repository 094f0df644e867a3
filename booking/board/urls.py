"""Front-desk board (/booking/board/) and admin reports (/booking/reports/); included from booking.urls, so names live in the ``booking`` namespace."""

from __future__ import annotations

from django.urls import path

from booking.board import report_views, views

urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/appointments/<int:pk>/", views.panel, name="board-panel"),
    path("board/appointments/<int:pk>/<slug:action>/", views.act, name="board-act"),
    path("board/clients/", views.clients, name="board-clients"),
    path("board/clients/new/", views.client_new, name="board-client-new"),
    path("board/book/", views.book, name="board-book"),
    path("board/block/", views.block, name="board-block"),
    path("board/sheet/", views.sheet, name="board-sheet"),
    path("reports/", report_views.reports, name="reports"),
]
