from __future__ import annotations

from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registering with a floor below happens here, once models are loaded (Django's rule):
        # intake's outcome-measure rules read sessions and care plans through booking.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from booking.episodes import care_episodes_read
        from booking.safety import client_locations_read, upcoming_appointments_flag
        from clinic.audit import audit_health_routes_register
        from clinic.models import Location, OpeningHours, Role, Room, User
        from clinic.schedule_cache import schedule_changed
        from intake.finding_hooks import client_locations_register, level_raised_listen
        from intake.outcomes import outcome_episodes_register
        from therapists.models import Credential, MFRTraining, Service, Shift, TherapistProfile

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
        # Availability caches its roster (booking.availability_selectors): what it is made of
        # bumps the roster's version when saved or deleted.
        for model in (
            Shift,
            TherapistProfile,
            Credential,
            MFRTraining,
            Room,
            OpeningHours,
            Service,
            Location,  # the catalog caches active locations; a roster uses the location's zone
        ):
            post_save.connect(schedule_changed, sender=model, dispatch_uid=f"roster-{model}")
            post_delete.connect(schedule_changed, sender=model, dispatch_uid=f"roster-d-{model}")
        for relation in (
            TherapistProfile.locations,
            TherapistProfile.modalities,
            TherapistProfile.competencies,
            Service.locations,
        ):
            m2m_changed.connect(
                schedule_changed, sender=relation.through, dispatch_uid=f"roster-{relation}"
            )

        # A therapist's account switched off (or on) changes who is bookable; a sign-in
        # (last_login only) does not.
        def therapist_account_saved(instance: User, **kwargs: object) -> None:
            if instance.role == Role.THERAPIST and kwargs.get("update_fields") != {"last_login"}:
                schedule_changed()

        post_save.connect(
            therapist_account_saved, sender=User, weak=False, dispatch_uid="roster-user"
        )
