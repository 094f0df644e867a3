"""The booking pages: reason → matched therapists and slots → confirm → confirmation (.ics)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from booking import changes, scheduling, selectors
from booking.exceptions import BookingRefused, SlotUnavailable
from booking.forms import (
    AppointmentFilterForm,
    CalendarMonthForm,
    CancelForm,
    ReasonForm,
    RescheduleForm,
    SlotForm,
)
from booking.ics import appointment_calendar_file, therapist_feed_ics
from booking.models import ACTIVE_STATUSES, Appointment, CalendarFeed
from booking.models.feeds import new_feed_token
from booking.openings import (
    TimeChoice,
    horizon_end,
    month_last_day,
    openings_load,
    slots_avoiding,
    time_choices,
    today_at,
)
from booking.views.month import Links, day_context, month_and_day, month_context
from clinic.exceptions import ApplicationError
from clinic.models import ClinicPolicy, Role, User
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from intake.gate import REFUSING_GATES, booking_gate_for, refusal_text

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


def reason_stored(request: HttpRequest) -> ReasonForm | None:
    stored = request.session.get(REASON_SESSION_KEY)
    return ReasonForm(stored) if isinstance(stored, dict) else None


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1 (public): why are you coming, and which service; POSTed, kept in the session."""
    if request.method != "POST":
        stored = reason_stored(request)
        initial = dict(stored.data) if stored is not None else None
        return render(request, "booking/start.html", {"form": ReasonForm(initial=initial)})
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(request, "booking/start.html", {"form": form}, status=400)
    _reason_store(request, form)
    return redirect("booking:find")


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
        "back_url": _calendar_url(data),
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


def _calendar_url(data: dict[str, Any]) -> str:
    """The calendar on the chosen day, to pick another time."""
    query = QueryDict(mutable=True)
    query["service"] = str(data["service"].pk)
    if data.get("location"):
        query["location"] = str(data["location"].pk)
    query["therapist"] = str(data["therapist"].pk)
    day = data["start"].date()
    query["month"], query["day"] = day.strftime("%Y-%m"), day.isoformat()
    return f"{reverse('booking:find')}?{query.urlencode()}"


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
        _("The appointment is cancelled."),
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
        _("Marked as a no-show."),
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
        _("Request approved.") if approve else _("Request declined."),
    )


