"""Account security pages: two-factor set-up and verification, recovery codes, API tokens,
signing out everywhere, and the password views that also revoke API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from clinic import accounts, lockout, mfa
from clinic.exceptions import ApplicationError
from clinic.forms import OneTimeCodeForm, TotpConfirmForm
from clinic.models import ApiToken
from clinic.tokens import api_token_revoke, api_tokens_revoke
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _is_verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@login_required
@sensitive_post_parameters("code")
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Show the authenticator secret (text and QR code); a correct code turns it on."""
    user = signed_in_user(request)
    if mfa.mfa_enabled(user):
        return redirect("security" if _is_verified(request) else "mfa-verify")
    device = mfa.totp_setup_start(user=user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = mfa.totp_setup_confirm(user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            django_otp.login(request, device)
            return render(
                request,
                "registration/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
    uri = device.config_url
    context = {
        "form": form,
        "uri": uri,
        "secret": mfa.totp_secret(device),
        "qr_svg": mfa.totp_qr_svg(uri),
        "next": _next_url(request),
        "required": user.is_clinic_staff,
    }
    return render(request, "registration/mfa_setup.html", context)


@login_required
@sensitive_post_parameters("code")
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the app or a recovery code; wrong codes count towards lockout."""
    user = signed_in_user(request)
    if _is_verified(request):
        return redirect(_next_url(request))
    if not mfa.mfa_enabled(user):
        return redirect(f"{reverse('mfa-setup')}?{urlencode({'next': _next_url(request)})}")
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return lockout.lockout_response(request)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.second_factor_check(user=user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if device.name == mfa.RECOVERY_NAME:
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d left. Make new ones if you run low.")
                    % {"left": mfa.recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout.lockout_response(request)
        form.add_error("code", _("That code is not valid. Try the current code from your app."))
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Two-factor status, API tokens and signing out everywhere, for every signed-in user."""
    user = signed_in_user(request)
    context: dict[str, Any] = {
        "mfa_enabled": mfa.mfa_enabled(user),
        "recovery_codes_left": mfa.recovery_codes_left(user),
        "tokens": ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()),
    }
    return render(request, "clinic/security.html", context)


@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not mfa.mfa_enabled(user):
        return redirect("mfa-setup")
    codes = mfa.recovery_codes_replace(user=user)
    return render(
        request,
        "registration/mfa_recovery_codes.html",
        {"codes": codes, "next": reverse("security"), "first_time": False},
    )


@login_required
@require_POST
def mfa_disable(request: HttpRequest) -> HttpResponse:
    try:
        mfa.mfa_disable(user=signed_in_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("security")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=signed_in_user(request))
    api_token_revoke(token=token)
    messages.success(request, _("The API token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("security")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session (this one too) and revoke every API token."""
    accounts.account_sign_out_everywhere(user=signed_in_user(request))
    logout(request)
    messages.success(
        request, _("You are signed out on every device, and your API tokens are revoked.")
    )
    return redirect("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; API tokens are revoked with the old password."""

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        api_tokens_revoke(user=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's password reset; API tokens are revoked with the old password."""

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        api_tokens_revoke(user=form.user)
        return response
