"""The audit trail keeps who it was and refuses rewrites on SQLite too.

- ``actor`` and ``subject`` no longer cascade: deleting a user used to rewrite past events to
  NULL (and on PostgreSQL the append-only trigger then refused the whole deletion). Now the ids
  stay as written, with no database constraint, next to the e-mail and role copied at the time.
- ``event_id``: a stable identity, so a refusal recorded inside a transaction that then rolled
  back is written again exactly once (clinic.audit). Older rows keep NULL: filling them in
  would be an UPDATE, which the trail refuses.
- SQLite gets the triggers PostgreSQL has had since 0002. They come last, because SQLite
  alters a table by rebuilding it, which drops its triggers: any later migration that alters
  this table on SQLite must create them again (tests/clinic/test_audit_trail.py checks).
"""

from __future__ import annotations

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS clinic_auditevent_no_update
       BEFORE UPDATE ON clinic_auditevent
       BEGIN SELECT RAISE(ABORT, 'clinic_auditevent is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS clinic_auditevent_no_delete
       BEFORE DELETE ON clinic_auditevent
       BEGIN SELECT RAISE(ABORT, 'clinic_auditevent is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS clinic_auditevent_no_update",
    "DROP TRIGGER IF EXISTS clinic_auditevent_no_delete",
]


def triggers_create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


def _kept_reference(**kwargs):
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        **kwargs,
    )


class Migration(migrations.Migration):
    dependencies = [("clinic", "0006_policy_told_from_its_values")]

    operations = [
        # Added without a default first, so existing rows stay NULL instead of sharing one id.
        migrations.AddField(
            model_name="auditevent",
            name="event_id",
            field=models.UUIDField(editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="event_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(model_name="auditevent", name="actor", field=_kept_reference()),
        migrations.AlterField(
            model_name="auditevent",
            name="subject",
            field=_kept_reference(help_text="The client whose record this is."),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
