"""Web pages of the clinic app: front page, accounts, each role's home, clinic administration."""

from __future__ import annotations

from django.urls import include, path

from clinic.views import accounts, audit, language, locations, pages, security, staff

urlpatterns = [
    path("", pages.index, name="index"),
    path("home/", pages.home, name="home"),
    path("language/", language.set_language, name="set-language"),
    path("client/", pages.client_home, name="client-home"),
    path("client/profile/", accounts.profile, name="client-profile"),
    path("therapist/", pages.therapist_home, name="therapist-home"),
    path("front-desk/", pages.front_desk_home, name="front-desk-home"),
    path("clinic-admin/", pages.clinic_admin_home, name="clinic-admin-home"),
    path("clinic-admin/invitations/", staff.invitation_list, name="invitation-list"),
    path(
        "clinic-admin/invitations/<int:pk>/revoke/",
        staff.invitation_revoke_view,
        name="invitation-revoke",
    ),
    path("clinic-admin/locations/", locations.location_list, name="location-list"),
    path("clinic-admin/locations/new/", locations.location_create_view, name="location-create"),
    path("clinic-admin/locations/<slug:slug>/", locations.location_detail, name="location-detail"),
    path("clinic-admin/locations/<slug:slug>/edit/", locations.location_edit, name="location-edit"),
    path(
        "clinic-admin/locations/<slug:slug>/hours/",
        locations.opening_hours_edit,
        name="opening-hours-edit",
    ),
    path(
        "clinic-admin/locations/<slug:slug>/rooms/<int:pk>/",
        locations.room_edit,
        name="room-edit",
    ),
    path("clinic-admin/policy/", locations.policy_edit, name="policy-edit"),
    path("clinic-admin/audit/", audit.audit_trail, name="audit-trail"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/mfa/setup/", security.mfa_setup, name="mfa-setup"),
    path("accounts/mfa/verify/", security.mfa_verify, name="mfa-verify"),
    path("accounts/mfa/recovery-codes/", security.recovery_codes_new, name="mfa-recovery-codes"),
    path("accounts/mfa/disable/", security.mfa_disable, name="mfa-disable"),
    path("accounts/security/", security.security, name="security"),
    path("accounts/tokens/<int:pk>/revoke/", security.token_revoke, name="token-revoke"),
    path("accounts/sign-out-everywhere/", security.sign_out_everywhere, name="sign-out-everywhere"),
    path(
        "accounts/password_change/",
        security.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        security.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/register/", accounts.register_view, name="register"),
    path("accounts/register/done/", accounts.register_done, name="register-done"),
    path("accounts/verify/resend/", accounts.resend_verification, name="resend-verification"),
    path("accounts/verify/<str:token>/", accounts.verify_email, name="verify-email"),
    path(
        "accounts/invitation/<str:token>/", staff.invitation_accept_view, name="invitation-accept"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
]
