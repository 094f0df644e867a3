#!/usr/bin/env python
"""Django's command-line utility for Unwind."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load settings now: Django would otherwise hide a bad variable behind another error.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"Unwind cannot start: {error}\n(For local development, set DEBUG=true.)")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
