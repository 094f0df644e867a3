"""Read and validate configuration from environment variables.

Every reader raises ``ImproperlyConfigured`` with the variable's name, so a bad value stops
start-up with a message that says which variable to fix.
"""

from __future__ import annotations

import builtins
import os
import zoneinfo
from collections.abc import Mapping
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    """Typed access to a mapping of environment variables (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[builtins.str, builtins.str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: builtins.str) -> builtins.str | None:
        value = self.environ.get(name)
        return None if value is None else value.strip()

    def str(
        self, name: builtins.str, default: builtins.str | None = None, *, required: bool = False
    ) -> builtins.str:
        value = self._raw(name)
        if value:
            return value
        if required or default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default

    def optional(self, name: builtins.str) -> builtins.str | None:
        return self._raw(name) or None

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")

    def int(
        self, name: builtins.str, default: builtins.int, *, minimum: builtins.int | None = None
    ) -> builtins.int:
        value = self._raw(name)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
        return number

    def list(
        self, name: builtins.str, default: builtins.list[builtins.str]
    ) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return default
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(
        self, name: builtins.str, default: builtins.str, choices: builtins.list[builtins.str]
    ) -> builtins.str:
        value = self.str(name, default)
        if value not in choices:
            raise ImproperlyConfigured(
                f"{name} must be one of {', '.join(choices)}, not {value!r}."
            )
        return value

    def time_zone(self, name: builtins.str, default: builtins.str) -> builtins.str:
        value = self.str(name, default)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"{name} must be an IANA time zone such as America/New_York, not {value!r}."
            ) from None
        return value

    def database(self, name: builtins.str, default: builtins.str) -> dict[builtins.str, Any]:
        value = self.str(name, default)
        try:
            config = dict(dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} is not a database URL Unwind understands: {exc}"
            ) from None
        if config.get("ENGINE") not in {
            "django.db.backends.postgresql",
            "django.db.backends.sqlite3",
        }:
            raise ImproperlyConfigured(f"{name} must point at PostgreSQL or SQLite.")
        return config

    def redis_url(self, name: builtins.str) -> builtins.str | None:
        value = self.optional(name)
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://.")
        return value
