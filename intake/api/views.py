"""Intake API: a client's own intake; therapists' review of their clients' intakes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.api.fields import id_from_query
from clinic.api.schema import errors
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditAction, Role, User
from clinic.permissions import IsClient, _api_permission
from clinic.views.common import signed_in_user
from intake import fhir, services
from intake.api import serializers as s
from intake.findings import finding_summary, open_findings
from intake.gate import (
    booking_gate_for,
    effective_level_for,
    emergency_advice,
    intake_statuses_for,
    safety_advice_for,
)
from intake.models import IntakeResponse, ScreeningLevel
from intake.questionnaire_items import parsed_items
from intake.questionnaires import active_questionnaire
from intake.screening import client_message
from intake.selectors import (
    intake_fhir_resource,
    intake_get_for,
    latest_screening,
    own_intake_for,
    review_queue_for,
)

IsReviewer = _api_permission("IsReviewer", Role.THERAPIST, Role.CLINIC_ADMIN)
IsStatusReader = _api_permission("IsStatusReader", Role.FRONT_DESK, Role.CLINIC_ADMIN)


class QuestionnaireView(APIView):
    """The active intake questionnaire as a FHIR R4 Questionnaire (no health data)."""

    permission_classes = (AllowAny,)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        q = active_questionnaire()
        return Response(
            fhir.questionnaire_resource(
                slug=q.slug,
                version=q.version,
                title=q.title,
                status=q.status,
                items=parsed_items(q),
            )
        )


class MyIntakeView(APIView):
    permission_classes = (IsClient,)

    @extend_schema(responses={200: s.IntakeOutputSerializer})
    def get(self, request: Request) -> Response:
        response = own_intake_for(signed_in_user(request), request=request._request)
        if response is None:
            raise NotFound(_("You have no intake yet."))
        return Response(s.IntakeOutputSerializer(response).data)

    @extend_schema(request=None, responses={201: s.IntakeOutputSerializer})
    def post(self, request: Request) -> Response:
        draft = services.intake_start(client=signed_in_user(request), request=request._request)
        return Response(s.IntakeOutputSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AnswersInputSerializer, responses={200: s.DraftSavedSerializer})
    def patch(self, request: Request) -> Response:
        data = s.AnswersInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft, errors = services.intake_save_answers(
            client=signed_in_user(request),
            answers=data.validated_data["answers"],
            step=data.validated_data["step"],
            request=request._request,
        )
        return Response({"intake": s.IntakeOutputSerializer(draft).data, "errors": errors})


def _screening_body(client: User, response: IntakeResponse) -> dict[str, Any]:
    screening = latest_screening(response)
    if screening is None:
        raise NotFound(_("This intake has not been screened."))
    # ``level`` is the effective one: an open finding from an earlier submission still counts.
    level = effective_level_for(client)
    advice = safety_advice_for(client)
    return {
        "intake_id": response.pk,
        "level": level,
        "submission_level": screening.level,
        "message": client_message(level),
        "booking_gate": booking_gate_for(client),
        "emergency_advice": emergency_advice() if level == ScreeningLevel.EMERGENCY else "",
        "safety_advice": advice.as_text() if advice else "",
        "stop_passed_confirmed": bool(advice and advice.stop_confirmed),
        "areas": screening.areas,
        "precautions": screening.precautions,
        "evaluated_at": screening.evaluated_at,
    }


class MyIntakeSubmitView(APIView):
    permission_classes = (IsClient,)

    @extend_schema(request=None, responses={200: s.ScreeningOutputSerializer})
    def post(self, request: Request) -> Response:
        response = services.intake_submit(client=signed_in_user(request), request=request._request)
        return Response(
            s.ScreeningOutputSerializer(_screening_body(signed_in_user(request), response)).data
        )


class MyStopPassedView(APIView):
    """The client confirms that what made their intake STOP has passed (a clinician decides)."""

    permission_classes = (IsClient,)

    @extend_schema(request=None, responses={200: s.StopPassedOutputSerializer})
    def post(self, request: Request) -> Response:
        count = services.stop_passed_confirm(client=request.user, request=request._request)
        body = {"confirmed": count, "booking_gate": booking_gate_for(signed_in_user(request))}
        return Response(s.StopPassedOutputSerializer(body).data)


class MyScreeningView(APIView):
    permission_classes = (IsClient,)

    @extend_schema(responses={200: s.ScreeningOutputSerializer})
    def get(self, request: Request) -> Response:
        response = own_intake_for(
            signed_in_user(request), request=request._request, include_draft=False
        )
        if response is None:
            raise NotFound(_("You have not submitted an intake yet."))
        return Response(
            s.ScreeningOutputSerializer(_screening_body(signed_in_user(request), response)).data
        )


class ReviewQueueView(APIView):
    """Submitted intakes of the therapist's upcoming clients, flagged first (no answers)."""

    permission_classes = (IsReviewer,)

    @extend_schema(responses={200: s.QueueItemSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            s.QueueItemSerializer(review_queue_for(signed_in_user(request)), many=True).data
        )


class ReviewIntakeView(APIView):
    permission_classes = (IsReviewer,)

    @extend_schema(responses={200: s.ReviewIntakeSerializer})
    def get(self, request: Request, pk: int) -> Response:
        response = intake_get_for(signed_in_user(request), pk, request=request._request)
        screening = latest_screening(response)
        body = dict(s.IntakeOutputSerializer(response).data)
        body.update(
            client_id=response.client_id,
            level=screening.level if screening else None,
            effective_level=effective_level_for(response.client),
            open_findings=[finding_summary(f) for f in open_findings(response.client_id)],
            triggers=screening.triggers if screening else [],
            areas=screening.areas if screening else [],
            precautions=screening.precautions if screening else [],
        )
        return Response(body)


class ReviewDecisionView(APIView):
    permission_classes = (IsReviewer,)

    @extend_schema(
        request=s.DecisionInputSerializer,
        responses={201: s.DecisionOutputSerializer, **errors(409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.review_decide(
            reviewer=signed_in_user(request),
            response_id=pk,
            request=request._request,
            **data.validated_data,
        )
        body = {
            "id": decision.pk,
            "intake_id": decision.response_id,
            "action": decision.action,
            "note": decision.note,
            "areas": decision.areas,
            "reviewer_id": decision.reviewer_id,
            "decided_at": decision.decided_at,
            "booking_gate": booking_gate_for(decision.client).value,
        }
        return Response(s.DecisionOutputSerializer(body).data, status=status.HTTP_201_CREATED)


class IntakeFhirView(APIView):
    permission_classes = (IsClient | IsReviewer,)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> Response:
        response = intake_get_for(
            signed_in_user(request),
            pk,
            request=request._request,
            action=AuditAction.EXPORT,
            detail="fhir export",
        )
        return Response(intake_fhir_resource(response))


class IntakeStatusesView(APIView):
    """Front desk: intake status per client id (?client=1&client=2), never answers."""

    permission_classes = (IsStatusReader,)

    @extend_schema(
        parameters=[OpenApiParameter("client", int, many=True, required=True)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.getlist("client")
        given = [id_from_query(v.strip()) for part in raw for v in part.split(",") if v.strip()]
        ids = [client_id for client_id in given if client_id is not None]
        if len(ids) != len(given):
            raise ValidationFailed(
                "client must be ids.",
                extra={"fields": {"client": [_("Give client ids as whole numbers.")]}},
            )
        if not ids or len(ids) > 500:
            raise ValidationFailed(
                _("Give 1 to 500 client ids."),
                extra={"fields": {"client": [_("Give 1 to 500 client ids.")]}},
            )
        return Response({str(k): v.value for k, v in intake_statuses_for(ids).items()})
