"""Moving notes, self-care and clinician tasks out of the therapists app keeps every row.

The models changed app (therapists -> workspace, and clinician tasks -> booking) with
``SeparateDatabaseAndState``: the tables keep their names, so a clinic that upgrades keeps its
notes, addenda, plans and tasks, and audit or outbox rows that point at their content types.
"""

from __future__ import annotations

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from booking.models import ClinicianTask
from workspace.models import SelfCarePlan, SessionNote, SessionNoteAddendum

BEFORE = [
    ("therapists", "0005_seed_exercises"),
    ("booking", "0003_appointment_approved_by_alter_appointment_decided_by"),
    ("workspace", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_notes_plans_and_tasks_survive_the_move_to_workspace(clinic, personas):
    appointment = clinic.appointment(personas.client)
    old = _migrate(BEFORE)
    try:
        note_model = old.get_model("therapists", "SessionNote")
        addendum_model = old.get_model("therapists", "SessionNoteAddendum")
        plan_model = old.get_model("therapists", "SelfCarePlan")
        item_model = old.get_model("therapists", "SelfCarePlanItem")
        exercise_model = old.get_model("therapists", "Exercise")
        task_model = old.get_model("therapists", "ClinicianTask")
        modality = old.get_model("therapists", "Modality").objects.get(slug="manual-mfr")
        content_type = old.get_model("contenttypes", "ContentType")
        note_type, _ = content_type.objects.get_or_create(
            app_label="therapists", model="sessionnote"
        )
        note = note_model.objects.create(
            appointment_id=appointment.pk,
            therapist_id=clinic.profile.pk,
            client_id=personas.client.pk,
            subjective="Worse after sitting.",
            hold_minutes=[3, 5],
        )
        note.techniques.add(modality)
        addendum_model.objects.create(
            note=note, author_id=personas.therapist.pk, text="Late entry."
        )
        plan = plan_model.objects.create(
            client_id=personas.client.pk,
            therapist_id=clinic.profile.pk,
            appointment_id=appointment.pk,
            message="Twice a day.",
        )
        exercise = exercise_model.objects.order_by("pk").first()
        item_model.objects.create(plan=plan, exercise=exercise, times_per_day=2)
        task = task_model.objects.create(
            appointment_id=appointment.pk,
            assigned_to_id=personas.therapist.pk,
            created_by_id=personas.front_desk.pk,
        )
    finally:
        _migrate(_latest())

    moved = SessionNote.objects.get(pk=note.pk)
    assert moved.subjective == "Worse after sitting."
    assert moved.hold_minutes == [3, 5]
    assert [m.slug for m in moved.techniques.all()] == ["manual-mfr"]
    assert [a.text for a in SessionNoteAddendum.objects.filter(note=moved)] == ["Late entry."]
    moved_plan = SelfCarePlan.objects.get(pk=plan.pk)
    assert moved_plan.message == "Twice a day."
    assert [(i.exercise.slug, i.times_per_day) for i in moved_plan.items.all()] == [
        (exercise.slug, 2)
    ]
    assert ClinicianTask.objects.get(pk=task.pk).assigned_to == personas.therapist
    # Rows that point at the note's content type (audit, outbox) now point at workspace's.
    relabelled = current_apps.get_model("contenttypes", "ContentType").objects.get(pk=note_type.pk)
    assert (relabelled.app_label, relabelled.model) == ("workspace", "sessionnote")
