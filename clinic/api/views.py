from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from clinic.api.errors import error_body
from clinic.api.schema import ErrorSerializer


class ApiRootView(APIView):
    """Entry point of the API: links to its parts."""

    permission_classes = (AllowAny,)

    @extend_schema(
        responses=inline_serializer(
            "ApiRoot", {"links": serializers.DictField(child=serializers.URLField())}
        )
    )
    def get(self, request: Request, format: Any = None) -> Response:
        links = {
            "auth_token": reverse("api:auth-token", request=request, format=format),
            "schema": reverse("api:schema", request=request, format=format),
            "docs": reverse("api:docs", request=request, format=format),
        }
        return Response({"links": links})


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class AuthTokenView(APIView):
    """Exchange an email and password for an API token (``Authorization: Token <token>``).

    Failures count towards the account's and the address's lockout (clinic.lockout).
    """

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (LoginThrottle,)

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong e-mail or password."),
            429: OpenApiResponse(
                ErrorSerializer, description="Locked out (code locked_out) or throttled."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with that email and password.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenOutputSerializer({"token": token.key}).data)


# Exempt like every DRF view: it changes nothing, and a DELETE to /api/v1/shifts/-1/ must get
# the API's 404, not Django's HTML CSRF page.
@csrf_exempt
def not_found(request: HttpRequest, path: str) -> JsonResponse:
    """Any path under /api/v1/ that names no endpoint (``/appointments/-1/`` too): 404 in the
    API's error shape rather than the HTML page."""
    return JsonResponse(error_body("not_found", str(_("Not found."))), status=404)
