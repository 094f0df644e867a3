"""The booking pages: reason → matched therapists and slots → confirm → confirmation (.ics)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from booking import changes, scheduling, selectors
from booking.availability_selectors import open_slots
from booking.exceptions import BookingRefused, SlotUnavailable
from booking.forms import AppointmentFilterForm, CancelForm, ReasonForm, RescheduleForm, SlotForm
from booking.ics import appointment_calendar_file, therapist_feed_ics
from booking.matching import matches_for
from booking.models import ACTIVE_STATUSES, Appointment, CalendarFeed
from booking.models.feeds import new_feed_token
from clinic.exceptions import ApplicationError
from clinic.models import ClinicPolicy, Role, User
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from intake.gate import REFUSING_GATES, booking_gate_for, refusal_text
from therapists.models import TherapistProfile

ANY_THERAPIST_SLOTS = 8
APPOINTMENTS_PER_PAGE = 50


# The reason for the visit (a condition) is health data: it travels in a POST body and waits in
# the server-side session, never in a URL, where logs, history and referrers would keep it.
REASON_SESSION_KEY = "booking_reason"


def _reason_store(request: HttpRequest, form: ReasonForm) -> None:
    data = form.cleaned_data
    request.session[REASON_SESSION_KEY] = {
        "condition": data["condition"].slug if data["condition"] else "",
        "service": data["service"].pk,
        "therapist": data["therapist"].pk if data["therapist"] else "",
    }


def _reason_stored(request: HttpRequest) -> ReasonForm | None:
    stored = request.session.get(REASON_SESSION_KEY)
    return ReasonForm(stored) if isinstance(stored, dict) else None


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1 (public): why are you coming, and which service; POSTed, kept in the session."""
    if request.method != "POST":
        stored = _reason_stored(request)
        initial = dict(stored.data) if stored is not None else None
        return render(request, "booking/start.html", {"form": ReasonForm(initial=initial)})
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(request, "booking/start.html", {"form": form}, status=400)
    _reason_store(request, form)
    return redirect("booking:find")


def _slot_rows(
    service: Any, locations: list[Any], therapist_id: int | None
) -> list[dict[str, Any]]:
    """The soonest openings, each marked ``late`` when it is already inside the change cut-off."""
    policy, now = ClinicPolicy.load(), timezone.now()
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
            {
                "slot": s,
                "location": location,
                "local": s.start.astimezone(location.zone),
                "late": not policy.allows_online_change(s.start, now=now),
            }
            for s in slots
        ]
    rows.sort(key=lambda r: (r["slot"].start, r["slot"].therapist_id))
    return rows[:ANY_THERAPIST_SLOTS]


@role_required(Role.CLIENT)
def find(request: HttpRequest) -> HttpResponse:
    """Step 2: therapists ranked for the client with their next openings (or any / a named one).

    The reason comes from the session (step 1 put it there); the query string is never read.
    """
    form = _reason_stored(request)
    if form is None:
        return redirect("booking:start")
    if not form.is_valid():  # e.g. the service was withdrawn since step 1
        return render(request, "booking/start.html", {"form": form}, status=400)
    service, condition = form.cleaned_data["service"], form.cleaned_data["condition"]
    therapist = form.cleaned_data["therapist"]
    slugs = frozenset({condition.slug}) if condition else None
    matches = matches_for(
        client=signed_in_user(request), service=service, condition_slugs=slugs, limit=5
    )
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
            "change_cutoff_at": _change_cutoff_at(),
        },
    )


def _change_cutoff_at() -> dt.datetime:
    """Openings before this moment can't be changed online once booked."""
    hours = ClinicPolicy.load().cancellation_cutoff_hours
    return timezone.now() + dt.timedelta(hours=hours)


def selectors_therapist_names(service: Any) -> list[tuple[int, str]]:
    return list(
        TherapistProfile.objects.filter(locations__services=service)
        .values_list("pk", "display_name")
        .distinct()
    )


def _gate_notice(client: User) -> dict[str, Any]:
    gate = booking_gate_for(client)
    return {"gate": gate, "advice": refusal_text(client, gate) if gate in REFUSING_GATES else ""}


