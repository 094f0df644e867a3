"""Django admin for clinic-wide models; the audit trail is read-only."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.lockout import lockout_clear
from clinic.models import (
    ApiToken,
    AuditEvent,
    ClientProfile,
    ClinicPolicy,
    Consent,
    ConsentText,
    Location,
    OpeningHours,
    Room,
    StaffInvitation,
    User,
)
from clinic.tokens import api_tokens_revoke


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "role", "is_active", "email_verified_at")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "first_name", "last_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "role", "email_verified_at")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "role", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ("groups",)

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A new role ends the user's sessions (User.get_session_auth_hash); tokens go too.
        if change and "role" in form.changed_data:
            api_tokens_revoke(user=obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Who holds which API token until when; never the key (only its digest is stored)."""

    list_display = ("name", "user", "second_factor", "created_at", "expires_at")
    list_select_related = ("user",)
    list_filter = ("second_factor",)
    search_fields = ("name", "user__email")
    fields = ("name", "user", "second_factor", "created_at", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# django-otp's own admins would show a TOTP secret (on its add page) and the recovery codes.
# Here a clinic admin sees who has which factor, and deletes one to reset a lost phone: the
# person sets a new one up at their next sign-in.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(TOTPDevice, StaticDevice)
class SecondFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_select_related = ("user",)
    list_filter = ("confirmed",)
    search_fields = ("user__email",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "phone", "preferred_language", "reminder_channel")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__first_name", "user__last_name", "phone")
    raw_id_fields = ("user",)


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "time_zone", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (RoomInline, OpeningHoursInline)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "location", "is_active")
    list_filter = ("location",)
    list_select_related = ("location",)


@admin.register(ClinicPolicy)
class ClinicPolicyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ClinicPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "title", "published_at")
    list_filter = ("kind",)

    # Published words are never edited: a change is a new version.
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("kind", "version", "title", "body", "published_at") if obj else ()


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "granted_at", "withdrawn_at")
    list_select_related = ("user", "text")
    readonly_fields = ("user", "text", "signature", "granted_at", "withdrawn_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_select_related = ("invited_by",)
    readonly_fields = (
        "email",
        "first_name",
        "last_name",
        "role",
        "token_hash",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_user",
        "revoked_at",
    )

    # Invitations are sent from the clinic-admin pages, which e-mail the link.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_email",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "outcome",
    )
    list_filter = ("action", "outcome", "actor_role", "object_type")
    search_fields = ("actor_email", "object_id")
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    """Failed sign-ins (django-axes); a clinic admin unlocks here, and the unlock is audited."""

    list_display = ("attempt_time", "username", "ip_address", "failures_since_start", "path_info")
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempt_time"
    readonly_fields = (
        "attempt_time",
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
    )
    exclude = ("get_data", "post_data", "http_accept")
    actions = ("unlock",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Deleting a record is an unlock, so the admin's delete goes through lockout_clear too.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_clinic_admin", False))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        lockout_clear(actor=request.user, attempt_ids=[obj.pk], request=request)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        lockout_clear(actor=request.user, attempt_ids=ids, request=request)  # type: ignore[arg-type]

    @admin.action(
        description=_("Unlock the accounts and addresses of the selected attempts"),
        permissions=("delete",),
    )
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        count = lockout_clear(
            actor=request.user,  # type: ignore[arg-type]
            attempt_ids=list(queryset.values_list("pk", flat=True)),
            request=request,
        )
        self.message_user(
            request, _("Unlocked; %(count)d records cleared.") % {"count": count}, messages.SUCCESS
        )
