from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def clinic(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: the clinic's name and the signed-in user's role."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {"CLINIC_NAME": getattr(settings, "CLINIC_NAME", "Unwind"), "user_role": role}
