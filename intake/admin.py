"""Admin for the clinic's clinician: questions and screening rules are data edited here.

Intake answers are deliberately not in the admin: they are read only through the audited
selectors (the review pages). Safety records and decisions are shown read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from intake import questionnaire_logic as ql
from intake import screening_logic
from intake.models import (
    Questionnaire,
    QuestionnaireStatus,
    ReviewDecision,
    ScreeningAdvice,
    ScreeningResult,
    ScreeningRule,
    StaffAlert,
)
from intake.questionnaire_items import value_sets
from intake.questionnaires import questionnaire_publish


class ScreeningRuleForm(forms.ModelForm):
    class Meta:
        model = ScreeningRule
        fields = (
            "code",
            "label",
            "level",
            "spec_action",
            "when",
            "area_question",
            "precautions",
            "source",
            "is_active",
            "sort_order",
        )

    def clean_when(self) -> Any:
        when = self.cleaned_data["when"]
        try:
            screening_logic.check_condition(when)
        except screening_logic.RuleDefinitionError as error:
            raise ValidationError(str(error)) from None
        return when


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(admin.ModelAdmin):
    form = ScreeningRuleForm
    list_display = ("label", "level", "spec_action", "source", "is_active", "sort_order")
    list_filter = ("level", "is_active", "source")
    list_editable = ("is_active",)
    search_fields = ("code", "label")


@admin.register(ScreeningAdvice)
class ScreeningAdviceAdmin(admin.ModelAdmin):
    list_display = ("level", "client_message")
    fields = ("level", "client_message")


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ("slug", "version", "title", "items")

    def clean_items(self) -> Any:
        items = self.cleaned_data["items"]
        try:
            ql.parse_items(items, value_sets=value_sets())
        except (ql.QuestionnaireDefinitionError, KeyError, TypeError, AttributeError) as error:
            raise ValidationError(f"The item tree is not valid: {error}") from None
        return items


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    form = QuestionnaireForm
    list_display = ("title", "slug", "version", "status", "published_at")
    list_filter = ("slug", "status")
    actions = ("publish_as_new_version",)

    def get_readonly_fields(self, request: HttpRequest, obj: Questionnaire | None = None) -> Any:
        # A published version is what submitted responses answered: never edit it in place.
        if obj is not None and obj.status != QuestionnaireStatus.DRAFT:
            return ("slug", "version", "title", "items", "status", "published_at")
        return ("status", "published_at")

    @admin.action(description="Publish as the next active version")
    def publish_as_new_version(
        self, request: HttpRequest, queryset: QuerySet[Questionnaire]
    ) -> None:
        for source in queryset:
            try:
                made = questionnaire_publish(
                    slug=source.slug, title=source.title, items=source.items
                )
            except ql.QuestionnaireDefinitionError as error:
                self.message_user(request, f"{source}: {error}", messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"{source}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"Published {made}.", messages.SUCCESS)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScreeningResult)
class ScreeningResultAdmin(ReadOnlyAdmin):
    list_display = ("id", "client", "level", "evaluated_at")
    list_filter = ("level",)
    # Named, so a field added later stays out until someone decides it belongs here. Triggers,
    # areas and precautions are health data: they are read on the (audited) review page.
    fields = ("response", "client", "level", "effective_level", "evaluated_at", "resolved_by")


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ("id", "client", "action", "reviewer", "decided_at")
    list_filter = ("action",)
    fields = ("response", "screening", "client", "reviewer", "action", "decided_at")


@admin.register(StaffAlert)
class StaffAlertAdmin(ReadOnlyAdmin):
    list_display = ("id", "client", "level", "created_at", "resolved_at")
    fields = ("client", "screening", "level", "reason", "created_at", "resolved_at")
    list_filter = ("level", "resolved_at")
