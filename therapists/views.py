"""HTML pages: the public directory and profiles, and staff management of therapists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clinic.exceptions import ApplicationError
from clinic.models import Role
from clinic.permissions import role_required
from clinic.views.common import signed_in_user
from therapists import hours, selectors, services
from therapists.forms import (
    ClosureForm,
    CredentialForm,
    DirectoryFilterForm,
    OwnProfileForm,
    ServiceForm,
    ShiftForm,
    TherapistProfileCreateForm,
    TherapistProfileForm,
    TimeOffForm,
    TrainingForm,
    TrainingVerifyForm,
    add_domain_error,
)
from therapists.models import (
    Closure,
    Credential,
    MFRTraining,
    Service,
    Shift,
    TherapistProfile,
    TimeOff,
)

ADMIN = Role.CLINIC_ADMIN
SCHEDULERS = (Role.FRONT_DESK, Role.CLINIC_ADMIN)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    success_url: str,
    done: str = "Saved.",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``save`` (one domain function) and redirect."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(success_url)
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "title": title, "cancel_url": success_url, **(context or {})}
    return render(request, "therapists/form.html", ctx, status=status)


def confirm_delete(
    request: HttpRequest, *, obj: Any, delete: Callable[[], None], success_url: str
) -> HttpResponse:
    if request.method == "POST":
        delete()
        messages.success(request, f"Deleted {obj}.")
        return redirect(success_url)
    return render(
        request, "therapists/confirm_delete.html", {"object": obj, "cancel_url": success_url}
    )


# --- public -----------------------------------------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    """Anyone can browse active therapists and filter them."""
    form = DirectoryFilterForm(request.GET or None)
    therapists = selectors.therapist_directory()
    status = 200
    if form.is_bound:
        if form.is_valid():
            therapists = selectors.therapist_directory(**form.cleaned_data)
        else:
            status = 400
            therapists = therapists.none()
    return render(
        request,
        "therapists/directory.html",
        {"form": form, "therapists": therapists},
        status=status,
    )


def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A therapist's public profile: credentials (licence numbers masked) and verified training."""
    therapist = selectors.therapist_public_get(pk)
    today = timezone.localdate()
    return render(
        request,
        "therapists/profile.html",
        {"therapist": therapist, "today": today, "next_available": None},
    )


# --- the therapist themself -----------------------------------------------------------------


def _own_profile(request: HttpRequest) -> TherapistProfile:
    found = TherapistProfile.objects.filter(user=signed_in_user(request)).first()
    if found is None:
        raise Http404("You have no therapist profile yet; ask a clinic admin.")
    return found


@role_required(Role.THERAPIST)
def my_profile(request: HttpRequest) -> HttpResponse:
    me = _own_profile(request)
    form = OwnProfileForm(request.POST or None, request.FILES or None, instance=me)

    def save(data: dict[str, Any]) -> None:
        if data.get("photo") is None:
            data.pop("photo", None)
        elif data["photo"] is False:
            data["photo"] = ""
        services.therapist_profile_update_own(profile=me, actor=signed_in_user(request), **data)

    return form_page(
        request,
        form,
        title="Your profile",
        save=save,
        success_url=reverse("therapists:me"),
        context={"trainings": me.trainings.select_related("verified_by"), "own": True},
    )


@role_required(Role.THERAPIST)
def my_training_create(request: HttpRequest) -> HttpResponse:
    """A therapist adds a course they took; a clinic admin verifies it later."""
    me = _own_profile(request)
    form = TrainingForm(request.POST or None, instance=MFRTraining(therapist=me))
    return form_page(
        request,
        form,
        title="Add an MFR training",
        save=lambda data: services.training_create(therapist=me, **data),
        success_url=reverse("therapists:me"),
        done="Added. A clinic admin will verify it against your certificate.",
    )


# --- clinic admin: therapists, credentials, training, shifts --------------------------------


