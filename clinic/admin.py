"""Django admin for clinic-wide models; the audit trail is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from clinic.models import (
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
