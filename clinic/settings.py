"""Unwind settings: one module, driven by environment variables (see README, Configuration)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clinic.env import Env

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", "unwind-development-only-not-secret")
else:
    SECRET_KEY = env.str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
# Unset, links follow the port the development server was given (PORT), not a fixed 8000.
SITE_URL = env.str("SITE_URL", f"http://127.0.0.1:{env.int('PORT', 8000, minimum=1)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "clinic",
    "therapists",
    "intake",
    "booking",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sees the response last, so no view can weaken its no-store.
    "clinic.cache_control.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in client's preferred language wins over LocaleMiddleware's choice.
    "clinic.languages.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.session_limits.SessionLimitsMiddleware",
    # Staff (and clients who turned it on) verify a second factor before any page (clinic.mfa).
    "django_otp.middleware.OTPMiddleware",
    "clinic.mfa.SecondFactorMiddleware",
    # Records 403/404 on health-data routes and keeps refusals through rollbacks (clinic.audit).
    "clinic.audit.AuditTrailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clinic.views.errors.NotFoundMiddleware",
    # Last, so it turns a sign-in refused for lockout into the lockout answer (clinic.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"
ASGI_APPLICATION = "clinic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

# Database: PostgreSQL in production, an SQLite file under var/ when DATABASE_URL is unset.
DATABASES = {
    "default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'unwind.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must work on a fresh clone, before anything has made var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clinic.User"
# E-mail in any letter case; unverified clients cannot sign in.
# The axes backend comes first: it refuses a locked-out account or address before any password
# is checked, on every path that calls authenticate() with the request (web, admin, API token).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "clinic.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Reverse proxies in front of the app that append to X-Forwarded-For (0: the app is reached
# directly, so the header is ignored). Lockout and API throttles count clients by this rule.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Lockout (django-axes, clinic.lockout): per account and per client address.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "clinic.client_address.client_ip"
AXES_USERNAME_CALLABLE = "clinic.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "clinic.lockout.lockout_response"
# clinic.admin registers the attempts with an audited unlock instead of axes' own admin.
AXES_ENABLE_ADMIN = False
# No banner on every start-up (manage.py, workers); lockouts are still logged.
AXES_VERBOSE = False
PASSWORD_RESET_PER_ACCOUNT = env.int("PASSWORD_RESET_PER_ACCOUNT", 5, minimum=1)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", 20, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)
# Second factor (django-otp, clinic.mfa): TOTP apps show the clinic's name beside the code;
# the admin never shows a TOTP secret.
OTP_TOTP_ISSUER = env.str("CLINIC_NAME", "Unwind")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# API tokens (clinic.tokens): stored as SHA-256 digests, each valid this long.
API_TOKEN_HOURS = env.int("API_TOKEN_HOURS", 12, minimum=1)
# How long a staff invitation link stays valid.
STAFF_INVITATION_DAYS = env.int("STAFF_INVITATION_DAYS", 7, minimum=1)

# Time: stored in UTC; CLINIC_TIME_ZONE is the default zone for display and new locations.
USE_TZ = True
TIME_ZONE = env.time_zone("CLINIC_TIME_ZONE", "America/New_York")

_KNOWN_LANGUAGES = {
    "en": _("English"),
    "nl": _("Dutch"),
    "es": _("Spanish"),
    "fr": _("French"),
    "de": _("German"),
    "pt": _("Portuguese"),
}
LANGUAGE_CODE = env.choice("LANGUAGE_CODE", "en", list(_KNOWN_LANGUAGES))
_language_codes = env.list("LANGUAGES", ["en", "nl", "es"])
for _code in _language_codes:
    if _code not in _KNOWN_LANGUAGES:
        raise ImproperlyConfigured(
            f"LANGUAGES has unknown code {_code!r}; known: {', '.join(_KNOWN_LANGUAGES)}."
        )
LANGUAGES = [(code, _KNOWN_LANGUAGES[code]) for code in _language_codes]
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: the console in development; SMTP (or any Django backend) in production.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Unwind <no-reply@unwind.test>")

# SMS: a pluggable backend (clinic.sms); console in development.
SMS_BACKEND = env.choice(
    "SMS_BACKEND",
    "console",
    ["console", "file", "locmem", "noop", "twilio"],
)
SMS_FILE_PATH = env.str("SMS_FILE_PATH", str(VAR_DIR / "sms"))
SMS_FROM_NUMBER = env.str("SMS_FROM_NUMBER", "")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", "")

# Celery: Redis when REDIS_URL is set, else an embedded filesystem broker (clinic.broker).
REDIS_URL = env.redis_url("REDIS_URL")
BROKER_DIR = VAR_DIR / "broker"
# The availability roster (booking.availability_selectors): shared through Redis when there is
# one, so a change seen by one process is seen by all; else per process, for at most a minute.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "schedule": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "schedule"}
    ),
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Redis redelivers unacknowledged messages after this; tasks never sleep that long.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "unwindfs://localhost//"  # clinic.broker, registered by clinic.celery
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.2,
    }
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# Notification outbox (clinic.notifications): the beat claims due rows every minute.
NOTIFICATIONS_DISPATCH_SECONDS = env.int("NOTIFICATIONS_DISPATCH_SECONDS", 60, minimum=1)
# Longer than CELERY_TASK_TIME_LIMIT: a lease only runs out when its worker is gone.
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", 150, minimum=1)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", 5, minimum=1)
# Rows one dispatch tick claims at most; claims live at once at most (what the workers start
# within a lease, so queued claims do not expire and get claimed twice); rows per send task.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", 500, minimum=1)
NOTIFICATIONS_MAX_IN_FLIGHT = env.int("NOTIFICATIONS_MAX_IN_FLIGHT", 2000, minimum=1)
NOTIFICATIONS_SEND_BATCH = env.int("NOTIFICATIONS_SEND_BATCH", 50, minimum=1)
CELERY_BEAT_SCHEDULE["notifications-dispatch"] = {
    "task": "notifications.dispatch_due",
    "schedule": float(NOTIFICATIONS_DISPATCH_SECONDS),
    # A tick nobody ran in time is dropped; the next one claims the same rows.
    "options": {"expires": NOTIFICATIONS_DISPATCH_SECONDS * 0.9},
}
# Waitlist holds that lapsed pass the slot to the next waiting client.
CELERY_BEAT_SCHEDULE["booking-expire-waitlist-offers"] = {
    "task": "booking.expire_waitlist_offers",
    "schedule": 60.0,
    "options": {"expires": 54},
}
CELERY_BEAT_SCHEDULE["notifications-daily"] = {
    "task": "notifications.enqueue_daily",
    "schedule": 3600.0,
    "options": {"expires": 3000},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an unauthenticated API call gets 401 with WWW-Authenticate.
        # Both refuse a staff member without a verified second factor (clinic.api.authentication).
        "clinic.api.authentication.TokenAuthentication",
        "clinic.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "clinic.api.schema.ApiAutoSchema",
    # JSON only, bounded in size and depth, no control characters (clinic.api.parsers).
    "DEFAULT_PARSER_CLASSES": ["clinic.api.parsers.StrictJSONParser"],
    "EXCEPTION_HANDLER": "clinic.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Throttles count clients as lockout does (clinic.client_address).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Unwind API",
    "DESCRIPTION": "Booking and intake for myofascial release clinics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"TimeOffKindEnum": "therapists.models.TimeOffKind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "clinic.api.schema.local_times_hook",
    ],
}

# Sessions (clinic.session_limits): staff idle timeout, and a lifetime for everyone that
# activity does not extend; the cookie lasts no longer than the session may.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", 15, minimum=1)
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600

# Request bodies beyond this are refused: 413 in the API error shape (clinic.api.parsers),
# Django's 400 for forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", 2_621_440, minimum=1024)

# Responses that are no-store even without a signed-in user (clinic.cache_control).
NO_STORE_PATH_PREFIXES = ["/api/", "/booking/feeds/"]

# Security: strict in production (DEBUG off), relaxed for local development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = not DEBUG and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Joining browsers' HSTS preload lists is a commitment each clinic makes for its own domain.
SECURE_HSTS_PRELOAD = not DEBUG and env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the app's own files, no inline script or style, no
# eval, no framing. Behaviour comes from static files driven by data-* attributes
# (static/js/unwind.js). The Swagger UI page relaxes img-src only (clinic.api.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# /healthz is polled over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOG_LEVEL = env.choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Request logging would put query strings in logs; health data never goes in URLs,
    # but 4xx bodies are not logged either.
    "loggers": {"django.request": {"level": "ERROR"}},
}
CLINIC_NAME = env.str("CLINIC_NAME", "Unwind")
