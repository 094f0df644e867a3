"""HTML pages: the public directory and profiles, and staff management of therapists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic.exceptions import ApplicationError
from clinic.models import Role
from clinic.permissions import ViewFunc, role_required
from clinic.views.common import signed_in_user
from clinic.views.errors import form_add_domain_error
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
# Cards a directory page shows: rendering every card (100 in the bench chain) cost more than all
# of the page's queries together.
DIRECTORY_PER_PAGE = 20
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
            form_add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(success_url)
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "title": title, "cancel_url": success_url, **(context or {})}
    return render(request, "therapists/form.html", ctx, status=status)


def confirm_delete(
    request: HttpRequest, *, obj: Any, delete: Callable[[], object], success_url: str
) -> HttpResponse:
    if request.method == "POST":
        delete()
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return redirect(success_url)
    return render(
        request, "therapists/confirm_delete.html", {"object": obj, "cancel_url": success_url}
    )


def _photo_change(data: dict[str, Any]) -> dict[str, Any]:
    """Profile form data as the services take it: no upload keeps the photo, "clear" empties it."""
    if data.get("photo") is None:
        data.pop("photo", None)
    elif data["photo"] is False:
        data["photo"] = ""
    return data


# --- public -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def directory(request: HttpRequest) -> HttpResponse:
    """Anyone can browse active therapists and filter them.

    The filters are POSTed: a condition is health data once a signed-in client picks it, and a
    query string would put it in logs, history and referrers. So are the page numbers of a
    filtered list (the pager is a form carrying the filters); the unfiltered list pages with
    ``?page=``. A page number that is not one gives the first page, one past the end the last.
    """
    form = DirectoryFilterForm(request.POST if request.method == "POST" else None)
    therapists = selectors.therapist_directory()
    status = 200
    if form.is_bound:
        if form.is_valid():
            therapists = selectors.therapist_directory(**form.cleaned_data)
        else:
            status = 400
            therapists = therapists.none()
    asked = (request.POST if form.is_bound else request.GET).get("page")
    page = Paginator(therapists, DIRECTORY_PER_PAGE).get_page(asked)
    return render(
        request,
        "therapists/directory.html",
        {"form": form, "therapists": page.object_list, "page": page},
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
        services.therapist_profile_update_own(
            profile=me, actor=signed_in_user(request), **_photo_change(data)
        )

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
        services.therapist_profile_update(profile=therapist, **_photo_change(data))

    return form_page(
        request,
        form,
        title=f"Edit {therapist}",
        save=save,
        success_url=reverse("therapists:manage-therapist", args=[pk]),
    )


def _back_to(therapist_id: int) -> str:
    return reverse("therapists:manage-therapist", args=[therapist_id])


# --- staff: adding, editing and deleting credentials, training, shifts, services, time off ------


@dataclass(frozen=True, eq=False)
class RowPages:
    """The staff pages that add, edit and delete one kind of row, each through one domain function.

    ``noun`` is the keyword the domain functions take the row by and the prefix of the views'
    names. Without a ``list_url`` the rows belong to a therapist: they are added from the
    therapist's page (the URL's pk is the therapist's) and every page returns there.
    """

    noun: str
    rows: QuerySet[Any]
    form: Callable[..., forms.BaseForm]
    list_url: str | None = None
    roles: tuple[str, ...] = (ADMIN,)

    def _what(self) -> str:
        return capfirst(str(self.rows.model._meta.verbose_name))

    def _back(self, row: Any) -> str:
        return reverse(self.list_url) if self.list_url else _back_to(row.therapist_id)

    def _page(self, view: ViewFunc, action: str) -> ViewFunc:
        view.__name__ = view.__qualname__ = f"{self.noun}_{action}"
        return role_required(*self.roles)(view)

    def create_view(self, add: Callable[..., object], title: str) -> ViewFunc:
        def view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
            if self.list_url:
                owner, blank = {}, None
                form = self.form(request.POST or None)
            else:
                owner = {"therapist": get_object_or_404(TherapistProfile, pk=pk)}
                blank = self.rows.model(**owner)
                form = self.form(request.POST or None, instance=blank)
            return form_page(
                request,
                form,
                title=title.format(**owner),
                save=lambda data: add(**owner, **data),
                success_url=self._back(blank),
                done=_("%(what)s added.") % {"what": self._what()},
            )

        return self._page(view, "create")

    def edit_view(self, change: Callable[..., object], title: str) -> ViewFunc:
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            row = get_object_or_404(self.rows, pk=pk)
            return form_page(
                request,
                self.form(request.POST or None, instance=row),
                title=title.format(row=row),
                save=lambda data: change(**{self.noun: row}, **data),
                success_url=self._back(row),
                done=_("%(what)s saved.") % {"what": self._what()},
            )

        return self._page(view, "edit")

    def delete_view(self, remove: Callable[..., object]) -> ViewFunc:
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            row = get_object_or_404(self.rows, pk=pk)
            return confirm_delete(
                request,
                obj=row,
                success_url=self._back(row),
                delete=lambda: remove(**{self.noun: row}),
            )

        return self._page(view, "delete")


CREDENTIALS = RowPages("credential", Credential.objects.select_related("therapist"), CredentialForm)
TRAININGS = RowPages("training", MFRTraining.objects.select_related("therapist"), TrainingForm)
SHIFTS = RowPages("shift", Shift.objects.select_related("location", "therapist"), ShiftForm)
SERVICES = RowPages("service", Service.objects.all(), ServiceForm, list_url="therapists:services")
TIME_OFF = RowPages(
    "time_off",
    TimeOff.objects.select_related("therapist"),
    TimeOffForm,
    list_url="therapists:time-off",
    roles=SCHEDULERS,
)
CLOSURES = RowPages(
    "closure",
    Closure.objects.select_related("location"),
    ClosureForm,
    list_url="therapists:time-off",
    roles=SCHEDULERS,
)

credential_create = CREDENTIALS.create_view(
    services.credential_create, "Add a credential for {therapist}"
)
credential_edit = CREDENTIALS.edit_view(
    services.credential_update, "Edit credential of {row.therapist}"
)
credential_delete = CREDENTIALS.delete_view(services.credential_delete)
training_create = TRAININGS.create_view(
    services.training_create, "Add MFR training for {therapist}"
)
shift_create = SHIFTS.create_view(hours.shift_create, "Add working hours for {therapist}")
shift_edit = SHIFTS.edit_view(hours.shift_update, "Edit working hours of {row.therapist}")
shift_delete = SHIFTS.delete_view(hours.shift_delete)
service_create = SERVICES.create_view(services.service_create, "New service")
service_edit = SERVICES.edit_view(services.service_update, "Edit {row}")
time_off_create = TIME_OFF.create_view(hours.time_off_create, "Add time off")
time_off_edit = TIME_OFF.edit_view(hours.time_off_update, "Edit time off")
time_off_delete = TIME_OFF.delete_view(hours.time_off_delete)
closure_create = CLOSURES.create_view(hours.closure_create, "Close a location")
closure_delete = CLOSURES.delete_view(hours.closure_delete)


# --- clinic admin: verifying training, the services list; schedulers: the time-off list --------


@role_required(ADMIN)
def training_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
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
def training_unverify_view(request: HttpRequest, pk: int) -> HttpResponse:
    training = get_object_or_404(MFRTraining, pk=pk)
    services.training_unverify(training=training, actor=signed_in_user(request))
    messages.success(request, _("Verification withdrawn."))
    return redirect(_back_to(training.therapist_id))


@role_required(ADMIN)
def service_list(request: HttpRequest) -> HttpResponse:
    catalogue = Service.objects.select_related("required_modality", "required_competency")
    return render(
        request,
        "therapists/manage/services.html",
        {"services": catalogue.prefetch_related("locations")},
    )


@role_required(*SCHEDULERS)
def time_off_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "therapists/manage/time_off.html",
        {"blocks": selectors.time_off_upcoming(), "closures": selectors.closures_upcoming()},
    )
