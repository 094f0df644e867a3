from __future__ import annotations

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from clinic.session_limits import session_start

        user_logged_in.connect(session_start, dispatch_uid="clinic.session_limits.session_start")
