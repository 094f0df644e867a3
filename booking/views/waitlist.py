"""Waitlist pages: clients join, see their entries and offers, confirm or leave; the front desk
sees the waitlist per location and offers freed times to it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as date_format
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from booking import selectors, waitlist
from booking.board.actions import freed_slot_offer
from booking.exceptions import SlotUnavailable
from booking.models import Appointment, WaitlistOfferStatus, WaitlistStatus
from clinic.exceptions import ApplicationError
from clinic.models import Location, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
from therapists.models import Service, TherapistProfile

DESK = (Role.FRONT_DESK, Role.CLINIC_ADMIN)
WINDOW_ROWS = 3
# Django's day names, translated when shown (lazy).
WEEKDAYS = [("", "—"), *sorted(WEEKDAY_NAMES.items())]


def _role(request: HttpRequest) -> str:
    return str(getattr(signed_in_user(request), "role", ""))


class JoinForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True, bookable_online=True),
        empty_label=None,
        label=_("Service"),
    )
    therapist = forms.ModelChoiceField(
        queryset=TherapistProfile.objects.bookable().order_by("display_name"),
        required=False,
        empty_label=_("Any therapist"),
        label=_("Therapist"),
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Any location"),
        label=_("Location"),
    )


class WindowForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, required=False, label=_("Day"))
    start = forms.TimeField(
        required=False, label=_("From"), widget=forms.TimeInput({"type": "time"})
    )
    end = forms.TimeField(required=False, label=_("To"), widget=forms.TimeInput({"type": "time"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(f) not in (None, "") for f in ("weekday", "start", "end")]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Give a day, a start and an end, or leave the row empty.")
            )
        if all(given) and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data

    def window(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if data.get("weekday") in (None, ""):
            return None
        return {
            "weekday": data["weekday"],
            "start": f"{data['start']:%H:%M}",
            "end": f"{data['end']:%H:%M}",
        }


WindowFormSet = forms.formset_factory(WindowForm, extra=WINDOW_ROWS, max_num=WINDOW_ROWS)


def windows_text(windows: list[dict[str, Any]]) -> str:
    """'Tuesday 09:00-12:00, Thursday 08:00-12:00' (location time), or 'any time'."""
    names = dict(WEEKDAYS[1:])
    parts = [
        gettext("%(day)s %(start)s to %(end)s")
        % {"day": names.get(w["weekday"], "?"), "start": w["start"], "end": w["end"]}
        for w in windows
    ]
    return ", ".join(parts) or gettext("any time")


def _rows(entries: list[Any]) -> list[dict[str, Any]]:
    return [{"entry": e, "when": windows_text(e.windows)} for e in entries]


@role_required(Role.CLIENT)
def my_waitlist(request: HttpRequest) -> HttpResponse:
    entries = selectors.waitlist_visible_to(signed_in_user(request)).order_by("-created_at", "-pk")
    return render(
        request,
        "booking/waitlist/mine.html",
        {
            "rows": _rows(list(entries[:100])),
            "offers": waitlist.open_offers_for_client(signed_in_user(request)),
        },
    )


@role_required(Role.CLIENT)
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    windows = WindowFormSet(request.POST or None, prefix="windows")
    if request.method == "POST" and form.is_valid() and windows.is_valid():
        chosen = [w for w in (f.window() for f in windows.forms) if w is not None]
        try:
            waitlist.waitlist_join(
                client=signed_in_user(request), windows=chosen, **form.cleaned_data
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request, gettext("You are on the waitlist. We will tell you when a time frees up.")
            )
            return redirect("booking:waitlist")
    return render(
        request,
        "booking/waitlist/join.html",
        {"form": form, "windows": windows},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.CLIENT, *DESK)
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.waitlist_entry_for(signed_in_user(request), pk)
    if entry.status == WaitlistStatus.WAITING:
        waitlist.waitlist_leave(entry=entry)
        messages.success(request, gettext("Removed from the waitlist."))
    if _role(request) == Role.CLIENT:
        return redirect("booking:waitlist")
    location = urlencode({"location": request.POST.get("location", "")})
    return redirect(f"/booking/waitlist/desk/?{location}")


@role_required(Role.CLIENT)
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The held time with its deadline (location time); POST confirms it. First to confirm wins."""
    held = selectors.waitlist_offer_for_client(signed_in_user(request), pk)
    context: dict[str, Any] = {"offer": held}
    if request.method == "POST":
        try:
            appointment = waitlist.waitlist_offer_accept(offer=held, actor=signed_in_user(request))
        except SlotUnavailable as error:
            held.refresh_from_db()
            context.update(error=error.message)
            return render(request, "booking/waitlist/offer.html", context, status=409)
        except ApplicationError as error:
            held.refresh_from_db()
            context.update(error=error.message)
            return render(request, "booking/waitlist/offer.html", context, status=400)
        messages.success(request, gettext("The time is yours."))
        return redirect("booking:appointment", pk=appointment.pk)
    context["is_open"] = held.status == WaitlistOfferStatus.OPEN and not _lapsed(held)
    return render(request, "booking/waitlist/offer.html", context)


def _lapsed(held: Any) -> bool:
    from django.utils import timezone

    return held.expires_at <= timezone.now()


def _desk_location(request: HttpRequest) -> Location:
    locations = Location.objects.filter(is_active=True).order_by("name", "pk")
    wanted = request.GET.get("location") or request.POST.get("location")
    if wanted:
        try:
            return locations.get(pk=int(wanted))
        except (Location.DoesNotExist, ValueError):
            raise Http404 from None
    first = locations.first()
    if first is None:
        raise Http404
    return first


@role_required(*DESK)
def desk(request: HttpRequest) -> HttpResponse:
    """The waitlist at one location, and freed times that can be offered to it."""
    location = _desk_location(request)
    return render(
        request,
        "booking/waitlist/desk.html",
        {
            "location": location,
            "locations": list(Location.objects.filter(is_active=True).order_by("name", "pk")),
            "rows": _rows(waitlist.waiting_at_location(location)),
            "freed": waitlist.freed_slots_at_location(location),
        },
    )


@role_required(*DESK)
@require_POST
def desk_offer(request: HttpRequest, pk: int) -> HttpResponse:
    # The board's "offer to waitlist" action: one rule for both pages.
    appointment = (
        Appointment.objects.select_related("location", "therapist", "service").filter(pk=pk).first()
    )
    if appointment is None:
        raise Http404
    try:
        made = freed_slot_offer(appointment=appointment, actor=signed_in_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if made is None:
            messages.info(request, gettext("Nobody on the waitlist matches this time."))
        else:
            deadline = made.expires_at.astimezone(appointment.location.zone)
            messages.success(
                request,
                gettext("Offered to %(name)s until %(deadline)s (%(zone)s).")
                % {
                    "name": made.entry.client.get_full_name() or made.entry.client.email,
                    "deadline": date_format(deadline, "D d M H:i"),
                    "zone": deadline.tzname(),
                },
            )
    return redirect(f"/booking/waitlist/desk/?location={appointment.location_id}")
