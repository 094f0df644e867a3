"""Seed the self-care exercise library from workspace/data/exercises.json (editable afterwards).

The library moved to the workspace app later (its tables kept their names); the data file
moved with it, so this historical step reads it from there by path.
"""

import json
from pathlib import Path

from django.db import migrations

LIBRARY = Path(__file__).resolve().parents[2] / "workspace" / "data" / "exercises.json"


def seed(apps, schema_editor):
    Exercise = apps.get_model("therapists", "Exercise")
    Condition = apps.get_model("therapists", "Condition")
    data = json.loads(LIBRARY.read_text(encoding="utf-8"))
    for row in data["exercises"]:
        exercise, created = Exercise.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "instructions": row["instructions"],
                "duration_seconds": row.get("duration_seconds"),
                "repetitions": row.get("repetitions"),
                "regions": row["regions"],
                "precautions": row.get("precautions", []),
            },
        )
        if created:
            exercise.conditions.set(Condition.objects.filter(slug__in=row["conditions"]))


class Migration(migrations.Migration):
    dependencies = [("therapists", "0004_workspace")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
