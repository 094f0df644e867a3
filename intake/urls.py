from __future__ import annotations

from django.urls import include, path

from intake import review_views, views

app_name = "intake"

urlpatterns = [
    path("", views.intake_home, name="home"),
    path("start/", views.intake_start_view, name="start"),
    path("step/<slug:step>/", views.intake_step, name="step"),
    path("check/", views.intake_check, name="check"),
    path("submit/", views.intake_submit_view, name="submit"),
    path("new-condition/", views.intake_new_condition, name="new-condition"),
    path("<int:pk>/fhir.json", views.intake_fhir, name="fhir"),
    path("questionnaire/fhir.json", views.questionnaire_fhir, name="questionnaire-fhir"),
    path("review/", review_views.review_queue, name="review-queue"),
    path("review/<int:pk>/", review_views.review_detail, name="review-detail"),
    path("statuses/", review_views.intake_statuses, name="statuses"),
    path("outcomes/", include("intake.outcome_views")),
]
