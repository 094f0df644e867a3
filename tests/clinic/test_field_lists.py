"""Forms, serializers and health-data admin pages name their fields: nothing new leaks by default.

A ``fields = "__all__"`` or an ``exclude`` list would show a field added to the model later
(a note, a trigger list) to every role that uses the form, without anyone deciding it.
"""

from __future__ import annotations

import pytest
from django import forms
from django.contrib import admin
from django.urls import get_resolver
from rest_framework import serializers

from intake.admin import ReviewDecisionAdmin, ScreeningResultAdmin

APPS = ("clinic.", "therapists.", "intake.", "booking.", "workspace.")


def _subclasses(base: type) -> list[type]:
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(APPS):
                found.append(sub)
    return found


def _ours() -> None:
    get_resolver().url_patterns  # imports every view, so every form and serializer  # noqa: B018


@pytest.mark.parametrize("base", [forms.ModelForm, serializers.ModelSerializer])
def test_every_model_form_and_serializer_names_its_fields(base):
    _ours()
    loose = []
    for cls in _subclasses(base):
        meta = getattr(cls, "Meta", None)
        if meta is None or not hasattr(meta, "model"):
            continue  # an abstract base such as StrictModelSerializer
        fields = getattr(meta, "fields", None)
        if fields == "__all__" or fields is None or getattr(meta, "exclude", None):
            loose.append(f"{cls.__module__}.{cls.__qualname__}")
    assert loose == []


def _names_fields(model_admin: admin.ModelAdmin) -> bool:
    form_meta = getattr(model_admin.form, "Meta", None)
    return bool(
        model_admin.fields
        or model_admin.fieldsets
        or (form_meta is not None and getattr(form_meta, "fields", None) not in (None, "__all__"))
    )


def test_health_data_admin_pages_name_their_fields():
    _ours()
    loose = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("intake", "workspace") and not _names_fields(model_admin)
    ]
    assert loose == []


def test_admin_shows_no_triggers_or_review_notes():
    assert not {"triggers", "areas", "precautions"} & set(ScreeningResultAdmin.fields)
    assert not {"note", "areas"} & set(ReviewDecisionAdmin.fields)
