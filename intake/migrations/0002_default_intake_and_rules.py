"""Load the default MFR intake (v1) and the default screening rules and advice as data.

The clinic's clinician reviews and edits these in the admin; this runs once and never
overwrites what the clinic has changed.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    ScreeningRule = apps.get_model("intake", "ScreeningRule")
    ScreeningAdvice = apps.get_model("intake", "ScreeningAdvice")
    # Version 1 exactly as this migration first shipped it; later versions are published by
    # later migrations (0005), so this one's behaviour never changes.
    intake = json.loads((DATA / "default_intake_v1.json").read_text(encoding="utf-8"))
    if not Questionnaire.objects.filter(slug=intake["slug"]).exists():
        Questionnaire.objects.create(
            slug=intake["slug"],
            version=intake["version"],
            title=intake["title"],
            items=intake["items"],
            status="active",
            published_at=timezone.now(),
        )
    screening = json.loads((DATA / "default_screening.json").read_text(encoding="utf-8"))
    for rule in screening["rules"]:
        ScreeningRule.objects.get_or_create(
            code=rule["code"], defaults={k: v for k, v in rule.items() if k != "code"}
        )
    for advice in screening["advice"]:
        ScreeningAdvice.objects.get_or_create(
            level=advice["level"], defaults={"client_message": advice["client_message"]}
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
