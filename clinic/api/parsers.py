"""The API's one request parser: JSON, bounded in size and nesting, finite numbers, no
control characters in any string.

Every body the API reads goes through here, so a bad body is a 4xx in the API error shape
(``clinic.api.errors``) before any serializer or view sees it, never a 500 or Django's HTML
error page.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, renderers
from rest_framework.parsers import BaseParser

from clinic.api.exceptions import RequestTooLarge

# Deeper than any body the API defines (an intake answer is a few levels at most), far below
# the interpreter's recursion limit.
MAX_NESTING = 100
_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# C0 controls and DEL, except tab, line feed and carriage return, which free text may hold.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nesting_depth_exceeds(text: str, limit: int) -> bool:
    """Whether the arrays and objects in JSON ``text`` nest deeper than ``limit``."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING_LITERAL.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _too_large(limit: int) -> str:
    return _("The request body is too large: at most %(limit)d bytes.") % {"limit": limit}


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise exceptions.ParseError(
            _("Numbers must be finite; %(number)s is too large.") % {"number": literal[:20]}
        )
    return value


def _refuse_constant(name: str) -> Any:
    raise exceptions.ParseError(_("%(name)s is not a number JSON allows.") % {"name": name})


def control_character_paths(data: Any, path: str = "") -> list[str]:
    """The paths (``answers.pain``, ``areas.0``) of strings in ``data`` holding control characters."""
    found: list[str] = []
    if isinstance(data, str):
        if CONTROL_CHARACTERS.search(data):
            found.append(path or "non_field_errors")
    elif isinstance(data, Mapping):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if CONTROL_CHARACTERS.search(str(key)):
                found.append(path or "non_field_errors")
            found.extend(control_character_paths(value, child))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(control_character_paths(value, f"{path}.{index}" if path else str(index)))
    return found


class StrictJSONParser(BaseParser):
    """JSON bodies only: at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (413 beyond), nested at
    most ``MAX_NESTING`` deep, finite numbers, and no control characters in strings (400).

    Not a subclass of DRF's ``JSONParser``: for those DRF reads ``request.body`` first, where
    Django refuses a large body with its own HTML 400; this parser reads the stream itself.
    """

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit: int = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestTooLarge(_too_large(limit))
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(_too_large(limit))
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise exceptions.ParseError(_("The request body is not valid UTF-8.")) from None
        if nesting_depth_exceeds(text, MAX_NESTING):
            raise exceptions.ParseError(
                _("The JSON body nests deeper than %(limit)d levels.") % {"limit": MAX_NESTING}
            )
        try:
            data = json.loads(text, parse_float=_finite_float, parse_constant=_refuse_constant)
        except ValueError as error:
            raise exceptions.ParseError(_("The body is not valid JSON: %s") % error) from None
        paths = control_character_paths(data)
        if paths:
            message = _("Control characters (such as NUL) are not allowed.")
            raise exceptions.ValidationError({path: [message] for path in paths})
        return data
