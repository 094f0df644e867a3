from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registering with a floor below happens here, once models are loaded (Django's rule):
        # the client's pages, some of them clinic's, show the open safety advice.
        from clinic.client_notices import client_notice_register
        from intake.safety_banner import safety_banner

        client_notice_register(safety_banner)
        # Health-data routes: a 403 or 404 on them is recorded in the audit trail.
        from clinic.audit import audit_health_routes_register

        audit_health_routes_register("intake:*", "api:intake-*", "api:outcome-*")
