"""Every staff-facing form field has a label written for people, not the field's code name."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.forms.utils import pretty_name

FORM_MODULES = (
    "clinic.forms",
    "booking.forms",
    "booking.board.forms",
    "intake.forms",
    "therapists.forms",
    "booking.views.waitlist",
    "booking.views.reports",
    "booking.views.careplans",
    "workspace.views.notes",
    "workspace.views.selfcare",
)
# Multi-word field names whose plain spelling already reads as a person would write it.
READS_WELL = {
    "first_name", "last_name", "date_of_birth", "licence_number", "expires_on", "completed_on",
    "time_zone", "postal_code", "starts_on", "sessions_per_week", "care_plan", "areas_treated",
}  # fmt: skip


def _fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                found += [(name, field_name, f) for field_name, f in cls.base_fields.items()]
    return found


@pytest.mark.parametrize(("form", "name", "field"), _fields())
def test_no_label_is_a_field_name(form, name, field):
    if "_" not in name or name in READS_WELL or field.widget.is_hidden:
        return
    assert field.label is not None, f"{form}.{name} has no label"
    assert str(field.label) != pretty_name(name), f"{form}.{name} reads like a field name"


def test_service_form_speaks_plainly():
    from therapists.forms import ServiceForm

    labels = {name: str(f.label) for name, f in ServiceForm.base_fields.items()}
    assert labels["duration_minutes"] == "Length of the session (minutes)"
    assert labels["is_active"] == "Offered"
