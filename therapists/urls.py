from __future__ import annotations

from django.urls import path

from therapists import views

app_name = "therapists"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.profile, name="profile"),
    path("me/", views.my_profile, name="me"),
    path("me/trainings/new/", views.my_training_create, name="me-training-create"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.therapist_create, name="manage-create"),
    path("manage/<int:pk>/", views.therapist_detail, name="manage-therapist"),
    path("manage/<int:pk>/edit/", views.therapist_edit, name="manage-edit"),
    path("manage/<int:pk>/credentials/new/", views.credential_create, name="credential-create"),
    path("credentials/<int:pk>/edit/", views.credential_edit, name="credential-edit"),
    path("credentials/<int:pk>/delete/", views.credential_delete, name="credential-delete"),
    path("manage/<int:pk>/trainings/new/", views.training_create, name="training-create"),
    path("trainings/<int:pk>/verify/", views.training_verify_view, name="training-verify"),
    path("trainings/<int:pk>/unverify/", views.training_unverify_view, name="training-unverify"),
    path("manage/<int:pk>/shifts/new/", views.shift_create, name="shift-create"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift-edit"),
    path("shifts/<int:pk>/delete/", views.shift_delete, name="shift-delete"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("time-off/", views.time_off_list, name="time-off"),
    path("time-off/new/", views.time_off_create, name="time-off-create"),
    path("time-off/<int:pk>/edit/", views.time_off_edit, name="time-off-edit"),
    path("time-off/<int:pk>/delete/", views.time_off_delete, name="time-off-delete"),
    path("closures/new/", views.closure_create, name="closure-create"),
    path("closures/<int:pk>/delete/", views.closure_delete, name="closure-delete"),
]
