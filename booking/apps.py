from __future__ import annotations

from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registering with a floor below happens here, once models are loaded (Django's rule):
        # intake's outcome-measure rules read sessions and care plans through booking.
        from booking.episodes import care_episodes_read
        from booking.safety import client_locations_read, upcoming_appointments_flag
        from clinic.audit import audit_health_routes_register
        from intake.finding_hooks import client_locations_register, level_raised_listen
        from intake.outcomes import outcome_episodes_register

        outcome_episodes_register(care_episodes_read)
        # Safety alerts reach the clinicians on shift where the client is seen.
        client_locations_register(client_locations_read)
        # A client whose level rises has their upcoming appointments put to their therapist.
        level_raised_listen(upcoming_appointments_flag)
        # Health-data routes: a 403 or 404 on them is recorded in the audit trail.
        audit_health_routes_register(
            "booking:appointment",
            "booking:appointment-*",
            "booking:care-plan*",
            "api:appointment",
            "api:appointment-*",
            "api:care-plan*",
        )
