"""Test settings: the production module with speed-ups only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "unwind-test-only-" + "x" * 40)

from clinic.settings import *  # noqa: F403
from clinic.settings import REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "locmem"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

if not REDIS_URL:
    # Each test run gets its own embedded broker folder.
    _broker = Path(tempfile.mkdtemp(prefix="unwind-broker-"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),
        "data_folder_out": str(_broker / "queue"),
        "control_folder": str(_broker / "control"),
        "polling_interval": 0.1,
    }
    CELERY_RESULT_BACKEND = f"file://{_broker / 'results'}"

# The roster cache per process in tests (tests clear it; a shared Redis would be flushed).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "schedule": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "schedule",
    },
}
