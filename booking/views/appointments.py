"""The booking pages: reason → matched therapists and slots → confirm → confirmation (.ics)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from booking import changes, scheduling, selectors
from booking.availability_selectors import open_slots
from booking.exceptions import BookingRefused, SlotUnavailable
from booking.forms import CancelForm, ReasonForm, RescheduleForm, SlotForm
from booking.ics import appointment_ics, therapist_feed_ics
from booking.matching import matches_for
from booking.models import ACTIVE_STATUSES, Appointment, CalendarFeed
from booking.models.feeds import new_feed_token
from clinic.exceptions import ApplicationError
from clinic.models import ClinicPolicy, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from intake.gate import REFUSING_GATES, booking_gate_for, refusal_text
from therapists.models import TherapistProfile

ANY_THERAPIST_SLOTS = 8


def start(request: HttpRequest) -> HttpResponse:
    """Step 1 (public): why are you coming, and which service."""
    return render(request, "booking/start.html", {"form": ReasonForm()})


def _slot_rows(
    service: Any, locations: list[Any], therapist_id: int | None
) -> list[dict[str, Any]]:
    rows = []
    for location in locations:
        today = timezone.now().astimezone(location.zone).date()
        slots = open_slots(
            service=service,
            location=location,
            first_day=today,
            last_day=today + dt.timedelta(days=14),
            therapist_ids=[therapist_id] if therapist_id else None,
        )
        rows += [
            {"slot": s, "location": location, "local": s.start.astimezone(location.zone)}
            for s in slots
        ]
    rows.sort(key=lambda r: (r["slot"].start, r["slot"].therapist_id))
    return rows[:ANY_THERAPIST_SLOTS]


@role_required(Role.CLIENT)
def find(request: HttpRequest) -> HttpResponse:
    """Step 2: therapists ranked for the client with their next openings (or any / a named one)."""
    form = ReasonForm(request.GET)
    if not form.is_valid():
        return render(request, "booking/start.html", {"form": form}, status=400)
    service, condition = form.cleaned_data["service"], form.cleaned_data["condition"]
    therapist = form.cleaned_data["therapist"]
    slugs = frozenset({condition.slug}) if condition else None
    matches = matches_for(client=request.user, service=service, condition_slugs=slugs, limit=5)
    if therapist:
        matches = [m for m in matches if m.therapist_id == therapist.pk]
    locations = list(service.locations.filter(is_active=True).order_by("pk"))
    names = dict(selectors_therapist_names(service))
    any_slots = _slot_rows(service, locations, therapist.pk if therapist else None)
    for row in any_slots:
        row["therapist_name"] = names.get(row["slot"].therapist_id, "")
    return render(
        request,
        "booking/find.html",
        {
            "service": service,
            "condition": condition,
            "matches": matches,
            "any_slots": any_slots,
            "therapist": therapist,
        },
    )


def selectors_therapist_names(service: Any) -> list[tuple[int, str]]:
    return list(
        TherapistProfile.objects.filter(locations__services=service)
        .values_list("pk", "display_name")
        .distinct()
    )


def _gate_notice(client: Any) -> dict[str, Any]:
    gate = booking_gate_for(client)
    return {"gate": gate, "advice": refusal_text(client, gate) if gate in REFUSING_GATES else ""}


@role_required(Role.CLIENT)
def confirm(request: HttpRequest) -> HttpResponse:
    """Step 3: the chosen slot, the cancellation policy, and the booking button."""
    form = SlotForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render(request, "booking/confirm.html", {"form": form, "invalid": True}, status=400)
    data = form.cleaned_data
    context: dict[str, Any] = {
        "form": form,
        "service": data["service"],
        "therapist": data["therapist"],
        "start": data["start"],
        "policy": ClinicPolicy.load(),
        **_gate_notice(request.user),
    }
    if request.method == "POST":
        try:
            appointment = scheduling.appointment_book(
                client=request.user,
                service=data["service"],
                therapist=data["therapist"],
                start=data["start"],
                actor=request.user,
            )
        except SlotUnavailable as error:
            context.update(error=error.message, alternatives=_parse_alternatives(error))
            return render(request, "booking/confirm.html", context, status=409)
        except BookingRefused as error:
            context.update(refused=error.message)
            return render(request, "booking/confirm.html", context, status=403)
        return redirect("booking:appointment", pk=appointment.pk)
    return render(request, "booking/confirm.html", context)


def _parse_alternatives(error: ApplicationError) -> list[dict[str, Any]]:
    return [
        {**alt, "local": dt.datetime.fromisoformat(alt["start"])}
        for alt in error.extra.get("alternatives", [])
    ]


@login_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    appointments = selectors.appointments_visible_to(request.user)
    if signed_in_user(request).role != Role.CLIENT:
        appointments = appointments.filter(starts_at__gte=timezone.now() - dt.timedelta(days=1))
    return render(request, "booking/appointment_list.html", {"appointments": appointments[:200]})


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(request.user, pk)
    return render(
        request,
        "booking/appointment_detail.html",
        {
            "appointment": appointment,
            "cancel_form": CancelForm(),
            "policy": ClinicPolicy.load(),
            "is_staff": signed_in_user(request).is_clinic_staff,
            # Approving a request is a therapist's own act (booking.changes).
            "is_clinician": signed_in_user(request).role == Role.THERAPIST,
        },
    )


@login_required
def appointment_ics_download(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(request.user, pk)
    response = HttpResponse(
        appointment_ics(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    appointment = selectors.appointment_for(request.user, pk)
    try:
        action(appointment)
    except ApplicationError as error:
        from django.contrib import messages

        messages.error(request, error.message)
    else:
        from django.contrib import messages

        messages.success(request, done)
    return redirect("booking:appointment", pk=appointment.pk)


@login_required
@require_POST
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    late = request.POST.get("late") == "1" if signed_in_user(request).is_clinic_staff else None
    return _act(
        request,
        pk,
        lambda a: changes.appointment_cancel(
            appointment=a, actor=request.user, reason=reason, late=late
        ),
        "The appointment is cancelled.",
    )


@role_required(Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.THERAPIST)
@require_POST
def appointment_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: scheduling.appointment_mark_no_show(appointment=a, actor=request.user),
        "Marked as a no-show.",
    )


@role_required(Role.THERAPIST, Role.CLINIC_ADMIN)
@require_POST
def appointment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("approve") == "1"
    return _act(
        request,
        pk,
        lambda a: changes.appointment_request_decide(
            appointment=a,
            actor=request.user,
            approve=approve,
            reason=request.POST.get("reason", ""),
        ),
        "Request approved." if approve else "Request declined.",
    )


@login_required
def appointment_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(request.user, pk)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            return _act(
                request,
                pk,
                lambda a: changes.appointment_reschedule(
                    appointment=a, start=form.cleaned_data["start"], actor=request.user
                ),
                "The appointment has moved.",
            )
    rows = _slot_rows(appointment.service, [appointment.location], appointment.therapist_id)
    return render(
        request,
        "booking/reschedule.html",
        {"appointment": appointment, "slots": rows, "policy": ClinicPolicy.load()},
    )


@role_required(Role.THERAPIST)
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "therapist_profile", None)
    if profile is None:
        raise Http404
    feed, _created = CalendarFeed.objects.get_or_create(therapist=profile)
    if request.method == "POST":
        feed.token, feed.revoked_count = new_feed_token(), feed.revoked_count + 1
        feed.save(update_fields=["token", "revoked_count"])
        return redirect("booking:feed-settings")
    url = request.build_absolute_uri(f"/booking/feeds/{feed.token}.ics")
    return render(request, "booking/feed_settings.html", {"feed_url": url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The therapist's private feed; anyone with the secret URL can read it (revocable)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("therapist"), token=token)
    appointments = (
        Appointment.objects.filter(
            therapist=feed.therapist,
            status__in=ACTIVE_STATUSES,
            starts_at__gte=timezone.now() - dt.timedelta(days=30),
        )
        .select_related("client", "service", "location", "therapist")
        .order_by("starts_at")
    )
    return HttpResponse(
        therapist_feed_ics(f"{feed.therapist.display_name} — appointments", appointments),
        content_type="text/calendar; charset=utf-8",
    )
