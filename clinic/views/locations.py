"""Clinic-admin pages for locations, their rooms and opening hours, and the clinic policy."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clinic import locations as services
from clinic import selectors
from clinic.exceptions import ApplicationError
from clinic.forms import (
    HoursFormSet,
    LocationForm,
    PolicyForm,
    RoomForm,
    hours_spans,
)
from clinic.models import ClinicPolicy, Location, Role, Room
from clinic.permissions import role_required
from clinic.views.errors import form_add_domain_error


def _location_or_404(slug: str) -> Location:
    location = selectors.location_get(slug=slug)
    if location is None:
        raise Http404
    return location


def _render(request: HttpRequest, template: str, context: dict, form_errors: bool) -> HttpResponse:
    return render(request, template, context, status=400 if form_errors else 200)


@role_required(Role.CLINIC_ADMIN)
def location_list(request: HttpRequest) -> HttpResponse:
    return render(request, "clinic/location_list.html", {"locations": selectors.locations_list()})


@role_required(Role.CLINIC_ADMIN)
def location_create_view(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            location = services.location_create(**form.cleaned_data)
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Location %(name)s added.") % {"name": location.name})
            return redirect("location-detail", slug=location.slug)
    context = {"form": form, "time_zones": LocationForm.time_zone_names()}
    return _render(request, "clinic/location_form.html", context, bool(form.errors))


@role_required(Role.CLINIC_ADMIN)
def location_edit(request: HttpRequest, slug: str) -> HttpResponse:
    location = get_object_or_404(Location, slug=slug)
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(location=location, **form.cleaned_data)
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Location saved."))
            return redirect("location-detail", slug=location.slug)
    context = {"form": form, "location": location, "time_zones": LocationForm.time_zone_names()}
    return _render(request, "clinic/location_form.html", context, bool(form.errors))


@role_required(Role.CLINIC_ADMIN)
def location_detail(request: HttpRequest, slug: str) -> HttpResponse:
    location = _location_or_404(slug)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_create(
                location=location, name=form.cleaned_data["name"], notes=form.cleaned_data["notes"]
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Room added."))
            return redirect("location-detail", slug=location.slug)
    context = {"location": location, "room_form": form}
    return _render(request, "clinic/location_detail.html", context, bool(form.errors))


@role_required(Role.CLINIC_ADMIN)
def room_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    room = get_object_or_404(Room.objects.select_related("location"), pk=pk, location__slug=slug)
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_update(room=room, **form.cleaned_data)
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Room saved."))
            return redirect("location-detail", slug=slug)
    context = {"form": form, "room": room, "location": room.location}
    return _render(request, "clinic/room_form.html", context, bool(form.errors))


@role_required(Role.CLINIC_ADMIN)
def opening_hours_edit(request: HttpRequest, slug: str) -> HttpResponse:
    location = _location_or_404(slug)
    initial = [
        {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
        for h in location.opening_hours.all()
    ]
    formset = HoursFormSet(request.POST or None, initial=initial, prefix="hours")
    problem = ""
    if request.method == "POST" and formset.is_valid():
        try:
            services.opening_hours_replace(location=location, spans=hours_spans(formset))
        except ApplicationError as error:
            problem = error.message
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("location-detail", slug=location.slug)
    has_errors = bool(problem) or (request.method == "POST" and not formset.is_valid())
    context = {"formset": formset, "location": location, "problem": problem}
    return _render(request, "clinic/opening_hours_form.html", context, has_errors)


@role_required(Role.CLINIC_ADMIN)
def policy_edit(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None, instance=ClinicPolicy.load())
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_policy_update(**form.cleaned_data)
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Clinic policy saved."))
            return redirect("clinic-admin-home")
    return _render(request, "clinic/policy_form.html", {"form": form}, bool(form.errors))
