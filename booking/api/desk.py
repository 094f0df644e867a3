"""The front desk's operations in the API: check-in and its undo, block time, the day sheet.

The same domain functions as the board (booking.arrivals, booking.board), so the same
rules and the same audit records apply; front desk and clinic admins only.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking import arrivals
from booking.api.serializers import AppointmentSerializer, local_iso
from booking.board import actions
from booking.board.selectors import day_sheet
from booking.models import Appointment
from clinic.api.fields import PrimaryKeyField
from clinic.exceptions import NotFound
from clinic.models import Location
from clinic.permissions import IsSchedulingStaff
from clinic.views.common import signed_in_user
from therapists.models import TherapistProfile


def _appointment(pk: int) -> Appointment:
    appointment = Appointment.objects.select_related("location").filter(pk=pk).first()
    if appointment is None:
        raise NotFound("No such appointment.")
    return appointment


class CheckInView(APIView):
    """Check the client in: on the appointment's day, from the clinic's window before it."""

    permission_classes = (IsSchedulingStaff,)

    @extend_schema(
        request=None, responses=AppointmentSerializer, operation_id="appointment_check_in"
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = arrivals.appointment_check_in(
            appointment=_appointment(pk), actor=signed_in_user(request)
        )
        return Response(AppointmentSerializer(appointment).data)


class CheckInUndoView(APIView):
    """Take back a check-in made in error, within a few minutes (audited)."""

    permission_classes = (IsSchedulingStaff,)

    @extend_schema(
        request=None, responses=AppointmentSerializer, operation_id="appointment_check_in_undo"
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = arrivals.appointment_check_in_undo(
            appointment=_appointment(pk), actor=signed_in_user(request)
        )
        return Response(AppointmentSerializer(appointment).data)


class BlockInputSerializer(serializers.Serializer):
    therapist = PrimaryKeyField(queryset=TherapistProfile.objects.active())
    starts_at = serializers.DateTimeField(help_text="With a UTC offset.")
    ends_at = serializers.DateTimeField(help_text="With a UTC offset.")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BlockOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    therapist = serializers.IntegerField(source="therapist_id")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    kind = serializers.CharField()
    reason = serializers.CharField()


class BlockView(APIView):
    """Block a therapist's time (refused over their booked appointments, 409 time_taken)."""

    permission_classes = (IsSchedulingStaff,)

    @extend_schema(
        request=BlockInputSerializer,
        responses={201: BlockOutputSerializer},
        operation_id="therapist_time_block",
    )
    def post(self, request: Request) -> Response:
        data = BlockInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        block = actions.therapist_time_block(
            therapist=values["therapist"], start=values["starts_at"], end=values["ends_at"],
            reason=values["reason"], actor=signed_in_user(request),
        )  # fmt: skip
        return Response(BlockOutputSerializer(block).data, status=status.HTTP_201_CREATED)


class DaySheetQuerySerializer(serializers.Serializer):
    location = PrimaryKeyField(queryset=Location.objects.filter(is_active=True))
    day = serializers.DateField(input_formats=["%Y-%m-%d"])


class DaySheetRowSerializer(serializers.Serializer):
    appointment = serializers.IntegerField()
    start = serializers.CharField()
    end = serializers.CharField()
    status = serializers.CharField()
    client = serializers.IntegerField()
    client_name = serializers.CharField()
    phone = serializers.CharField()
    service = serializers.CharField()
    therapist = serializers.CharField()
    room = serializers.CharField()
    intake_status = serializers.CharField(allow_null=True)
    care_plan = serializers.CharField(help_text="Balance of the client's care plan, or empty.")


class DaySheetSerializer(serializers.Serializer):
    location = serializers.IntegerField()
    day = serializers.DateField()
    rows = DaySheetRowSerializer(many=True)


class DaySheetView(APIView):
    """A location's day: client, phone, service, room, intake status (never answers), plan."""

    permission_classes = (IsSchedulingStaff,)

    @extend_schema(
        parameters=[
            OpenApiParameter("location", int, required=True),
            OpenApiParameter("day", str, required=True, description="YYYY-MM-DD, local date"),
        ],
        responses=DaySheetSerializer,
        operation_id="day_sheet",
    )
    def get(self, request: Request) -> Response:
        query = DaySheetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        location, day = query.validated_data["location"], query.validated_data["day"]
        rows = []
        for row in day_sheet(location, day):
            a = row.appointment
            profile = getattr(a.client, "client_profile", None)
            rows.append({
                "appointment": a.pk, "start": local_iso(a.starts_at, location),
                "end": local_iso(a.ends_at, location), "status": a.status,
                "client": a.client_id, "client_name": a.client.get_full_name() or a.client.email,
                "phone": getattr(profile, "phone", ""), "service": a.service.name,
                "therapist": a.therapist.display_name, "room": a.room.name,
                "intake_status": str(row.intake) if row.intake else None,
                "care_plan": row.balance,
            })  # fmt: skip
        return Response({"location": location.pk, "day": day.isoformat(), "rows": rows})