@login_required
def appointment_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET lists the times the move would accept; GET with a start asks to confirm; POST moves."""
    appointment = selectors.appointment_for(signed_in_user(request), pk)
    user = signed_in_user(request)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            return _act(
                request,
                pk,
                lambda a: changes.appointment_reschedule(
                    appointment=a, start=form.cleaned_data["start"], actor=user
                ),
                _("The appointment has moved."),
            )
        return _reschedule_page(request, appointment, form=form, status=400)
    if "start" in request.GET:
        form = RescheduleForm(request.GET)
        if not form.is_valid():
            return _reschedule_page(request, appointment, form=form, status=400)
        return _reschedule_question(request, appointment, form.cleaned_data["start"])
    return _reschedule_page(request, appointment)


def _reschedule_choices(
    appointment: Appointment, user: User, last_day: dt.date | None = None
) -> list[TimeChoice]:
    """The times appointment_reschedule accepts: its therapist, location and rules, the
    appointment's own time freed, and none overlapping the client's other appointments."""
    policy, now = ClinicPolicy.load(), timezone.now()
    today = today_at(appointment.location, now)
    slots = openings_load(
        service=appointment.service,
        locations=[appointment.location],
        first_day=today,
        last_day=last_day or horizon_end(appointment.location, policy, now),
        therapist_ids=[appointment.therapist_id],
        for_client=appointment.client_id,
        exclude_appointment=appointment.pk,
        ignore_notice=user.is_clinic_staff,
        now=now,
        policy=policy,
    )
    busy = selectors.client_busy_spans(appointment.client, now, exclude=appointment.pk)
    choices = time_choices(slots_avoiding(slots, busy), policy=policy, now=now)
    return [c for c in choices if c.local != appointment.local_start]


def _move_allowed(appointment: Appointment, user: User) -> tuple[dict[str, Any], bool]:
    """The intake gate's notice, and whether ``user`` may move the appointment now.

    A new time is judged as a new booking: an intake gate that refuses booking refuses it.
    """
    gate = _gate_notice(appointment.client)
    may_change = (
        appointment.is_upcoming
        and changes.client_may_still_change(appointment, user, timezone.now())
        and gate["gate"] not in REFUSING_GATES
    )
    return gate, may_change


def _reschedule_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    form: Any = None,
    status: int = 200,
    allowed: tuple[dict[str, Any], bool] | None = None,
) -> HttpResponse:
    """A month of the therapist's days with openings, and the chosen day's times (GET state:
    month and day), as on the booking calendar; one availability computation."""
    user = signed_in_user(request)
    policy, now = ClinicPolicy.load(), timezone.now()
    gate, may_change = allowed or _move_allowed(appointment, user)
    today = today_at(appointment.location, now)
    last_open = horizon_end(appointment.location, policy, now)
    query = CalendarMonthForm(request.GET)
    wanted = query.cleaned_data if query.is_valid() else {"month": None, "day": None}
    own = appointment.local_start.date()
    # Without a month asked for, the appointment's own month.
    shown = wanted["month"] or (None if wanted["day"] else own)
    month, day = month_and_day(shown, wanted["day"], today, last_open)
    choices = (
        _reschedule_choices(appointment, user, min(month_last_day(month), last_open))
        if may_change
        else []
    )
    if day is None:
        # The appointment's own day if it has other times, else the month's first day with any.
        days = [c.day for c in choices if c.day.replace(day=1) == month]
        day = own if own in days else (days[0] if days else None)
    path = reverse("booking:appointment-reschedule", args=[appointment.pk])
    links = Links(
        path,
        {"month": month.strftime("%Y-%m"), "day": day.isoformat() if day else ""},
        ("month", "day"),
    )
    return render(
        request,
        "booking/reschedule.html",
        {
            "appointment": appointment,
            "slots": choices,
            "may_change": may_change,
            "policy": policy,
            "form": form,
            "hide_who": True,
            "location": appointment.location,
            **gate,
            **month_context(links, month, day, today, last_open, choices),
            **day_context(
                day, choices, lambda c: f"{path}?{urlencode({'start': c.local.isoformat()})}"
            ),
        },
        status=status,
    )


def _day_within_horizon(appointment: Appointment, start: dt.datetime) -> dt.date:
    """The local day of ``start``, no later than the horizon (a far date asks for nothing)."""
    location = appointment.location
    day = start.astimezone(location.zone).date()
    return min(day, horizon_end(location, ClinicPolicy.load()))


def _reschedule_question(
    request: HttpRequest, appointment: Appointment, start: dt.datetime
) -> HttpResponse:
    """The move's own confirmation step: from when to when, and whether the new time is late."""
    user = signed_in_user(request)
    gate, may_change = _move_allowed(appointment, user)
    chosen = (
        next(
            (
                c
                for c in _reschedule_choices(
                    appointment, user, _day_within_horizon(appointment, start)
                )
                if c.local == start
            ),
            None,
        )
        if may_change
        else None
    )
    if chosen is None:
        form = RescheduleForm(request.GET)
        form.is_valid()
        form.add_error("start", _("That time is not free any more. Choose another time."))
        return _reschedule_page(
            request, appointment, form=form, status=400, allowed=(gate, may_change)
        )
    policy = ClinicPolicy.load()
    return render(
        request,
        "booking/reschedule_confirm.html",
        {
            "appointment": appointment,
            "choice": chosen,
            "policy": policy,
            "late_warning": policy.late_booking_warning() if chosen.late else "",
            **gate,
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
        messages.success(request, _("A new feed address is ready. The old one no longer works."))
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
