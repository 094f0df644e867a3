"""The front-desk board and its actions: htmx partials, with plain-HTML fallbacks for each.

An htmx request gets a fragment (the board, or the side panel) and, after a change, an
``HX-Trigger: board-changed`` header that makes the board reload itself; a request without
JavaScript gets a whole page or a redirect back to the board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from booking import arrivals, changes, scheduling
from booking.board import actions, forms
from booking.board.selectors import (
    board_load,
    clients_find,
    day_sheet,
    therapists_at,
    week_rows,
)
from booking.models import Appointment
from clinic.csv_export import csv_writer
from clinic.exceptions import ApplicationError
from clinic.models import ClinicPolicy, Location, Role, User
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
from intake.gate import intake_status_for

DESK = (Role.FRONT_DESK, Role.CLINIC_ADMIN)


def _active_locations() -> list[Location]:
    return list(Location.objects.filter(is_active=True).order_by("name"))


def _location(request: HttpRequest, locations: list[Location] | None = None) -> Location:
    """The location asked for (or the first), from the active ones; 404 for any other."""
    raw = request.GET.get("location") or request.POST.get("location") or ""
    candidates = _active_locations() if locations is None else locations
    found = [loc for loc in candidates if loc.slug == raw] if raw else candidates[:1]
    if not found:
        raise Http404("No such location.")
    return found[0]


def _day(request: HttpRequest, location: Location) -> dt.date:
    raw = request.GET.get("day") or request.POST.get("day") or ""
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return timezone.now().astimezone(location.zone).date()


def _board_url(location: Location, day: dt.date, **extra: str) -> str:
    query = {"location": location.slug, "day": day.isoformat(), **extra}
    return f"{reverse('booking:board')}?{urlencode(query)}"


def _board_context(request: HttpRequest) -> dict[str, Any]:
    # One read of the active locations serves both the selector and the choice.
    locations = _active_locations()
    location = _location(request, locations)
    day = _day(request, location)
    week = request.GET.get("view") == "week"
    mode = "rooms" if request.GET.get("mode") == "rooms" else "therapists"
    first = day - dt.timedelta(days=day.weekday()) if week else day
    last = first + dt.timedelta(days=6) if week else day
    step = dt.timedelta(days=7 if week else 1)
    view_name = "week" if week else "day"
    loaded = board_load(location, first, last)
    return {
        "board": loaded,
        "week_rows": week_rows(loaded, mode) if week else [],
        "locations": locations,
        "location": location,
        "day": day,
        "week": week,
        "mode": mode,
        "view_name": view_name,
        "previous_url": _board_url(location, day - step, view=view_name, mode=mode),
        "next_url": _board_url(location, day + step, view=view_name, mode=mode),
        "today_url": _board_url(
            location, timezone.now().astimezone(location.zone).date(), view=view_name, mode=mode
        ),
        "self_url": _board_url(location, day, view=view_name, mode=mode),
    }


@role_required(*DESK)
def board(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    if request.htmx and request.htmx.target == "board-region":  # type: ignore[attr-defined]
        return render(request, "booking/board/_board.html", context)
    return render(request, "booking/board/board.html", context)


def _appointment(pk: int) -> Appointment:
    appointment = (
        Appointment.objects.select_related(
            "client", "client__client_profile", "service", "location", "room", "therapist"
        )
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def _panel_context(appointment: Appointment, **forms_given: Any) -> dict[str, Any]:
    local = appointment.local_start
    defaults = {
        "reschedule_form": forms.RescheduleForm(
            zone=appointment.location.zone, initial={"start": local}
        ),
        "cancel_form": forms.CancelForm(),
        "approve_form": forms.ApproveForm(),
        "decline_form": forms.DeclineForm(),
        "route_form": forms.RouteForm(),
    }
    now = timezone.now()
    opens = arrivals.check_in_opens(appointment, ClinicPolicy.load())
    return {
        "appointment": appointment,
        "check_in_opens": opens,
        "can_check_in": opens <= now and local.date() == now.astimezone(local.tzinfo).date(),
        "check_in_undo_until": arrivals.check_in_undo_until(appointment),
        "started": appointment.starts_at <= now,
        "badge": intake_status_for(appointment.client),
        "board_url": _board_url(appointment.location, local.date()),
        **defaults,
        **forms_given,
    }


def _panel(
    request: HttpRequest, appointment: Appointment, status: int = 200, **kw: Any
) -> HttpResponse:
    template = "booking/board/_panel.html" if request.htmx else "booking/board/panel_page.html"  # type: ignore[attr-defined]
    response = render(request, template, _panel_context(appointment, **kw), status=status)
    if request.htmx and request.method == "POST" and status < 400:  # type: ignore[attr-defined]
        response["HX-Trigger"] = "board-changed"
    return response


@role_required(*DESK)
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel(request, _appointment(pk))


def _run(
    request: HttpRequest,
    appointment: Appointment,
    form_name: str,
    form: Any,
    call: Callable[[Any], Any],
    done: str,
) -> HttpResponse:
    """Validate ``form``, call the domain function, answer with the panel or a redirect."""
    if form is None or form.is_valid():
        try:
            call(form.cleaned_data if form is not None else {})
        except ApplicationError as error:
            if form is None:
                messages.error(request, error.message)
                return _panel(request, _appointment(appointment.pk), status=error.status_code)
            form_add_domain_error(form, error)
            return _panel(request, appointment, status=error.status_code, **{form_name: form})
        messages.success(request, done)
        appointment = _appointment(appointment.pk)
        if request.htmx:  # type: ignore[attr-defined]
            return _panel(request, appointment)
        return redirect(_panel_context(appointment)["board_url"])
    return _panel(request, appointment, status=400, **{form_name: form})


@role_required(*DESK)
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appointment = _appointment(pk)
    user = signed_in_user(request)
    zone = appointment.location.zone
    table: dict[str, tuple[str, Any, Callable[[Any], Any], str]] = {
        "check-in": ("", None, lambda d: arrivals.appointment_check_in(appointment=appointment, actor=user), _("%(client)s is checked in. You can undo this for %(minutes)s minutes.") % {"client": appointment.client, "minutes": arrivals.CHECK_IN_UNDO_MINUTES}),
        "undo-check-in": ("", None, lambda d: arrivals.appointment_check_in_undo(appointment=appointment, actor=user), _("Check-in undone: the appointment is booked again.")),
        "no-show": ("", None, lambda d: scheduling.appointment_mark_no_show(appointment=appointment, actor=user), _("Marked as a no-show.")),
        "cancel": ("cancel_form", forms.CancelForm(request.POST), lambda d: changes.appointment_cancel(appointment=appointment, actor=user, reason=d["reason"], late=d["late"]), _("Cancelled.")),
        "reschedule": ("reschedule_form", forms.RescheduleForm(request.POST, zone=zone), lambda d: changes.appointment_reschedule(appointment=appointment, start=d["start"], actor=user), _("Moved.")),
        "approve": ("approve_form", forms.ApproveForm(request.POST), lambda d: actions.request_approve_for_clinician(appointment=appointment, actor=user, approved_by=d["approved_by"]), _("Request approved and booked.")),
        "decline": ("decline_form", forms.DeclineForm(request.POST), lambda d: actions.request_decline(appointment=appointment, actor=user, reason=d["reason"]), _("Request declined.")),
        "route": ("route_form", forms.RouteForm(request.POST), lambda d: actions.request_route(appointment=appointment, clinician=d["clinician"], actor=user), _("Routed to the clinician.")),
        "offer": ("", None, lambda d: _offer(request, appointment, user), _("Done.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_name, form, call, done = table[action]
    return _run(request, appointment, form_name, form, call, done)


def _offer(request: HttpRequest, appointment: Appointment, user: User) -> None:
    offer = actions.freed_slot_offer(appointment=appointment, actor=user)
    if offer is None:
        messages.info(request, _("Nobody on the waitlist matches this time."))
    else:
        messages.info(
            request,
            _("Offered to %(client)s until %(time)s.")
            % {
                "client": offer.entry.client,
                "time": f"{offer.expires_at.astimezone(appointment.location.zone):%H:%M}",
            },
        )


@role_required(*DESK)
def clients(request: HttpRequest) -> HttpResponse:
    form = forms.ClientSearchForm(request.GET or None)
    found = clients_find(form.cleaned_data["q"]) if form.is_valid() else []
    # Finding a client does not depend on a location; the links keep the board's location.
    location = Location.objects.filter(slug=request.GET.get("location") or "").first()
    context = {"form": form, "clients": found, "location": location}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "booking/board/_clients.html", context)
    return render(request, "booking/board/clients.html", context)


@role_required(*DESK)
def client_new(request: HttpRequest) -> HttpResponse:
    form = forms.ClientCreateForm(request.POST or None)
    location = _location(request)
    if request.method == "POST" and form.is_valid():
        try:
            client = actions.client_create(actor=signed_in_user(request), **form.cleaned_data)
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, f"{client} registered.")
            query = urlencode({"client": client.pk, "location": location.slug})
            return redirect(f"{reverse('booking:board-book')}?{query}")
    status = 400 if form.errors else 200
    return render(
        request,
        "booking/board/client_new.html",
        {"form": form, "location": location},
        status=status,
    )


@role_required(*DESK)
def book(request: HttpRequest) -> HttpResponse:
    """Book for a client (same rules as online; a request stays a request for a therapist)."""
    location = _location(request)
    initial = {
        k: request.GET[k] for k in ("client", "therapist", "service", "start") if k in request.GET
    }
    form = forms.BookForm(request.POST or None, zone=location.zone, initial=initial)
    form.fields["therapist"].queryset = therapists_at(location)  # type: ignore[attr-defined]
    form.fields["service"].queryset = location.services.filter(is_active=True)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST" and form.is_valid() and form.cleaned_data["start"]:
        data = form.cleaned_data
        try:
            appointment = actions.appointment_book_on_behalf(
                client=data["client"], service=data["service"], therapist=data["therapist"],
                start=data["start"], actor=signed_in_user(request),
            )  # fmt: skip
        except ApplicationError as error:
            form_add_domain_error(form, error)
            status = error.status_code
        else:
            state = appointment.get_status_display().lower()
            messages.success(
                request, f"{appointment.client} is {state} with {appointment.therapist}."
            )
            day = appointment.starts_at.astimezone(location.zone).date()
            return redirect(_board_url(location, day))
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "booking/board/book.html",
        {"form": form, "location": location, "client_id": form["client"].value()},
        status=status,
    )


@role_required(*DESK)
def block(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    form = forms.BlockForm(request.POST or None, zone=location.zone, initial=request.GET.dict())
    form.fields["therapist"].queryset = therapists_at(location)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST" and form.is_valid() and not form.errors:
        data = form.cleaned_data
        try:
            actions.therapist_time_block(
                therapist=data["therapist"], start=data["starts_at"], end=data["ends_at"],
                reason=data["reason"], actor=signed_in_user(request),
            )  # fmt: skip
        except ApplicationError as error:
            form_add_domain_error(form, error)
            status = error.status_code
        else:
            messages.success(
                request, _("Time blocked for %(therapist)s.") % {"therapist": data["therapist"]}
            )
            return redirect(
                _board_url(location, data["starts_at"].astimezone(location.zone).date())
            )
    if form.errors and status == 200:
        status = 400
    return render(
        request, "booking/board/block.html", {"form": form, "location": location}, status=status
    )


@role_required(*DESK)
def sheet(request: HttpRequest) -> HttpResponse:
    """The day sheet: a printable page, or CSV with ``?format=csv`` (contact details, no answers)."""
    location = _location(request)
    day = _day(request, location)
    rows = day_sheet(location, day)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="day-sheet-{location.slug}-{day}.csv"'
        )
        writer = csv_writer(response)
        writer.writerow(
            ["start", "end", "therapist", "room", "client", "phone", "email", "service",
             "status", "intake", "care plan"]
        )  # fmt: skip
        for row in rows:
            a = row.appointment
            profile = getattr(a.client, "client_profile", None)
            writer.writerow([
                f"{a.starts_at.astimezone(location.zone):%H:%M}", f"{a.ends_at.astimezone(location.zone):%H:%M}",
                a.therapist.display_name, a.room.name, a.client.get_full_name(),
                getattr(profile, "phone", ""), a.client.email, a.service.name,
                a.get_status_display(), row.intake.label if row.intake else "",
                row.balance,
            ])  # fmt: skip
        return response
    context = {
        "rows": rows,
        "location": location,
        "day": day,
        "day_start": dt.datetime.combine(day, dt.time(12), tzinfo=location.zone),
    }
    return render(request, "booking/board/sheet.html", context)
