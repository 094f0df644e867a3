"""Role checks for views and API endpoints, in one place.

Anonymous visitors are sent to the login page; a signed-in user with the wrong role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from clinic.models import Role, User

ViewFunc = Callable[..., HttpResponse]


def user_has_role(user: User | AnonymousUser, roles: Iterable[str]) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in set(roles))


def role_required(*roles: str) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view so only signed-in users with one of ``roles`` reach it."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based equivalent of :func:`role_required`; set ``allowed_roles``."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _api_permission(name: str, *roles: str) -> type[BasePermission]:
    def has_permission(self: BasePermission, request: Any, view: Any) -> bool:
        return user_has_role(request.user, roles)

    return type(name, (BasePermission,), {"has_permission": has_permission})


IsClient = _api_permission("IsClient", Role.CLIENT)
IsTherapist = _api_permission("IsTherapist", Role.THERAPIST)
IsFrontDesk = _api_permission("IsFrontDesk", Role.FRONT_DESK)
IsClinicAdmin = _api_permission("IsClinicAdmin", Role.CLINIC_ADMIN)
IsClinicStaff = _api_permission("IsClinicStaff", Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN)
IsSchedulingStaff = _api_permission("IsSchedulingStaff", Role.FRONT_DESK, Role.CLINIC_ADMIN)
