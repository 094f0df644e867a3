from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Health-data routes: a 403 or 404 on them is recorded in the audit trail.
        from clinic.audit import audit_health_routes_register

        audit_health_routes_register("intake:*", "api:intake-*", "api:outcome-*")