@role_required(ADMIN)
def manage(request: HttpRequest) -> HttpResponse:
    """All therapists, bookability, and credentials expired or expiring within 30 days."""
    today = timezone.localdate()
    return render(
        request,
        "therapists/manage/list.html",
        {
            "therapists": selectors.therapists_for_admin(on=today),
            "expiring": selectors.credentials_expiring(within_days=30, today=today),
            "today": today,
        },
    )


@role_required(ADMIN)
def therapist_create(request: HttpRequest) -> HttpResponse:
    form = TherapistProfileCreateForm(request.POST or None, request.FILES or None)
    created: list[TherapistProfile] = []

    def save(data: dict[str, Any]) -> None:
        created.append(services.therapist_profile_create(**data))

    response = form_page(
        request,
        form,
        title="New therapist profile",
        save=save,
        success_url=reverse("therapists:manage"),
    )
    if created:
        return redirect("therapists:manage-therapist", pk=created[0].pk)
    return response


@role_required(ADMIN)
def therapist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = selectors.therapist_admin_get(pk)
    return render(
        request,
        "therapists/manage/therapist.html",
        {
            "therapist": therapist,
            "today": timezone.localdate(),
            "verify_form": TrainingVerifyForm(),
        },
    )


@role_required(ADMIN)
def therapist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = get_object_or_404(TherapistProfile, pk=pk)
    form = TherapistProfileForm(request.POST or None, request.FILES or None, instance=therapist)

    def save(data: dict[str, Any]) -> None:
        if data.get("photo") is None:
            data.pop("photo", None)
        elif data["photo"] is False:
            data["photo"] = ""
        services.therapist_profile_update(profile=therapist, **data)

    return form_page(
        request,
        form,
        title=f"Edit {therapist}",
        save=save,
        success_url=reverse("therapists:manage-therapist", args=[pk]),
    )


def _back_to(therapist_id: int) -> str:
    return reverse("therapists:manage-therapist", args=[therapist_id])


