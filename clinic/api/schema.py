"""The OpenAPI document says what each endpoint really answers: its errors in the one error
shape (``clinic.api.errors``) and its lists as the pages or envelopes the views return.

``ApiAutoSchema`` adds the errors any endpoint can give by how it is built (401 for a bad
token, 403 for a role, 404 for an id, 400 for input, 413 for a body, 429 when throttled);
an endpoint that can also give 409 says so with :func:`errors` in its ``extend_schema``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

# ``{"code", "message", "fields"}``: every error the API gives. Built by name, as a serializer
# class cannot declare a field called ``fields``.
ErrorSerializer = inline_serializer(
    "Error",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


ERROR_DESCRIPTIONS = {
    400: "The input is invalid; ``fields`` names each problem.",
    401: "No valid token or session.",
    403: "Signed in, but this role may not do this.",
    404: "No such object, or not one of yours.",
    409: "The object changed or the slot is taken; nothing was saved.",
    413: "The request body is too large.",
    429: "Too many requests, or locked out after failed sign-ins.",
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """Error responses in the API's error shape, for ``extend_schema(responses=...)``."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[status])
        for status in statuses
    }


def page_of(serializer: type[serializers.Serializer], name: str) -> Any:
    """The body of a list paginated by limit and offset."""
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


def results_of(serializer: type[serializers.Serializer], name: str) -> Any:
    """The body of a short list returned whole: ``{"results": [...]}``."""
    return inline_serializer(name, {"results": serializer(many=True)})


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    errors(status)[status], str(status), direction=direction
                )
        return responses

    def _error_statuses(self) -> list[int]:
        view = self.view
        statuses = []
        has_body = self.method in ("POST", "PUT", "PATCH")
        if has_body or self._get_filter_parameters() or self._declared_query_parameters():
            statuses.append(400)
        if view.authentication_classes:
            statuses.append(401)
        if any(p is not AllowAny for p in view.permission_classes):
            statuses.append(403)
        if "{" in self.path:
            statuses.append(404)
        if has_body:
            statuses.append(413)
        if view.throttle_classes:
            statuses.append(429)
        return statuses

    def _declared_query_parameters(self) -> bool:
        overrides = self.get_override_parameters()
        return any(getattr(p, "location", "query") == "query" for p in overrides) or bool(
            self._get_pagination_parameters()
        )


LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


def _local_times(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            # Wall-clock times of a location (opening hours, shifts) carry no offset, which
            # JSON Schema's "time" format requires.
            del node["format"]
            node["pattern"] = LOCAL_TIME_PATTERN
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def local_times_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """Postprocessing hook: local times are ``HH:MM[:SS]`` strings, not RFC 3339 times."""
    _local_times(result)
    return result
