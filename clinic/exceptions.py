"""Domain errors. Every app raises subclasses of :class:`ApplicationError`."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule of the clinic was broken; ``message`` is safe to show to the user."""

    code = "invalid"
    status_code = 400

    def __init__(
        self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None
    ):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    code = "invalid"
    status_code = 400


class NotFound(ApplicationError):
    code = "not_found"
    status_code = 404


class Conflict(ApplicationError):
    code = "conflict"
    status_code = 409


class Forbidden(ApplicationError):
    """The user is known and may see the thing, but this act is not theirs to do."""

    code = "forbidden"
    status_code = 403
