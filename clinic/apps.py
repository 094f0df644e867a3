from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.module_loading import autodiscover_modules


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app's ``messages`` module registers its message kinds and periodic jobs with the
        # outbox (clinic.notifications.registry); clinic itself never names them.
        autodiscover_modules("messages")
        # Imported once models are ready (Django's rule for ready()): the sign-in time starts
        # the absolute session lifetime.
        from clinic.languages import language_restore
        from clinic.session_limits import session_start

        user_logged_in.connect(session_start, dispatch_uid="clinic.session_limits.session_start")
        user_logged_in.connect(language_restore, dispatch_uid="clinic.languages.language_restore")
