from __future__ import annotations

from django.urls import include, path

from intake.api import views

urlpatterns: list = [
    path("intake/questionnaire/", views.QuestionnaireView.as_view(), name="intake-questionnaire"),
    path("intake/me/", views.MyIntakeView.as_view(), name="intake-me"),
    path("intake/me/submit/", views.MyIntakeSubmitView.as_view(), name="intake-me-submit"),
    path("intake/me/stop-passed/", views.MyStopPassedView.as_view(), name="intake-me-stop-passed"),
    path("intake/me/screening/", views.MyScreeningView.as_view(), name="intake-me-screening"),
    path("intake/responses/", views.ReviewQueueView.as_view(), name="intake-responses"),
    path("intake/responses/<int:pk>/", views.ReviewIntakeView.as_view(), name="intake-response"),
    path(
        "intake/responses/<int:pk>/decisions/",
        views.ReviewDecisionView.as_view(),
        name="intake-response-decisions",
    ),
    path(
        "intake/responses/<int:pk>/fhir/",
        views.IntakeFhirView.as_view(),
        name="intake-response-fhir",
    ),
    path("intake/statuses/", views.IntakeStatusesView.as_view(), name="intake-statuses"),
]
urlpatterns += [path("", include("intake.api.outcomes"))]  # outcome measures
