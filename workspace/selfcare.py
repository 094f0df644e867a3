"""Self-care plans: the exercise library (data), assigning a plan after a session, reading it.

The library is seeded from ``workspace/data/exercises.json`` (therapists migration 0005) and stays
editable in the admin. The library-wide precautions (clinical spec §2: self-MFR home programs
carry the same precautions and show them to the client) come from the same file.

Interfaces:
- :func:`selfcare_plan_current_for` (access-checked, audited) for pages;
- :func:`selfcare_plan_data` (plain data by primary key, no access check, for the
  notification composer acting for the clinic);
- after an assignment, :func:`workspace.notifications.selfcare_plan_notifications_schedule`
  runs on commit (a late plan re-sends the day-1 message).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from booking.models import Appointment
from clinic.audit import audit_record
from clinic.exceptions import NotFound, ValidationFailed
from clinic.models import AuditAction, AuditOutcome, Role, User
from therapists.care import treats
from workspace.models import Exercise, SelfCarePlan, SelfCarePlanItem
from workspace.notes import is_treating_therapist
from workspace.notifications import selfcare_plan_notifications_schedule

LIBRARY_PATH = Path(__file__).resolve().parent / "data" / "exercises.json"
PLAN_STATUSES = ("checked_in", "completed")
MAX_ITEMS = 8


@cache
def library_data() -> dict[str, Any]:
    return json.loads(LIBRARY_PATH.read_text(encoding="utf-8"))


def exercise_library_seed(apps: Any, schema_editor: Any = None) -> None:
    """Load the shipped library into an empty database (the tests' reload after a flush)."""
    exercise_model = apps.get_model("workspace", "Exercise")
    condition_model = apps.get_model("therapists", "Condition")
    for row in library_data()["exercises"]:
        exercise, created = exercise_model.objects.get_or_create(
            slug=row["slug"],
            defaults={
                key: row.get(key, default)
                for key, default in (
                    ("name", ""),
                    ("kind", ""),
                    ("instructions", ""),
                    ("duration_seconds", None),
                    ("repetitions", None),
                    ("regions", []),
                    ("precautions", []),
                )
            },
        )
        if created:
            exercise.conditions.set(condition_model.objects.filter(slug__in=row["conditions"]))


def general_precautions() -> list[str]:
    """Precautions every self-care plan shows the client (spec §2)."""
    return [gettext(line) for line in library_data()["general_precautions"]]


def exercises_list(
    *, condition_slugs: Iterable[str] = (), region_slugs: Iterable[str] = ()
) -> list[Exercise]:
    """Active exercises; those suiting the conditions or regions first, then the rest."""
    conditions, regions = set(condition_slugs), set(region_slugs)
    exercises = list(Exercise.objects.filter(is_active=True).prefetch_related("conditions"))

    def fit(exercise: Exercise) -> int:
        slugs = {c.slug for c in exercise.conditions.all()}
        return len(slugs & conditions) * 2 + len(set(exercise.regions) & regions)

    return sorted(exercises, key=lambda e: (-fit(e), e.kind, e.name))


def _invalid(message: str, field: str = "items") -> ValidationFailed:
    return ValidationFailed(message, extra={"fields": {field: [message]}})


def _clean_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not items:
        raise _invalid(_("Choose at least one exercise."))
    if len(items) > MAX_ITEMS:
        raise _invalid(
            _("Choose at most %(count)d exercises; fewer are done more often.")
            % {"count": MAX_ITEMS}
        )
    ids = [int(item["exercise"].pk) for item in items]
    if len(set(ids)) != len(ids):
        raise _invalid(_("Each exercise can be in the plan once."))
    if any(not item["exercise"].is_active for item in items):
        raise _invalid(_("That exercise is no longer in the library."))
    return items


@transaction.atomic
def selfcare_plan_assign(
    *,
    appointment: Appointment,
    actor: User,
    items: list[dict[str, Any]],
    message: str = "",
    request: HttpRequest | None = None,
    as_of: dt.datetime | None = None,
) -> SelfCarePlan:
    """The treating therapist gives the client a plan after a session; it replaces the last one.

    ``items`` are dicts with ``exercise`` and optional ``times_per_day``, ``days_per_week``, ``note``.
    ``as_of`` records history: the plan is assigned (and the last one replaced) as of then.
    """
    if not is_treating_therapist(actor, appointment):
        raise NotFound(_("No such appointment."))
    if appointment.status not in PLAN_STATUSES:
        raise ValidationFailed(_("Assign a self-care plan once the client has checked in."))
    items = _clean_items(items)
    now = as_of or timezone.now()
    SelfCarePlan.objects.filter(client=appointment.client, replaced_at__isnull=True).update(
        replaced_at=now
    )
    plan = SelfCarePlan.objects.create(
        client=appointment.client,
        therapist=appointment.therapist,
        appointment=appointment,
        message=message.strip(),
        assigned_at=now,
    )
    for position, item in enumerate(items):
        row = SelfCarePlanItem(plan=plan, position=position, **item)
        row.full_clean()
        row.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, target=plan, subject=appointment.client,
        request=request, detail="self-care plan",
    )  # fmt: skip
    transaction.on_commit(lambda: selfcare_plan_notifications_schedule(plan))
    return plan


def _plan_queryset() -> QuerySet[SelfCarePlan]:
    return SelfCarePlan.objects.select_related("therapist", "appointment").prefetch_related(
        "items__exercise"
    )


def may_read_plans(user: User | AnonymousUser, client_id: int) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role == Role.CLINIC_ADMIN or (user.role == Role.CLIENT and user.pk == client_id):
        return True
    if user.role == Role.THERAPIST:
        return treats(user, client_id)
    return False


def selfcare_plan_current_for(
    user: User | AnonymousUser, client_id: int, *, request: HttpRequest | None = None
) -> SelfCarePlan | None:
    """The client's current plan for ``user`` (the client, their therapists, admins), audited."""
    client = User.objects.filter(pk=client_id, role=Role.CLIENT).first()
    if client is None:
        raise NotFound(_("No such client."))
    if not may_read_plans(user, client.pk):
        audit_record(
            actor=user, action=AuditAction.VIEW, target=client, subject=client,
            outcome=AuditOutcome.DENIED, request=request, detail="self-care plan",
        )  # fmt: skip
        raise NotFound(_("No such client."))
    plan = _plan_queryset().filter(client=client, replaced_at__isnull=True).first()
    if plan is not None:
        audit_record(
            actor=user, action=AuditAction.VIEW, target=plan, subject=client,
            request=request, detail="self-care plan",
        )  # fmt: skip
    return plan


def selfcare_plan_data(plan_id: int) -> dict[str, Any]:
    """Plain data of one plan for messages sent on the clinic's behalf (no access check)."""
    plan = _plan_queryset().get(pk=plan_id)
    return {
        "id": plan.pk,
        "client_id": plan.client_id,
        "therapist": plan.therapist.display_name,
        "assigned_at": plan.assigned_at,
        "message": plan.message,
        "exercises": [
            {
                "name": gettext(item.exercise.name),
                "kind": item.exercise.get_kind_display(),
                "instructions": gettext(item.exercise.instructions),
                "dose": item.exercise.dose,
                "times_per_day": item.times_per_day,
                "days_per_week": item.days_per_week,
                "note": item.note,
                "precautions": [gettext(line) for line in item.exercise.precautions],
            }
            for item in plan.items.all()
        ],
        "precautions": general_precautions(),
    }
