"""The front page and each role's home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clinic import selectors
from clinic.models import ClinicPolicy, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user

HOME_BY_ROLE = {
    Role.CLIENT: "client-home",
    Role.THERAPIST: "therapist-home",
    Role.FRONT_DESK: "front-desk-home",
    Role.CLINIC_ADMIN: "clinic-admin-home",
}


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "clinic/index.html", {"locations": selectors.locations_list(active_only=True)}
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a signed-in user to their role's home page."""
    return redirect(HOME_BY_ROLE[Role(signed_in_user(request).role)])


@role_required(Role.CLIENT)
def client_home(request: HttpRequest) -> HttpResponse:
    profile = selectors.client_profile_for(signed_in_user(request))
    return render(request, "clinic/home_client.html", {"profile": profile})


@role_required(Role.THERAPIST)
def therapist_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "clinic/home_therapist.html",
        {"locations": selectors.locations_list(active_only=True)},
    )


@role_required(Role.FRONT_DESK)
def front_desk_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "clinic/home_front_desk.html",
        {"locations": selectors.locations_list(active_only=True)},
    )


@role_required(Role.CLINIC_ADMIN)
def clinic_admin_home(request: HttpRequest) -> HttpResponse:
    open_invitations = [i for i in selectors.invitations_list() if i.is_open]
    return render(
        request,
        "clinic/home_clinic_admin.html",
        {
            "counts": selectors.staff_counts(),
            "open_invitations": len(open_invitations),
            "locations": selectors.locations_list(),
            "policy": ClinicPolicy.load(),
        },
    )
