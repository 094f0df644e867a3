"""Booking API: one view per operation; each validates, calls one domain function, renders."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking import careplans, changes, scheduling, selectors, waitlist
from booking.api import serializers as s
from booking.availability import Slot
from booking.availability_selectors import open_slots
from booking.ics import appointment_calendar_file
from booking.matching import match_payload, matches_for
from booking.models import CarePlan, WaitlistEntry
from booking.openings import opening_days, openings_load, time_choices
from clinic.api.schema import errors, page_of, results_of
from clinic.models import ClinicPolicy, Role
from clinic.permissions import IsClient, IsClinicStaff, user_has_role
from clinic.views.common import signed_in_user

STAFF = (Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN)
CLINICIANS = (Role.THERAPIST, Role.CLINIC_ADMIN)


class AvailabilityView(APIView):
    """Open slots for a service at a location between two local dates (public)."""

    permission_classes = (AllowAny,)

    @extend_schema(
        parameters=[
            OpenApiParameter("service", int, required=True),
            OpenApiParameter("location", int, required=True),
            OpenApiParameter("from", str, required=True, description="YYYY-MM-DD, local date"),
            OpenApiParameter("to", str, required=True, description="YYYY-MM-DD, local date"),
            OpenApiParameter("therapist", int),
        ],
        responses=s.AvailabilityResponseSerializer,
    )
    def get(self, request: Request) -> Response:
        query = s.AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        location = data["location"]
        therapist = data.get("therapist")
        slots = open_slots(
            service=data["service"],
            location=location,
            first_day=data["from_"],
            last_day=data["to"],
            therapist_ids=[therapist.pk] if therapist else None,
        )
        return Response({"slots": slots_payload(slots, location.zone)})


def slots_payload(slots: list[Slot], zone: ZoneInfo) -> list[dict[str, Any]]:
    """As scheduling.slot_payload for each slot, writing each instant once: the therapists of a
    location share start times, and one slot's end is often another's start."""
    local: dict[dt.datetime, str] = {}

    def iso(moment: dt.datetime) -> str:
        text = local.get(moment)
        if text is None:
            text = local[moment] = moment.astimezone(zone).isoformat()
        return text

    return [
        {"therapist": slot.therapist_id, "start": iso(slot.start), "end": iso(slot.end)}
        for slot in slots
    ]


class AvailabilityDaysView(APIView):
    """The days with openings between two local dates, as the booking calendar shows them
    (public; a signed-in client also sees times held for them on the waitlist)."""

    permission_classes = (AllowAny,)

    @extend_schema(
        parameters=[
            OpenApiParameter("service", int, required=True),
            OpenApiParameter("location", int, required=True),
            OpenApiParameter("start", str, required=True, description="YYYY-MM-DD, local date"),
            OpenApiParameter("end", str, required=True, description="YYYY-MM-DD, local date"),
            OpenApiParameter("therapist", int, description="Only this therapist; else anyone."),
        ],
        responses=s.AvailabilityDaysResponseSerializer,
        operation_id="availability_days",
    )
    def get(self, request: Request) -> Response:
        data = _valid_query(s.AvailabilityDaysQuerySerializer, request)
        user = request.user
        client_id = user.pk if user.is_authenticated and user.role == Role.CLIENT else None
        policy, now = ClinicPolicy.load(), timezone.now()
        slots = openings_load(
            service=data["service"],
            locations=[data["location"]],
            first_day=data["start"],
            last_day=data["end"],
            therapist_ids=[data["therapist"].pk] if data.get("therapist") else None,
            for_client=client_id,
            now=now,
            policy=policy,
        )
        days = opening_days(time_choices(slots, policy=policy, now=now))
        return Response(
            {
                "days": [
                    {
                        "date": d.day.isoformat(),
                        "openings": d.openings,
                        "first_start": d.first_start.isoformat(),
                    }
                    for d in days
                ]
            }
        )


class MatchesView(APIView):
    """Therapists ranked for the signed-in client, with reasons and next openings."""

    permission_classes = (IsClient,)

    @extend_schema(
        parameters=[
            OpenApiParameter("service", int, required=True),
            OpenApiParameter("location", int),
        ],
        responses=s.MatchSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = s.MatchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = matches_for(client=signed_in_user(request), **query.validated_data)
        return Response({"results": [match_payload(m) for m in matches]})


class AppointmentListCreateView(APIView):
    """Own appointments (clients, therapists) or all (front desk, clinic admin); book one."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        parameters=[
            OpenApiParameter("limit", int, description="Results per page (at most 50 by default)."),
            OpenApiParameter("offset", int, description="Results to skip."),
        ],
        responses=page_of(s.AppointmentSerializer, "AppointmentPage"),
        operation_id="appointments_list",
    )
    def get(self, request: Request) -> Response:
        qs = selectors.appointments_visible_to(signed_in_user(request))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.AppointmentSerializer(page, many=True).data)

    @extend_schema(
        request=s.AppointmentCreateSerializer,
        responses={201: s.AppointmentSerializer, **errors(409)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(s.AppointmentCreateSerializer, request)
        user = signed_in_user(request)
        if user.role == Role.CLIENT:
            client = user
        elif user_has_role(user, (Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.THERAPIST)) and data.get(
            "client"
        ):
            client = data["client"]
        else:
            raise PermissionDenied("Only clients book for themselves; staff must name the client.")
        appointment = scheduling.appointment_book(
            client=client,
            service=data["service"],
            therapist=data["therapist"],
            start=data["start"],
            actor=user,
            location=data.get("location"),
        )
        return Response(s.AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)


def _valid_query(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AppointmentDetailView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=s.AppointmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            s.AppointmentSerializer(selectors.appointment_for(signed_in_user(request), pk)).data
        )


class AppointmentCancelView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=s.CancelSerializer, responses=s.AppointmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        appointment = selectors.appointment_for(signed_in_user(request), pk)
        data = _valid(s.CancelSerializer, request)
        late = data["late"] if signed_in_user(request).is_clinic_staff else None
        appointment = changes.appointment_cancel(
            appointment=appointment, actor=signed_in_user(request), reason=data["reason"], late=late
        )
        return Response(s.AppointmentSerializer(appointment).data)


class AppointmentRescheduleView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        request=s.RescheduleSerializer, responses={200: s.AppointmentSerializer, **errors(409)}
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = selectors.appointment_for(signed_in_user(request), pk)
        data = _valid(s.RescheduleSerializer, request)
        appointment = changes.appointment_reschedule(
            appointment=appointment, start=data["start"], actor=signed_in_user(request)
        )
        return Response(s.AppointmentSerializer(appointment).data)


class AppointmentNoShowView(APIView):
    permission_classes = (IsClinicStaff,)

    @extend_schema(request=None, responses=s.AppointmentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        appointment = selectors.appointment_for(signed_in_user(request), pk)
        appointment = scheduling.appointment_mark_no_show(
            appointment=appointment, actor=signed_in_user(request)
        )
        return Response(s.AppointmentSerializer(appointment).data)


class AppointmentDecideView(APIView):
    """A clinician approves or declines a requested appointment."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        request=s.DecideSerializer, responses={200: s.AppointmentSerializer, **errors(409)}
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = selectors.appointment_for(signed_in_user(request), pk)
        if not user_has_role(signed_in_user(request), CLINICIANS):
            raise PermissionDenied
        data = _valid(s.DecideSerializer, request)
        appointment = changes.appointment_request_decide(
            appointment=appointment,
            actor=signed_in_user(request),
            approve=data["approve"],
            reason=data["reason"],
        )
        return Response(s.AppointmentSerializer(appointment).data)


class AppointmentIcsView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={(200, "text/calendar"): bytes})
    def get(self, request: Request, pk: int) -> HttpResponse:
        appointment = selectors.appointment_for(signed_in_user(request), pk)
        response = HttpResponse(
            appointment_calendar_file(appointment), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
        return response


class CarePlanListCreateView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        responses=results_of(s.CarePlanSerializer, "CarePlanList"), operation_id="care_plans_list"
    )
    def get(self, request: Request) -> Response:
        plans = selectors.care_plans_visible_to(signed_in_user(request)).order_by(
            "-created_at", "-pk"
        )
        read = selectors.care_plans_read(signed_in_user(request), plans, request=request._request)
        return Response({"results": s.CarePlanSerializer(read, many=True).data})

    @extend_schema(request=s.CarePlanCreateSerializer, responses={201: s.CarePlanSerializer})
    def post(self, request: Request) -> Response:
        if not user_has_role(signed_in_user(request), CLINICIANS):
            raise PermissionDenied("Only a therapist or clinic admin sets a care plan.")
        data = _valid(s.CarePlanCreateSerializer, request)
        if signed_in_user(request).role == Role.THERAPIST:
            data["therapist"] = signed_in_user(request).therapist_profile
        elif "therapist" not in data:
            return Response(
                {
                    "code": "invalid",
                    "message": "therapist: This field is required.",
                    "fields": {"therapist": ["This field is required."]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        plan = careplans.care_plan_create(actor=signed_in_user(request), **data)
        plan = selectors.care_plan_for(signed_in_user(request), plan.pk)
        return Response(s.CarePlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class CarePlanDetailView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=s.CarePlanSerializer)
    def get(self, request: Request, pk: int) -> Response:
        plan = selectors.care_plan_read(signed_in_user(request), pk, request=request._request)
        return Response(s.CarePlanSerializer(plan).data)


class CarePlanBookView(APIView):
    """Book the plan's whole series; conflicting sessions come back with nearby alternatives."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=s.CarePlanBookSerializer, responses={201: dict, **errors(409)})
    def post(self, request: Request, pk: int) -> Response:
        plan: CarePlan = selectors.care_plan_for(signed_in_user(request), pk)
        if not user_has_role(
            signed_in_user(request),
            (Role.CLIENT, Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.THERAPIST),
        ):
            raise PermissionDenied
        data = _valid(s.CarePlanBookSerializer, request)
        result = careplans.care_plan_book_series(
            plan=plan, first_start=data["start"], actor=signed_in_user(request)
        )
        return Response(
            {
                "booked": s.AppointmentSerializer(result.booked, many=True).data,
                "conflicts": result.conflicts,
                "progress": careplans.care_plan_progress(plan).as_dict(),
            },
            status=status.HTTP_201_CREATED,
        )


class WaitlistView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        responses=results_of(s.WaitlistEntrySerializer, "WaitlistEntryList"),
        operation_id="waitlist_list",
    )
    def get(self, request: Request) -> Response:
        entries = selectors.waitlist_visible_to(signed_in_user(request)).order_by(
            "created_at", "pk"
        )
        return Response({"results": s.WaitlistEntrySerializer(entries, many=True).data})

    @extend_schema(request=s.WaitlistJoinSerializer, responses={201: s.WaitlistEntrySerializer})
    def post(self, request: Request) -> Response:
        if signed_in_user(request).role != Role.CLIENT:
            raise PermissionDenied("Clients join the waitlist themselves.")
        data = _valid(s.WaitlistJoinSerializer, request)
        entry = waitlist.waitlist_join(client=signed_in_user(request), **data)
        return Response(s.WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class WaitlistLeaveView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses=s.WaitlistEntrySerializer)
    def post(self, request: Request, pk: int) -> Response:
        entry: WaitlistEntry = selectors.waitlist_entry_for(signed_in_user(request), pk)
        return Response(s.WaitlistEntrySerializer(waitlist.waitlist_leave(entry=entry)).data)


class WaitlistOfferAcceptView(APIView):
    """The offered client confirms a held slot; the first to confirm gets it."""

    permission_classes = (IsClient,)

    @extend_schema(request=None, responses={201: s.AppointmentSerializer, **errors(409)})
    def post(self, request: Request, pk: int) -> Response:
        offer = selectors.waitlist_offer_for_client(signed_in_user(request), pk)
        appointment = waitlist.waitlist_offer_accept(offer=offer, actor=signed_in_user(request))
        return Response(s.AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)
