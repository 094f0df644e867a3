"""Two-factor sign-in: a TOTP authenticator app plus one-time recovery codes (django-otp).

Therapists, front desk and clinic admins must have verified a second factor in their session
before any page (this module's middleware) or API call (clinic.api.authentication) is served;
an API token for them is only issued with a one-time code. Clients may turn it on, and then
the same holds for them.

django-otp was chosen over django-allauth's MFA because it slots into the sign-in views the
clinic already has (Django's own, with axes lockout): it only adds devices and a per-session
"verified" mark, where allauth would replace the whole account flow.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.exceptions import ValidationFailed
from clinic.models import User
from clinic.tokens import api_tokens_revoke

RECOVERY_CODE_COUNT = 10
# 16 base32 characters: 80 random bits, so a stored digest cannot be reversed by trying codes.
RECOVERY_CODE_LENGTH = 16
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


# --- devices -------------------------------------------------------------------------------


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def mfa_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user: User) -> bool:
    """Staff always need a second factor; a client needs one once they have turned it on."""
    return user.is_clinic_staff or mfa_enabled(user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it: base32, without padding."""
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(uri: str) -> str:
    """An inline SVG QR code of ``uri`` (no script, no style, no outside request)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


@transaction.atomic
def totp_device_ensure(*, user: User) -> TOTPDevice:
    """The user's confirmed authenticator, created already confirmed if missing (demo seeding:
    the secret is then handed to the tester rather than scanned)."""
    device = totp_device(user)
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_NAME, confirmed=True)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def totp_setup_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device the user is setting up (created on first call)."""
    if mfa_enabled(user):
        raise ValidationFailed(_("Two-factor sign-in is already set up."), code="mfa_enabled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=user, name=TOTP_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def totp_setup_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device being set up with a code from the app; returns it and new recovery
    codes. API tokens issued before the user had a second factor are revoked."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationFailed(_("Start the set-up again."), code="mfa_setup_missing")
    if not device.verify_token(_digits(code)):
        raise ValidationFailed(
            _("That code is not valid. Check the time on your phone and try the next code."),
            extra={"fields": {"code": [_("That code is not valid.")]}},
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    api_tokens_revoke(user=user)
    return device, recovery_codes_replace(user=user)


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Issue a fresh set of recovery codes (the old ones stop working); each works once.

    Only a digest of each code is stored, so the returned list is the one time they are seen.
    """
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
    )
    return codes


@transaction.atomic
def mfa_disable(*, user: User) -> None:
    """Remove a client's authenticator and recovery codes; staff cannot turn it off."""
    if user.is_clinic_staff:
        raise ValidationFailed(
            _("Two-factor sign-in is required for clinic staff."), code="mfa_required"
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def second_factor_check(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (a 6-digit app code or a recovery code), or None.

    A recovery code is used up by this call; both kinds slow down after failures (django-otp).
    """
    digits = _digits(code)
    if len(digits) == 6:
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        return device if device is not None and device.verify_token(digits) else None
    normalized = _recovery_normalized(code)
    if len(normalized) != RECOVERY_CODE_LENGTH:
        return None
    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if static is not None and static.verify_token(recovery_code_digest(normalized)):
        return static
    return None


def recovery_code_digest(code: str) -> str:
    # StaticToken holds at most 16 characters: 64 bits of SHA-256 over an 80-bit code.
    return hashlib.sha256(_recovery_normalized(code).encode()).hexdigest()[:16]


def _new_recovery_code() -> str:
    raw = b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def _recovery_normalized(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


# --- enforcement -----------------------------------------------------------------------------


def second_factor_missing(request: HttpRequest) -> bool:
    """Whether the signed-in user of ``request`` must still verify a second factor.

    ``request.user.is_verified`` comes from django-otp's middleware, which runs before.
    """
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    return second_factor_required(user)


class SecondFactorMiddleware:
    """Send a signed-in user who still needs a second factor to verify it (or set it up).

    The API answers for itself (401 in its error shape, clinic.api.authentication), and the
    set-up, verify and sign-out pages stay reachable.
    """

    EXEMPT_PREFIXES = ("/api/", "/static/", "/media/", "/healthz")
    EXEMPT_URL_NAMES = ("mfa-setup", "mfa-verify", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and request.path not in {reverse(name) for name in self.EXEMPT_URL_NAMES}
            and second_factor_missing(request)
        ):
            return self._redirect(request)
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest) -> HttpResponse:
        user = request.user
        target = reverse("mfa-verify" if mfa_enabled(user) else "mfa-setup")  # type: ignore[arg-type]
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            # htmx would swap the verify page into a fragment; make it load the whole page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
