from __future__ import annotations

from django.urls import path

from intake.views import intake_form, outcomes, review

app_name = "intake"

urlpatterns = [
    path("", intake_form.intake_home, name="home"),
    path("start/", intake_form.intake_start_view, name="start"),
    path("step/<slug:step>/", intake_form.intake_step, name="step"),
    path("step/<slug:step>/advice/", intake_form.intake_step_advice, name="step-advice"),
    path("check/", intake_form.intake_check, name="check"),
    path("submit/", intake_form.intake_submit_view, name="submit"),
    path("stop-passed/", intake_form.stop_passed, name="stop-passed"),
    path("new-condition/", intake_form.intake_new_condition, name="new-condition"),
    path("<int:pk>/fhir.json", intake_form.intake_fhir, name="fhir"),
    path("questionnaire/fhir.json", intake_form.questionnaire_fhir, name="questionnaire-fhir"),
    path("review/", review.review_queue, name="review-queue"),
    path("review/<int:pk>/", review.review_detail, name="review-detail"),
    path("alerts/<int:pk>/acknowledge/", review.alert_acknowledge, name="alert-acknowledge"),
    path("statuses/", review.intake_statuses, name="statuses"),
    path("outcomes/", outcomes.my_outcomes, name="my-outcomes"),
    path("outcomes/answer/<slug:code>/", outcomes.answer_outcome, name="answer-outcome"),
    path("outcomes/client/<int:client_id>/", outcomes.client_outcomes, name="client-outcomes"),
]