@role_required(ADMIN)
def credential_create(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = get_object_or_404(TherapistProfile, pk=pk)
    form = CredentialForm(request.POST or None, instance=Credential(therapist=therapist))
    return form_page(
        request,
        form,
        title=f"Add a credential for {therapist}",
        save=lambda data: services.credential_create(therapist=therapist, **data),
        success_url=_back_to(pk),
    )


@role_required(ADMIN)
def credential_edit(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.select_related("therapist"), pk=pk)
    form = CredentialForm(request.POST or None, instance=credential)
    return form_page(
        request,
        form,
        title=f"Edit credential of {credential.therapist}",
        save=lambda data: services.credential_update(credential=credential, **data),
        success_url=_back_to(credential.therapist_id),
    )


@role_required(ADMIN)
def credential_delete(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_object_or_404(Credential, pk=pk)
    return confirm_delete(
        request,
        obj=credential,
        success_url=_back_to(credential.therapist_id),
        delete=lambda: services.credential_delete(credential=credential),
    )


@role_required(ADMIN)
def training_create(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = get_object_or_404(TherapistProfile, pk=pk)
    form = TrainingForm(request.POST or None, instance=MFRTraining(therapist=therapist))
    return form_page(
        request,
        form,
        title=f"Add MFR training for {therapist}",
        save=lambda data: services.training_create(therapist=therapist, **data),
        success_url=_back_to(pk),
    )


@role_required(ADMIN)
def training_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Only clinic admins reach this; the service also refuses verifying one's own training."""
    training = get_object_or_404(MFRTraining.objects.select_related("therapist"), pk=pk)
    form = TrainingVerifyForm(request.POST or None)
    return form_page(
        request,
        form,
        title=f"Verify {training} for {training.therapist}",
        save=lambda data: services.training_verify(
            training=training, verifier=signed_in_user(request), evidence=data["evidence"]
        ),
        success_url=_back_to(training.therapist_id),
        done="Training verified.",
    )


@role_required(ADMIN)
@require_POST
def training_unverify(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(MFRTraining, pk=pk)
    services.training_unverify(training=training, actor=signed_in_user(request))
    messages.success(request, "Verification withdrawn.")
    return redirect(_back_to(training.therapist_id))


@role_required(ADMIN)
def shift_create(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = get_object_or_404(TherapistProfile, pk=pk)
    form = ShiftForm(request.POST or None, instance=Shift(therapist=therapist))
    return form_page(
        request,
        form,
        title=f"Add working hours for {therapist}",
        save=lambda data: hours.shift_create(therapist=therapist, **data),
        success_url=_back_to(pk),
    )


@role_required(ADMIN)
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift.objects.select_related("therapist"), pk=pk)
    form = ShiftForm(request.POST or None, instance=shift)
    return form_page(
        request,
        form,
        title=f"Edit working hours of {shift.therapist}",
        save=lambda data: hours.shift_update(shift=shift, **data),
        success_url=_back_to(shift.therapist_id),
    )


@role_required(ADMIN)
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift.objects.select_related("location", "therapist"), pk=pk)
    return confirm_delete(
        request,
        obj=shift,
        success_url=_back_to(shift.therapist_id),
        delete=lambda: hours.shift_delete(shift=shift),
    )


# --- clinic admin: services -------------------------------------------------------------------


@role_required(ADMIN)
def service_list(request: HttpRequest) -> HttpResponse:
    catalogue = Service.objects.select_related("required_modality", "required_competency")
    return render(
        request,
        "therapists/manage/services.html",
        {"services": catalogue.prefetch_related("locations")},
    )


@role_required(ADMIN)
def service_create(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    return form_page(
        request,
        form,
        title="New service",
        save=lambda data: services.service_create(**data),
        success_url=reverse("therapists:services"),
    )


@role_required(ADMIN)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    form = ServiceForm(request.POST or None, instance=service)
    return form_page(
        request,
        form,
        title=f"Edit {service}",
        save=lambda data: services.service_update(service=service, **data),
        success_url=reverse("therapists:services"),
    )


# --- front desk and clinic admin: time off and closures -----------------------------------------


@role_required(*SCHEDULERS)
def time_off_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "therapists/manage/time_off.html",
        {"blocks": selectors.time_off_upcoming(), "closures": selectors.closures_upcoming()},
    )


@role_required(*SCHEDULERS)
def time_off_create(request: HttpRequest) -> HttpResponse:
    form = TimeOffForm(request.POST or None)
    return form_page(
        request,
        form,
        title="Add time off",
        save=lambda data: hours.time_off_create(**data),
        success_url=reverse("therapists:time-off"),
    )


@role_required(*SCHEDULERS)
def time_off_edit(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(TimeOff, pk=pk)
    form = TimeOffForm(request.POST or None, instance=block)
    return form_page(
        request,
        form,
        title="Edit time off",
        save=lambda data: hours.time_off_update(time_off=block, **data),
        success_url=reverse("therapists:time-off"),
    )


@role_required(*SCHEDULERS)
def time_off_delete(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_object_or_404(TimeOff.objects.select_related("therapist"), pk=pk)
    return confirm_delete(
        request,
        obj=block,
        success_url=reverse("therapists:time-off"),
        delete=lambda: hours.time_off_delete(time_off=block),
    )


@role_required(*SCHEDULERS)
def closure_create(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(request.POST or None)
    return form_page(
        request,
        form,
        title="Close a location",
        save=lambda data: hours.closure_create(**data),
        success_url=reverse("therapists:time-off"),
    )


@role_required(*SCHEDULERS)
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(Closure.objects.select_related("location"), pk=pk)
    return confirm_delete(
        request,
        obj=closure,
        success_url=reverse("therapists:time-off"),
        delete=lambda: hours.closure_delete(closure=closure),
    )
