from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from clinic.exceptions import ApplicationError
from therapists import services
from therapists.models import (
    Closure,
    Competency,
    Condition,
    Credential,
    Language,
    MFRTraining,
    Modality,
    Service,
    Shift,
    TherapistProfile,
    TimeOff,
)


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "codes", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "codes")


@admin.register(Modality)
class ModalityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_mfr", "sort_order")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "consent_kind")


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


class CredentialInline(admin.TabularInline):
    model = Credential
    extra = 0


class TrainingInline(admin.TabularInline):
    model = MFRTraining
    extra = 0
    # Verification goes through the "verify" action so nobody can verify their own training.
    readonly_fields = ("verified_by", "verified_at")


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0
    # Shifts are edited on the staff pages, where overlaps are refused.
    readonly_fields = (
        "location",
        "weekday",
        "starts_at",
        "ends_at",
        "effective_from",
        "effective_to",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "is_active", "accepting_new_clients")
    list_filter = ("is_active", "locations", "modalities")
    search_fields = ("display_name", "user__email")
    filter_horizontal = ("languages", "locations", "modalities", "competencies", "conditions")
    raw_id_fields = ("user",)
    inlines = (CredentialInline, TrainingInline, ShiftInline)


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("therapist", "kind", "jurisdiction", "licence_number", "expires_on")
    list_filter = ("kind",)
    date_hierarchy = "expires_on"


@admin.register(MFRTraining)
class MFRTrainingAdmin(admin.ModelAdmin):
    list_display = (
        "therapist",
        "course",
        "approach_or_provider",
        "completed_on",
        "verified_by",
        "verified_at",
    )
    list_filter = ("verified_at",)
    readonly_fields = ("verified_by", "verified_at")
    actions = ("verify",)

    @admin.action(description="Verify the selected trainings (evidence: checked in admin)")
    def verify(self, request: HttpRequest, queryset: QuerySet[MFRTraining]) -> None:
        for training in queryset:
            try:
                services.training_verify(
                    training=training,
                    verifier=request.user,  # type: ignore[arg-type]
                    evidence=training.evidence or "Checked in admin",
                )
            except ApplicationError as error:
                self.message_user(request, f"{training}: {error.message}", messages.ERROR)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "duration_minutes", "price", "bookable_online", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("locations",)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = (
        "therapist",
        "location",
        "weekday",
        "starts_at",
        "ends_at",
        "effective_from",
        "effective_to",
    )
    list_filter = ("location", "weekday")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ("therapist", "kind", "starts_at", "ends_at", "reason")
    list_filter = ("kind",)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("location", "reason", "starts_at", "ends_at")
