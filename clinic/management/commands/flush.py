"""``flush`` that also empties the append-only audit trail on SQLite.

Emptying the whole database is the one operation allowed past the trail's triggers: on
PostgreSQL ``flush`` is a TRUNCATE, which row triggers do not see; on SQLite it is a DELETE per
table, which they refuse. So on SQLite the two triggers are lifted for the flush and created
again straight after, in the same way clinic migration 0006 creates them. Test runs rely on
this between transactional tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

TRIGGERS = {
    "clinic_auditevent_no_update": "UPDATE",
    "clinic_auditevent_no_delete": "DELETE",
}


def _sqlite_triggers_present(connection: Any) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["clinic_auditevent"],
        )
        return [name for (name,) in cursor.fetchall() if name in TRIGGERS]


class Command(flush.Command):
    help = flush.Command.help + " The audit trail is emptied too (on SQLite, past its triggers)."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        present = _sqlite_triggers_present(connection) if connection.vendor == "sqlite" else []
        with connection.cursor() as cursor:
            for name in present:
                cursor.execute(f"DROP TRIGGER {name}")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for name in present:
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {TRIGGERS[name]} ON "
                        "clinic_auditevent BEGIN SELECT RAISE(ABORT, "
                        "'clinic_auditevent is append-only'); END"
                    )
