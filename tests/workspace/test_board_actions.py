"""Front-desk actions over HTTP: each works (htmx and plain), and each refuses the wrong role."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from booking.models import (
    Appointment,
    AppointmentStatus,
    ClinicianTask,
    WaitlistEntry,
    WaitlistOffer,
)
from clinic.models import AuditEvent, User
from intake.gate import BookingGate
from therapists.models import TimeOff

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _local(clinic, days=1, hour=10):
    day = timezone.now().astimezone(clinic.location.zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clinic.location.zone)


def _act(pk, action):
    return reverse("booking:board-act", args=[pk, action])


ACTIONS = ["check-in", "no-show", "cancel", "reschedule", "approve", "decline", "route", "offer"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_actions_refuse_clients_and_therapists(client, clinic, personas, action, persona):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.BOOKED)
    client.force_login(getattr(personas, persona))
    assert client.post(_act(appointment.pk, action), {}).status_code == 403
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.BOOKED


@pytest.mark.parametrize(
    "name",
    ["board-clients", "board-client-new", "board-book", "board-block", "board-sheet", "board"],
)
def test_desk_pages_refuse_other_roles_and_anonymous(client, personas, name):
    url = reverse(f"booking:{name}")
    assert client.get(url).status_code == 302
    for persona in ("client", "therapist"):
        client.force_login(getattr(personas, persona))
        assert client.get(url).status_code == 403


def test_check_in_htmx_returns_the_panel_and_triggers_a_board_refresh(client, clinic, personas):
    start = _local(clinic, days=1, hour=10)
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.BOOKED,
                                     starts_at=start)  # fmt: skip
    # Check-in opens on the appointment's day, two hours before the start by default.
    with time_machine.travel(start - dt.timedelta(minutes=30), tick=False):
        client.force_login(personas.front_desk)
        response = client.post(_act(appointment.pk, "check-in"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "board-changed"
    assert b"<html" not in response.content
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CHECKED_IN


def test_no_show_without_javascript_redirects_to_the_board(client, clinic, personas):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.BOOKED)
    client.force_login(personas.front_desk)
    response = client.post(_act(appointment.pk, "no-show"))
    assert response.status_code == 302
    assert reverse("booking:board") in response["Location"]
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.NO_SHOW


def test_cancel_needs_a_reason_and_then_cancels(client, clinic, personas):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.BOOKED,
                                     starts_at=_local(clinic))  # fmt: skip
    client.force_login(personas.front_desk)
    response = client.post(_act(appointment.pk, "cancel"), {"reason": ""}, **HTMX)
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post(_act(appointment.pk, "cancel"), {"reason": "Client is ill"}, **HTMX)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancellation_reason == "Client is ill"


def test_move_to_a_free_time_and_conflict_is_409(client, clinic, personas):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.BOOKED,
                                     starts_at=_local(clinic, hour=10))  # fmt: skip
    clinic.appointment(personas.other_client, status=AppointmentStatus.BOOKED,
                       starts_at=_local(clinic, hour=14))  # fmt: skip
    client.force_login(personas.front_desk)
    taken = _local(clinic, hour=14).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_act(appointment.pk, "reschedule"), {"start": taken}, **HTMX)
    assert response.status_code == 409
    free = _local(clinic, hour=12).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_act(appointment.pk, "reschedule"), {"start": free}, **HTMX)
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.starts_at == _local(clinic, hour=12)


def test_requests_approve_with_clinician_decline_with_reason_route_to_clinician(
    client, clinic, personas
):
    one, two, three = (
        clinic.appointment(
            personas.client, status=AppointmentStatus.REQUESTED, starts_at=_local(clinic, hour=h)
        )
        for h in (9, 11, 13)
    )
    client.force_login(personas.front_desk)
    assert client.post(_act(one.pk, "approve"), {}, **HTMX).status_code == 400
    # Issue 11: approving is the clinician's own act; front desk naming one gets 403.
    response = client.post(_act(one.pk, "approve"), {"approved_by": personas.therapist.pk}, **HTMX)
    assert response.status_code == 403
    one.refresh_from_db()
    assert one.status == AppointmentStatus.REQUESTED
    assert not AuditEvent.objects.filter(
        actor=personas.front_desk, detail__startswith="override"
    ).exists()
    client.post(_act(two.pk, "decline"), {"reason": "Client withdrew"}, **HTMX)
    two.refresh_from_db()
    assert two.status == AppointmentStatus.CANCELLED
    client.post(_act(three.pk, "route"), {"clinician": personas.other_therapist.pk}, **HTMX)
    assert ClinicianTask.objects.get(appointment=three).assigned_to == personas.other_therapist


def test_offer_a_freed_slot_to_the_waitlist(client, clinic, personas):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.CANCELLED,
                                     starts_at=_local(clinic, days=2))  # fmt: skip
    WaitlistEntry.objects.create(client=personas.other_client, service=clinic.service)
    client.force_login(personas.front_desk)
    response = client.post(_act(appointment.pk, "offer"), **HTMX)
    assert response.status_code == 200
    offer = WaitlistOffer.objects.get()
    assert offer.entry.client == personas.other_client
    assert offer.starts_at == appointment.starts_at


def test_find_client_by_name_phone_or_email(client, personas):
    client.force_login(personas.front_desk)
    phone = personas.client.client_profile.phone
    for query in ("Casey", phone[-7:], "  CLIENT@example.test "):
        response = client.get(reverse("booking:board-clients"), {"q": query}, **HTMX)
        results = response.content.decode().split('id="client-results"')[1]
        assert ">Book for Casey<" in results
        assert ">Book for Olive<" not in results or "@" in query


def test_create_client_then_book_on_their_behalf(client, clinic, personas):
    client.force_login(personas.front_desk)
    url = f"{reverse('booking:board-client-new')}?location={clinic.location.slug}"
    response = client.post(
        url, {"first_name": "Nina", "last_name": "New", "email": "nina@example.test"}
    )
    assert response.status_code == 302
    nina = User.objects.get(email="nina@example.test")
    assert not nina.has_usable_password()
    dup = client.post(url, {"first_name": "Nina", "email": "NINA@example.test"})
    assert dup.status_code == 400
    book = f"{reverse('booking:board-book')}?location={clinic.location.slug}"
    start = _local(clinic, hour=11).strftime("%Y-%m-%dT%H:%M")
    data = {
        "client": nina.pk,
        "service": clinic.service.pk,
        "therapist": clinic.profile.pk,
        "start": start,
    }
    response = client.post(book, data)
    assert response.status_code == 302
    appointment = Appointment.objects.get(client=nina)
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.created_by == personas.front_desk
    again = client.post(book, {**data, "client": personas.client.pk})
    assert again.status_code == 409


def test_request_becomes_booking_only_with_a_clinicians_approval(client, clinic, personas):
    """Issue 11: booking on behalf has no "approved by" override any more; a request stays a
    request (a named approver is ignored) until a therapist approves it themselves."""
    client.force_login(personas.front_desk)
    book = f"{reverse('booking:board-book')}?location={clinic.location.slug}"
    data = {
        "client": personas.client.pk,
        "service": clinic.service.pk,
        "therapist": clinic.profile.pk,
    }
    with mock.patch("booking.scheduling.booking_gate_for", return_value=BookingGate.REQUEST):
        client.post(book, {**data, "start": _local(clinic, hour=9).strftime("%Y-%m-%dT%H:%M")})
        client.post(book, {**data, "start": _local(clinic, hour=12).strftime("%Y-%m-%dT%H:%M"),
                           "approved_by": personas.therapist.pk})  # fmt: skip
    plain, named = Appointment.objects.filter(client=personas.client).order_by("starts_at")
    assert plain.status == named.status == AppointmentStatus.REQUESTED
    assert named.approved_by is None


def test_block_time_and_refuse_over_an_appointment(client, clinic, personas):
    clinic.appointment(
        personas.client, status=AppointmentStatus.BOOKED, starts_at=_local(clinic, hour=10)
    )
    client.force_login(personas.front_desk)
    url = f"{reverse('booking:board-block')}?location={clinic.location.slug}"
    fmt = "%Y-%m-%dT%H:%M"
    clash = {"therapist": clinic.profile.pk, "starts_at": _local(clinic, hour=9).strftime(fmt),
             "ends_at": _local(clinic, hour=11).strftime(fmt), "reason": "Team meeting"}  # fmt: skip
    response = client.post(url, clash)
    assert response.status_code == 409
    assert not TimeOff.objects.exists()
    free = {
        **clash,
        "starts_at": _local(clinic, hour=15).strftime(fmt),
        "ends_at": _local(clinic, hour=16).strftime(fmt),
    }
    assert client.post(url, free).status_code == 302
    assert TimeOff.objects.get().starts_at == _local(clinic, hour=15)


def test_day_sheet_print_and_csv_have_contact_details_only(client, clinic, personas):
    appointment = clinic.appointment(personas.client, status=AppointmentStatus.BOOKED,
                                     starts_at=_local(clinic, hour=10))  # fmt: skip
    client.force_login(personas.front_desk)
    day = appointment.starts_at.astimezone(clinic.location.zone).date()
    url = f"{reverse('booking:board-sheet')}?location={clinic.location.slug}&day={day}"
    assert "Casey" in client.get(url).content.decode()
    csv_text = client.get(url + "&format=csv").content.decode()
    assert csv_text.splitlines()[0].startswith("start,end,therapist")
    assert "10:00" in csv_text
    assert personas.client.client_profile.phone in csv_text


def test_the_desk_types_a_phone_nationally_and_it_is_kept_as_e164(client, clinic, personas):
    client.force_login(personas.front_desk)
    url = f"{reverse('booking:board-client-new')}?location={clinic.location.slug}"
    bad = client.post(url, {"first_name": "Nina", "email": "nina@example.test", "phone": "555"})
    assert bad.status_code == 400
    assert "phone" in bad.context["form"].errors
    client.post(
        url, {"first_name": "Nina", "email": "nina@example.test", "phone": "(518) 371-0420"}
    )
    nina = User.objects.get(email="nina@example.test")
    assert nina.client_profile.phone == "+15183710420"
