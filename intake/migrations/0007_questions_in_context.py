"""Publish a new intake version whose conditional questions say what they refer to.

"Any of these?" under "About your back" read well to a sighted reader scanning the group, but a
screen reader moving from question to question, a check page or a therapist's review list shows
the question alone. Each conditional question now names its subject in its own text (the
legend). Only texts still as shipped are rewritten, so a clinic's own wording is kept; the
previous version is retired, never edited. The wording is frozen here on purpose.
"""

import copy

from django.db import migrations
from django.utils import timezone

SLUG = "mfr-intake"

# link_id → (shipped text, text that carries its context)
IN_CONTEXT = {
    "tried_outcome": (
        "How did those go?",
        "How did the treatments you tried go?",
    ),
    "pregnancy_trimester": ("Which trimester?", "Which trimester of your pregnancy are you in?"),
    "calf_chest": (
        "With that, do you also have any of these?",
        "With the swelling in one calf, do you also have any of these?",
    ),
    "rf_back_emergency": (
        "Do you have any of these now?",
        "Back, sciatica or disc: do you have any of these now?",
    ),
    "rf_back_urgent": (
        "Any of these?",
        "Back, sciatica or disc: do you also have any of these?",
    ),
    "rf_back_review": (
        "Any of these?",
        "Back, sciatica or disc: do any of these apply to you?",
    ),
    "rf_neck_trauma_detail": (
        "With that injury, did any of these happen?",
        "With that neck injury in the last 30 days, did any of these happen?",
    ),
    "rf_neck_emergency": ("Do you have this now?", "Neck: do you have this now?"),
    "rf_head_emergency": (
        "Do you have any of these now?",
        "Headaches: do you have any of these now?",
    ),
    "rf_head_review": ("Any of these?", "Headaches: do any of these apply to you?"),
    "rf_jaw_review": ("Any of these?", "Jaw: do any of these apply to you?"),
    "rf_carpal_constant": (
        "Is the numbness constant, or is the muscle at the base of your thumb thinner or weaker?",
        "Is the numbness in your hand constant, or is the muscle at the base of your thumb "
        "thinner or weaker?",
    ),
}


def put_in_context(items):
    """A copy of ``items`` with the shipped context-free texts rewritten."""
    items = copy.deepcopy(items)
    stack = list(items)
    while stack:
        item = stack.pop()
        stack.extend(item.get("items") or [])
        change = IN_CONTEXT.get(item.get("link_id"))
        if change and item.get("text") == change[0]:
            item["text"] = change[1]
    return items


def publish(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    active = Questionnaire.objects.filter(slug=SLUG, status="active").first()
    if active is None:
        return
    items = put_in_context(active.items)
    if items == active.items:
        return
    last = Questionnaire.objects.filter(slug=SLUG).order_by("-version").first()
    Questionnaire.objects.filter(pk=active.pk).update(status="retired")
    Questionnaire.objects.create(
        slug=SLUG,
        version=last.version + 1,
        title=active.title,
        items=items,
        status="active",
        published_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_stop_level_and_alert_acknowledgement")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
