from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from clinic.client_notices import client_notices_for
from clinic.models import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def client_notices(context: dict[str, Any]) -> SafeString | str:
    """The registered notices for the signed-in client (nothing for staff or visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.CLIENT:
        return ""
    return client_notices_for(user)
