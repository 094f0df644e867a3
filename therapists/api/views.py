"""API views: public reads of therapists, services and locations; staff writes of hours."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api.schema import errors, page_of
from clinic.exceptions import ValidationFailed
from clinic.models import Location
from clinic.permissions import IsClinicAdmin, IsSchedulingStaff
from clinic.views.common import signed_in_user
from therapists import hours, selectors
from therapists.api import serializers as s
from therapists.models import Service, Shift, TherapistProfile, TimeOff

# A condition is health data: it goes in the body of POST therapists/search/, never in a URL
# (URLs end up in logs and browser histories).
CONDITION_IN_BODY = "Send the condition in the body of POST /api/v1/therapists/search/."
DIRECTORY_PARAMETERS = [
    OpenApiParameter("location", int, description="Location id."),
    OpenApiParameter("language", str, description="Language code, e.g. `nl`."),
    OpenApiParameter(
        "modality",
        str,
        description="Modality slug, e.g. `manual-mfr`; MFR modalities list only therapists "
        "with verified MFR training.",
    ),
]


@extend_schema(parameters=DIRECTORY_PARAMETERS)
class TherapistListView(generics.ListAPIView):
    """Active therapists, public fields only; each says whether it is trained in MFR and bookable."""

    permission_classes = (AllowAny,)
    serializer_class = s.TherapistListSerializer

    def get_queryset(self) -> QuerySet[TherapistProfile]:
        if "condition" in self.request.query_params:
            raise ValidationFailed(
                f"condition: {CONDITION_IN_BODY}",
                extra={"fields": {"condition": [CONDITION_IN_BODY]}},
            )
        filters = s.TherapistFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.therapist_directory(**filters.validated_data)


class TherapistSearchView(generics.GenericAPIView):
    """The directory filtered by condition (and the list's other filters) sent in the body."""

    permission_classes = (AllowAny,)
    serializer_class = s.TherapistListSerializer

    @extend_schema(
        request=s.TherapistFilterSerializer,
        responses={200: page_of(s.TherapistListSerializer, "TherapistPage"), **errors(400)},
    )
    def post(self, request: Request) -> Response:
        filters = s.TherapistFilterSerializer(data=request.data)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.therapist_directory(**filters.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TherapistDetailView(APIView):
    """One active therapist with masked credentials and verified MFR training."""

    permission_classes = (AllowAny,)

    @extend_schema(responses=s.TherapistDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        therapist = selectors.therapist_public_get(pk)
        return Response(s.TherapistDetailSerializer(therapist, context={"request": request}).data)


class ServiceListView(generics.ListAPIView):
    """Active services; visitors and clients see only those bookable online."""

    permission_classes = (AllowAny,)
    serializer_class = s.ServiceSerializer

    def get_queryset(self) -> QuerySet[Service]:
        return selectors.services_visible_to(signed_in_user(self.request))


class LocationListView(generics.ListAPIView):
    """Active locations with time zone, number of rooms and opening hours."""

    permission_classes = (AllowAny,)
    serializer_class = s.LocationSerializer

    def get_queryset(self) -> QuerySet[Location]:
        return selectors.locations_public()


@extend_schema(
    parameters=[OpenApiParameter("therapist", int, description="Only this therapist's shifts.")]
)
class ShiftListView(generics.ListAPIView):
    """Weekly working hours (clinic admins)."""

    permission_classes = (IsClinicAdmin,)
    serializer_class = s.ShiftSerializer

    def get_queryset(self) -> QuerySet[Shift]:
        filters = s.ShiftFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        shifts = Shift.objects.order_by("therapist_id", "weekday", "starts_at")
        if therapist := filters.validated_data.get("therapist"):
            shifts = shifts.filter(therapist=therapist)
        return shifts

    @extend_schema(
        request=s.ShiftInputSerializer,
        responses={201: s.ShiftSerializer, **errors(409)},
        description="Add weekly hours; 409 naming the conflicting shift if the therapist "
        "would be in two places at once.",
    )
    def post(self, request: Request) -> Response:
        data = s.ShiftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        shift = hours.shift_create(**data.validated_data)
        return Response(s.ShiftSerializer(shift).data, status=status.HTTP_201_CREATED)


class ShiftDetailView(APIView):
    permission_classes = (IsClinicAdmin,)

    @extend_schema(responses=s.ShiftSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ShiftSerializer(get_object_or_404(Shift, pk=pk)).data)

    @extend_schema(
        request=s.ShiftInputSerializer, responses={200: s.ShiftSerializer, **errors(409)}
    )
    def patch(self, request: Request, pk: int) -> Response:
        shift = get_object_or_404(Shift.objects.select_related("location"), pk=pk)
        data = s.ShiftInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updates: dict[str, Any] = dict(data.validated_data)
        updates.pop("therapist", None)
        shift = hours.shift_update(shift=shift, **updates)
        return Response(s.ShiftSerializer(shift).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        hours.shift_delete(shift=get_object_or_404(Shift, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimeOffListView(generics.ListAPIView):
    """Time off that has not ended yet (front desk and clinic admins)."""

    permission_classes = (IsSchedulingStaff,)
    serializer_class = s.TimeOffSerializer

    def get_queryset(self) -> QuerySet[TimeOff]:
        return selectors.time_off_upcoming().order_by("starts_at", "id")

    @extend_schema(request=s.TimeOffInputSerializer, responses={201: s.TimeOffSerializer})
    def post(self, request: Request) -> Response:
        data = s.TimeOffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        block = hours.time_off_create(**data.validated_data)
        return Response(s.TimeOffSerializer(block).data, status=status.HTTP_201_CREATED)


class TimeOffDetailView(APIView):
    permission_classes = (IsSchedulingStaff,)

    @extend_schema(responses=s.TimeOffSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.TimeOffSerializer(get_object_or_404(TimeOff, pk=pk)).data)

    @extend_schema(request=s.TimeOffInputSerializer, responses=s.TimeOffSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        block = get_object_or_404(TimeOff, pk=pk)
        data = s.TimeOffInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        block = hours.time_off_update(time_off=block, **data.validated_data)
        return Response(s.TimeOffSerializer(block).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        hours.time_off_delete(time_off=get_object_or_404(TimeOff, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
