from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from clinic import mfa
from clinic.accounts import account_sign_out_everywhere
from clinic.api.errors import error_body
from clinic.api.schema import ErrorSerializer
from clinic.exceptions import ValidationFailed
from clinic.models import ApiToken, User
from clinic.tokens import api_token_issue, api_token_revoke
from clinic.views.common import signed_in_user


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
            "auth_token_revoke": reverse("api:auth-token-revoke", request=request, format=format),
            "sign_out_everywhere": reverse(
                "api:sign-out-everywhere", request=request, format=format
            ),
            "schema": reverse("api:schema", request=request, format=format),
            "docs": reverse("api:docs", request=request, format=format),
        }
        return Response({"links": links})


class TokenInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        max_length=32,
        help_text=_(
            "The 6-digit code from the authenticator app, or a recovery code: required for "
            "staff and for clients who turned two-factor sign-in on."
        ),
    )
    name = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("What the token is for, e.g. the program using it."),
    )


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send as `Authorization: Token <token>`."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


ERROR = OpenApiResponse(response=ErrorSerializer, description="In the API error shape.")


class AuthTokenView(APIView):
    """Exchange an e-mail, password and (for staff) a one-time code for an expiring API token.

    Failures, wrong codes included, count towards the account's and the address's lockout
    (clinic.lockout). Only a digest of the token is stored: it is shown once, here.
    """

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (LoginThrottle,)

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            400: OpenApiResponse(
                response=ErrorSerializer,
                description="Wrong e-mail or password (code invalid), a missing one-time code "
                "(code otp_required) or a wrong one (code invalid, field otp).",
            ),
            403: OpenApiResponse(
                response=ErrorSerializer,
                description="Staff without two-factor sign-in set up (code mfa_setup_required): "
                "set it up on the web first.",
            ),
            429: OpenApiResponse(
                response=ErrorSerializer,
                description="Locked out (code locked_out) or throttled, in the API error shape.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        user = authenticate(request._request, email=email, password=data.validated_data["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with that email and password.")]}
            )
        second_factor = self._second_factor(request, user, data.validated_data.get("otp", ""))
        token, key = api_token_issue(
            user=user, name=data.validated_data.get("name", ""), second_factor=second_factor
        )
        body = {"token": key, "name": token.name, "expires_at": token.expires_at}
        return Response(TokenOutputSerializer(body).data)

    @staticmethod
    def _second_factor(request: Request, user: User, code: str) -> bool:
        """Whether a code was checked; raises if one is needed and missing or wrong."""
        if not mfa.second_factor_required(user):
            return False
        if not mfa.mfa_enabled(user):
            raise exceptions.PermissionDenied(
                _(
                    "Set up two-factor sign-in on the web first (sign in at /accounts/login/), "
                    "then ask for a token with a code."
                ),
                code="mfa_setup_required",
            )
        if not code.strip():
            raise ValidationFailed(
                gettext("A one-time code is required for this account."),
                code="otp_required",
                extra={"fields": {"otp": [gettext("Enter the code from your authenticator app.")]}},
            )
        if mfa.second_factor_check(user=user, code=code) is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": user.email}, request=request._request
            )
            raise ValidationFailed(
                gettext("That one-time code is not valid."),
                extra={"fields": {"otp": [gettext("That code is not valid.")]}},
            )
        return True


class TokenRevokeView(APIView):
    """Revoke the token this request is made with (sign this program out)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The token is revoked."),
            400: OpenApiResponse(
                response=ErrorSerializer,
                description="The request was not made with a token (code no_token).",
            ),
            401: ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise ValidationFailed(
                gettext("This request was not made with an API token."), code="no_token"
            )
        api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(APIView):
    """End every web session and revoke every API token of the signed-in user."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "SignedOutEverywhere", {"tokens_revoked": serializers.IntegerField()}
            ),
            401: ERROR,
        },
    )
    def post(self, request: Request) -> Response:
        revoked = account_sign_out_everywhere(user=signed_in_user(request))
        return Response({"tokens_revoked": revoked})


# Exempt like every DRF view: it changes nothing, and a DELETE to /api/v1/shifts/-1/ must get
# the API's 404, not Django's HTML CSRF page.
@csrf_exempt
def not_found(request: HttpRequest, path: str) -> JsonResponse:
    """Any path under /api/v1/ that names no endpoint (``/appointments/-1/`` too): 404 in the
    API's error shape rather than the HTML page."""
    return JsonResponse(error_body("not_found", str(_("Not found."))), status=404)
