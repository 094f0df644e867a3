"""PostgreSQL exclusion constraint: no client in two active appointments at once.

Like 0002, PostgreSQL-only (SQLite cannot create it); there the booking transaction's
re-check under the client's row lock is the only guard. The client's span is the session
itself, without the therapist's buffers: a client may walk from one room to the next.
"""

from django.db import migrations

ACTIVE = "('requested', 'booked', 'checked_in', 'completed')"
NAME = "booking_appointment_no_client_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE booking_appointment ADD CONSTRAINT {NAME} EXCLUDE USING gist "
        "(client_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        f"WHERE (status IN {ACTIVE})"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0008_appointment_checked_in")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