@role_required(Role.CLIENT)
def confirm(request: HttpRequest) -> HttpResponse:
    """Step 3: the chosen slot, the cancellation policy, and the booking button."""
    form = SlotForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render(request, "booking/confirm.html", {"form": form, "invalid": True}, status=400)
    data = form.cleaned_data
    policy = ClinicPolicy.load()
    late = not policy.allows_online_change(data["start"], now=timezone.now())
    context: dict[str, Any] = {
        "form": form,
        "service": data["service"],
        "therapist": data["therapist"],
        "start": data["start"],
        "location": data["location"],
        "policy": policy,
        "late_warning": policy.late_booking_warning() if late else "",
        **_gate_notice(signed_in_user(request)),
    }
    if request.method == "POST":
        try:
            appointment = scheduling.appointment_book(
                client=signed_in_user(request),
                service=data["service"],
                therapist=data["therapist"],
                start=data["start"],
                actor=signed_in_user(request),
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
    """The appointments the user may see; staff filter by day, therapist and status, and sort.

    Without a day chosen, staff see from yesterday on (the list they work from); clients see all.
    """
    user = signed_in_user(request)
    is_staff = user.role != Role.CLIENT
    form = AppointmentFilterForm(
        request.GET or None, choose_therapist=user.role in (Role.FRONT_DESK, Role.CLINIC_ADMIN)
    )
    context: dict[str, Any] = {"form": form, "is_staff": is_staff}
    if form.is_bound and not form.is_valid():
        context.update(appointments=[], page=None)
        return render(request, "booking/appointment_list.html", context, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    appointments = selectors.appointments_filtered(
        user,
        day_from=filters.get("day_from"),
        day_to=filters.get("day_to"),
        therapist=filters.get("therapist"),
        status=filters.get("status", ""),
        sort=filters.get("sort", ""),
    )
    if is_staff and not (filters.get("day_from") or filters.get("day_to")):
        appointments = appointments.filter(starts_at__gte=timezone.now() - dt.timedelta(days=1))
    page = Paginator(appointments, APPOINTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(appointments=page.object_list, page=page, query=query.urlencode())
    return render(request, "booking/appointment_list.html", context)


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(signed_in_user(request), pk)
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
            "arrive_at": appointment.local_start
            - dt.timedelta(minutes=ClinicPolicy.load().arrival_minutes_before),
            "may_change": appointment.is_upcoming
            and changes.client_may_still_change(
                appointment, signed_in_user(request), timezone.now()
            ),
        },
    )


@login_required
def appointment_ics_download(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(signed_in_user(request), pk)
    response = HttpResponse(
        appointment_calendar_file(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    appointment = selectors.appointment_for(signed_in_user(request), pk)
    try:
        action(appointment)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("booking:appointment", pk=appointment.pk)


@login_required
def appointment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (saying whether it would be late); POST cancels."""
    if request.method != "POST":
        return _cancel_question(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    late = request.POST.get("late") == "1" if signed_in_user(request).is_clinic_staff else None
    return _act(
        request,
        pk,
        lambda a: changes.appointment_cancel(
            appointment=a, actor=signed_in_user(request), reason=reason, late=late
        ),
        "The appointment is cancelled.",
    )


def _cancel_question(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(signed_in_user(request), pk)
    if not appointment.is_upcoming:
        return redirect("booking:appointment", pk=appointment.pk)
    user = signed_in_user(request)
    return render(
        request,
        "booking/cancel.html",
        {
            "appointment": appointment,
            "form": CancelForm(),
            "policy": ClinicPolicy.load(),
            "is_staff": user.is_clinic_staff,
            "late": not changes.client_may_still_change(appointment, user, timezone.now()),
        },
    )


@role_required(Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.THERAPIST)
@require_POST
def appointment_no_show(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: scheduling.appointment_mark_no_show(appointment=a, actor=signed_in_user(request)),
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
            actor=signed_in_user(request),
            approve=approve,
            reason=request.POST.get("reason", ""),
        ),
        "Request approved." if approve else "Request declined.",
    )


@login_required
def appointment_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_for(signed_in_user(request), pk)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            return _act(
                request,
                pk,
                lambda a: changes.appointment_reschedule(
                    appointment=a, start=form.cleaned_data["start"], actor=signed_in_user(request)
                ),
                "The appointment has moved.",
            )
    user = signed_in_user(request)
    may_change = appointment.is_upcoming and changes.client_may_still_change(
        appointment, user, timezone.now()
    )
    rows = (
        _slot_rows(appointment.service, [appointment.location], appointment.therapist_id)
        if may_change
        else []
    )
    return render(
        request,
        "booking/reschedule.html",
        {
            "appointment": appointment,
            "slots": rows,
            "may_change": may_change,
            "any_late": any(row["late"] for row in rows),
            "policy": ClinicPolicy.load(),
        },
    )


@role_required(Role.THERAPIST)
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    profile = getattr(signed_in_user(request), "therapist_profile", None)
    if profile is None:
        raise Http404
    feed, _created = CalendarFeed.objects.get_or_create(therapist=profile)
    if request.method == "POST":
        feed.token, feed.revoked_count = new_feed_token(), feed.revoked_count + 1
        feed.save(update_fields=["token", "revoked_count"])
        messages.success(
            request, gettext("A new feed address is ready. The old one no longer works.")
        )
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
