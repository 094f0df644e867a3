from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app's ``messages`` module registers its message kinds and periodic jobs with the
        # outbox (clinic.notifications.registry); clinic itself never names them.
        autodiscover_modules("messages")
