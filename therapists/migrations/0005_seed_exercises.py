"""Seed the self-care exercise library from therapists/data/exercises.json (editable afterwards)."""

import json
from pathlib import Path

from django.db import migrations

LIBRARY = Path(__file__).resolve().parent.parent / "data" / "exercises.json"


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
