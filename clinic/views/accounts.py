"""Sign-in, client self-registration with e-mail verification, and the client's profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from clinic import accounts, lockout, selectors
from clinic.exceptions import ApplicationError
from clinic.forms import (
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResendVerificationForm,
)
from clinic.languages import language_remember
from clinic.models import ClientProfile, Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["unverified"] = any(
            error.code == "unverified" for error in form.errors.as_data().get("__all__", [])
        )
        return context


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per account and per client address."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not lockout.password_reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, lockout.password_reset_refused_message())
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


@sensitive_post_parameters("password1", "password2")
def register_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.client_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                date_of_birth=data["date_of_birth"],
                preferred_language=translation.get_language(),
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            request.session["registered_email"] = data["email"]
            return redirect("register-done")
    return render(request, "clinic/register.html", {"form": form})


def register_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("registered_email", "")
    return render(request, "clinic/register_done.html", {"email": email})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        accounts.email_verify(token=token)
    except ApplicationError as error:
        return render(
            request,
            "clinic/verify_failed.html",
            {"message": error.message, "form": ResendVerificationForm()},
            status=400,
        )
    messages.success(request, _("Thank you, your e-mail address is confirmed. Please sign in."))
    return redirect("login")


def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        accounts.email_verification_resend(email=form.cleaned_data["email"])
        messages.info(
            request,
            _(
                "If that address belongs to an account waiting for confirmation, "
                "a new link is on its way."
            ),
        )
        return redirect("login")
    return render(request, "clinic/resend_verification.html", {"form": form})


@role_required(Role.CLIENT)
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    instance = selectors.client_profile_for(user) or ClientProfile(user=user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        try:
            accounts.client_profile_update(user=user, **fields)
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            language_remember(request, form.cleaned_data["preferred_language"])
            messages.success(request, _("Your profile is saved."))
            return redirect("client-home")
    return render(request, "clinic/profile.html", {"form": form})
