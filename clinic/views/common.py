"""Small helpers shared by the clinic's views."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from clinic.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user, for views already guarded by role_required/login_required."""
    return cast(User, request.user)
