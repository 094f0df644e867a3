"""API for outcome measures: submit a response, read a trend, see what is due."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api.fields import StrictModelSerializer, WholeNumberField, id_from_query
from clinic.api.schema import errors
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import Role, User
from clinic.permissions import user_has_role
from clinic.views.common import signed_in_user
from intake import outcomes
from intake.models import OutcomeResponse, OutcomeSource


class MayUseOutcomes(BasePermission):
    """Clients, therapists and clinic admins; front desk never sees health data (403)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return user_has_role(
            signed_in_user(request), (Role.CLIENT, Role.THERAPIST, Role.CLINIC_ADMIN)
        )


# What a client's answer may claim: only that it is their own. It is stored as a follow-up, the
# source every answer a client gives between sessions has.
SELF = "self"


class OutcomeSubmitInput(serializers.Serializer):
    instrument = serializers.SlugField(max_length=40)
    answers = serializers.DictField(child=serializers.JSONField(), allow_empty=False)
    client = WholeNumberField(required=False, help_text="Staff only: the client's id.")
    condition = WholeNumberField(required=False, allow_null=True)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[*OutcomeSource.choices, (SELF, "The client's own answer")],
        required=False,
        help_text='A client may only send "self" (stored as a follow-up); staff name the source.',
    )
    appointment_id = WholeNumberField(required=False, allow_null=True, min_value=1)


class OutcomeResponseOutput(StrictModelSerializer):
    instrument = serializers.CharField(source="instrument.code")

    class Meta:
        model = OutcomeResponse
        fields = (
            "id", "instrument", "instrument_version", "condition", "score", "percent", "band",
            "valid", "invalid_reason", "subscores", "source", "appointment_id", "recorded_at",
        )  # fmt: skip


class TrendPointOutput(serializers.Serializer):
    recorded_at = serializers.DateTimeField()
    value = serializers.DecimalField(max_digits=7, decimal_places=2)
    band = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]


class TrendSeriesOutput(serializers.Serializer):
    instrument = serializers.CharField(source="code")
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField()
    low = serializers.DecimalField(max_digits=7, decimal_places=2)
    high = serializers.DecimalField(max_digits=7, decimal_places=2)
    condition = WholeNumberField(source="condition_id", allow_null=True)
    condition_name = serializers.CharField()
    points = TrendPointOutput(many=True)


class DueOutput(serializers.Serializer):
    instrument = serializers.CharField(source="code")
    name = serializers.CharField()
    reason = serializers.CharField()


def _client_id(request: Request, given: Any) -> int:
    """A client acts for themselves; staff must say which client."""
    user: User = signed_in_user(request)
    if user.role == Role.CLIENT:
        if given not in (None, "", user.pk, str(user.pk)):
            raise NotFound(_("No such client."))
        return int(user.pk)
    if given in (None, ""):
        raise ValidationFailed(
            "client: which client?", extra={"fields": {"client": [_("This field is required.")]}}
        )
    client_id = given if isinstance(given, int) else id_from_query(given)
    if client_id is None or isinstance(client_id, bool):
        raise ValidationFailed(
            "client: give the client's id.",
            extra={"fields": {"client": [_("A whole number is required.")]}},
        )
    return client_id


CLIENT_ONLY_SELF = gettext_lazy(
    'A client records their own answers: leave "source" out or send "self".'
)
CLIENT_NO_APPOINTMENT = gettext_lazy("Only the clinic links an answer to an appointment.")
STAFF_NOT_SELF = gettext_lazy('"self" is for answers the client records themself.')


def _claims_check(user: Any, values: dict[str, Any]) -> None:
    """A client's answer cannot claim to come from a session, a follow-up or an appointment
    (the check-in link and the clinic record those); staff cannot claim "self"."""
    errors: dict[str, list[str]] = {}
    source = values.get("source")
    if user.role == Role.CLIENT:
        if source not in (None, SELF):
            errors["source"] = [str(CLIENT_ONLY_SELF)]
        if values.get("appointment_id") is not None:
            errors["appointment_id"] = [str(CLIENT_NO_APPOINTMENT)]
    elif source == SELF:
        errors["source"] = [str(STAFF_NOT_SELF)]
    if errors:
        name = next(iter(errors))
        raise ValidationFailed(f"{name}: {errors[name][0]}", extra={"fields": errors})


CLIENT_PARAMETERS = [
    OpenApiParameter("client", int, description="Staff only: the client's id."),
    OpenApiParameter("condition", int, description="Only responses for this condition."),
]


class OutcomeSubmitView(APIView):
    """Record an outcome measure: a client for themselves, a therapist for their own client."""

    permission_classes = (MayUseOutcomes,)

    # 404: a client (or appointment) that is not one the caller may record for.
    @extend_schema(
        request=OutcomeSubmitInput, responses={201: OutcomeResponseOutput, **errors(404)}
    )
    def post(self, request: Request) -> Response:
        data = OutcomeSubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = signed_in_user(request)
        _claims_check(user, values)
        client = outcomes.outcome_client_for(
            signed_in_user(request), _client_id(request, values.get("client")), request=request
        )
        source = values.get("source", SELF if user.is_client else OutcomeSource.SESSION)
        response = outcomes.outcome_record(
            actor=signed_in_user(request),
            client=client,
            instrument_code=values["instrument"],
            answers=values["answers"],
            source=OutcomeSource.FOLLOW_UP if source == SELF else source,
            condition=outcomes.condition_for(values.get("condition")),
            appointment_id=values.get("appointment_id"),
            request=request,
        )
        return Response(OutcomeResponseOutput(response).data, status=status.HTTP_201_CREATED)


class OutcomeTrendView(APIView):
    """Scores over time per instrument and condition; a client gets their own."""

    permission_classes = (MayUseOutcomes,)

    @extend_schema(
        parameters=CLIENT_PARAMETERS,
        responses={200: TrendSeriesOutput(many=True), **errors(404)},
    )
    def get(self, request: Request) -> Response:
        client_id = _client_id(request, request.query_params.get("client"))
        condition = outcomes.condition_for(request.query_params.get("condition"))
        series = outcomes.outcome_trend_for(
            signed_in_user(request), client_id, condition_id=condition.pk if condition else None,
            request=request,
        )  # fmt: skip
        return Response(TrendSeriesOutput(series, many=True).data)


class OutcomeDueView(APIView):
    """Which measures the client should answer now and why (intake, session, discharge)."""

    permission_classes = (MayUseOutcomes,)

    @extend_schema(
        parameters=CLIENT_PARAMETERS[:1], responses={200: DueOutput(many=True), **errors(404)}
    )
    def get(self, request: Request) -> Response:
        due = outcomes.outcomes_due_read(
            signed_in_user(request),
            _client_id(request, request.query_params.get("client")),
            request=request._request,
        )
        return Response(DueOutput(due, many=True).data)


# Included from intake/api/urls.py.
urlpatterns = [
    path("outcomes/", OutcomeSubmitView.as_view(), name="outcome-submit"),
    path("outcomes/trend/", OutcomeTrendView.as_view(), name="outcome-trend"),
    path("outcomes/due/", OutcomeDueView.as_view(), name="outcome-due"),
]
