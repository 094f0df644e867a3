"""Staff invitations: clinic admins send them; the invited person accepts with a password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from clinic import accounts, selectors
from clinic.exceptions import ApplicationError
from clinic.forms import InvitationAcceptForm, InvitationForm
from clinic.models import Role, StaffInvitation, User
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error


@role_required(Role.CLINIC_ADMIN)
def invitation_list(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = accounts.staff_invite(
                invited_by=signed_in_user(request), **form.cleaned_data
            )
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitation-list")
    return render(
        request,
        "clinic/invitation_list.html",
        {"form": form, "invitations": selectors.invitations_list()},
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(Role.CLINIC_ADMIN)
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(StaffInvitation, pk=pk)
    try:
        accounts.invitation_revoke(invitation=invitation)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Invitation for %(email)s revoked.") % {"email": invitation.email}
        )
    return redirect("invitation-list")


@sensitive_post_parameters("password1", "password2")
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = StaffInvitation.objects.filter(
        token_hash=accounts.invitation_token_hash(token)
    ).first()
    try:
        invitation = accounts.invitation_check(invitation)
    except ApplicationError as error:
        status = 404 if invitation is None else 410
        return render(
            request, "clinic/invitation_invalid.html", {"message": error.message}, status=status
        )
    invited = User(
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        role=invitation.role,
    )
    form = InvitationAcceptForm(request.POST or None, invited=invited)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ApplicationError as error:
            form_add_domain_error(form, error)
        else:
            login(request, user, backend="clinic.backends.EmailBackend")
            messages.success(
                request,
                _("Welcome to %(name)s. Your account is ready.") % {"name": settings.CLINIC_NAME},
            )
            return redirect("home")
    return render(
        request, "clinic/invitation_accept.html", {"form": form, "invitation": invitation}
    )
