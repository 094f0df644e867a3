"""Settings for `make bench` only: production settings, a dedicated database, bench-only views.

Never used by the app or the tests. DEBUG stays off (as in production) so no query log grows.
"""

from __future__ import annotations

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unwind_bench")
os.environ.setdefault("SECRET_KEY", "unwind-bench-only-" + "x" * 50)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from clinic.settings import *  # noqa: F403
from clinic.settings import DATABASES

ROOT_URLCONF = "bench.urls"
# Persistent connections, as a production deployment would run.
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The no-op channels: reminder fan-out measures the pipeline, not a mail server.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
SMS_BACKEND = "noop"
