"""PostgreSQL exclusion constraints: no therapist and no room in two active appointments at once.

They live here rather than in the model's Meta because SQLite cannot create them; on SQLite
this migration does nothing and the booking transaction's re-check is the only guard.
"""

from django.db import migrations

ACTIVE = "('requested', 'booked', 'checked_in', 'completed')"
CONSTRAINTS = {
    "booking_appointment_no_therapist_overlap": "therapist_id",
    "booking_appointment_no_room_overlap": "room_id",
}


def add_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE booking_appointment ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(occupied_from, occupied_until, '[)') WITH &&) "
            f"WHERE (status IN {ACTIVE})"
        )


def drop_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(add_constraints, drop_constraints)]
