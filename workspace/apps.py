from __future__ import annotations

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The therapist's clinical work: session notes, self-care plans, the day view, the portal."""

    name = "workspace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Health-data routes: a 403 or 404 on them is recorded in the audit trail.
        from clinic.audit import audit_health_routes_register

        audit_health_routes_register("workspace:*")
