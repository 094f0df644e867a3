"""Test helpers for two-factor sign-in: current codes, and a session marked as verified."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import mfa


def totp_device_for(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator device, created if they have none."""
    device = mfa.totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now, even if a code of this time step was already used.

    django-otp refuses a second code from the same 30-second step (replay protection); tests
    sign in more often than that, so the device forgets its last step and its failures first.
    """
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def mark_second_factor_verified(client: Client, user: Any) -> None:
    """Put the user's device in ``client``'s session, as the verify page does, when it is needed."""
    if not (user.is_clinic_staff or mfa.mfa_enabled(user)):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
    session.save()


def verify_after_password(client: Client, user: Any, response: Any) -> Any:
    """Finish a staff sign-in whose password step (followed) ended on the verify page: post the
    current code there and follow on. Returns the final response."""
    verify_url = response.redirect_chain[-1][0]
    assert verify_url.startswith(reverse("mfa-verify")), verify_url
    return client.post(verify_url, {"code": totp_code(totp_device_for(user))}, follow=True)


def set_up_on_the_web(client: Client, user: Any) -> Any:
    """Go through the set-up page as a new staff member does: open it, type the app's code."""
    assert client.get(reverse("mfa-setup")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("mfa-setup"), {"code": totp_code(device)})


def enter_code_in_browser(page: Any, user: Any) -> None:
    """The second sign-in step in a real browser: type the current code on the verify page.

    The user's authenticator must exist before the password step (``totp_device_for``), so
    that sign-in leads to the verify page rather than to set-up.
    """
    page.wait_for_url("**/accounts/mfa/verify/**")
    page.get_by_label("Code").fill(totp_code(totp_device_for(user)))
    page.get_by_role("button", name="Verify").click()
    # The next page's scripts (htmx, unwind.js) run at its load event: tests act after it.
    page.wait_for_url(lambda url: "/accounts/mfa/verify/" not in url)
    page.wait_for_load_state("load")
