from __future__ import annotations

from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registering with a floor below happens here, once models are loaded (Django's rule):
        # intake's outcome-measure rules read sessions and care plans through booking.
        from booking.episodes import care_episodes_read
        from clinic.audit import audit_health_routes_register
        from intake.outcomes import outcome_episodes_register

        outcome_episodes_register(care_episodes_read)
        # Health-data routes: a 403 or 404 on them is recorded in the audit trail.
        audit_health_routes_register(
            "booking:appointment",
            "booking:appointment-*",
            "booking:care-plan*",
            "api:appointment",
            "api:appointment-*",
            "api:care-plan*",
        )
