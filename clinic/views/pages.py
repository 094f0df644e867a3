from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.contrib.auth.decorators import login_required

from clinic.models import Role
from clinic.permissions import role_required

HOME_BY_ROLE = {
    Role.CLIENT: "client-home",
    Role.THERAPIST: "therapist-home",
    Role.FRONT_DESK: "front-desk-home",
    Role.CLINIC_ADMIN: "clinic-admin-home",
}


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/index.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a signed-in user to their role's home page."""
    return redirect(HOME_BY_ROLE[request.user.role])


@role_required(Role.CLIENT)
def client_home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_client.html")


@role_required(Role.THERAPIST)
def therapist_home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_therapist.html")


@role_required(Role.FRONT_DESK)
def front_desk_home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_front_desk.html")


@role_required(Role.CLINIC_ADMIN)
def clinic_admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/home_clinic_admin.html")
