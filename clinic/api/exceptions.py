"""API errors raised below the views (by the parser), rendered by ``clinic.api.errors``.

A module of its own: the parser is loaded while DRF builds ``APIView``, before
``clinic.api.errors`` (which imports DRF's views) can be imported.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"
