from __future__ import annotations

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The therapist's clinical work: session notes, self-care plans, the day view, the portal."""

    name = "workspace"
    default_auto_field = "django.db.models.BigAutoField"
