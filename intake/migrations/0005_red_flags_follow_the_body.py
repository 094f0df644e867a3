"""Publish a new intake version whose red-flag questions also follow the pain map.

Until now a region's red-flag questions were asked only for the condition the client picked:
"chronic pain" plus a mark on the lower back never asked the cauda equina questions. This
adds, to each red-flag group of the clinic's *active* version (so the clinic's own edits are
kept), one enableWhen per body region (clinical spec §3 and §6); the pain map's answer is
compared by region. The previous version is retired, never edited: submitted intakes keep
pointing at the questions they answered. The mapping is frozen here on purpose.
"""

import copy

from django.db import migrations
from django.utils import timezone

SLUG = "mfr-intake"

# Red-flag group → pain-map regions that ask it. Where the spec is silent the safer choice is
# taken: sacrum/SI and buttock ask the back questions (sciatica, cauda equina), head and temple
# also ask the neck questions (artery dissection presents as headache), face asks the jaw ones
# (facial numbness). The calf (DVT) question is asked of everyone already.
BODY_FLAGS = {
    "back_flags": ("lower-back", "sacrum-si", "buttock"),
    "neck_flags": ("neck-front", "neck-back", "head-front", "head-back", "temple"),
    "head_flags": ("head-front", "head-back", "temple"),
    "jaw_flags": ("jaw", "face"),
    "heel_flags": ("heel-sole",),
    "hand_flags": ("wrist-hand",),
}
INTRO = "red_flags_intro"
INTRO_TEXT = "Only the questions that matter for what you chose and where you marked pain are shown."


def add_body_conditions(items):
    """A copy of ``items`` with the pain-map conditions added; unchanged items compare equal."""
    items = copy.deepcopy(items)
    stack = list(items)
    while stack:
        item = stack.pop()
        stack.extend(item.get("items") or [])
        if item.get("link_id") == INTRO and item.get("type") == "display":
            item["text"] = INTRO_TEXT
        regions = BODY_FLAGS.get(item.get("link_id"))
        if not regions:
            continue
        conditions = list(item.get("enable_when") or [])
        if not conditions:
            continue  # always shown already
        for region in regions:
            condition = {"question": "pain_map", "operator": "=", "answer": region}
            if condition not in conditions:
                conditions.append(condition)
        item["enable_when"] = conditions
        item["enable_behavior"] = "any"
    return items


def publish(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    active = Questionnaire.objects.filter(slug=SLUG, status="active").first()
    if active is None:
        return
    items = add_body_conditions(active.items)
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
    dependencies = [("intake", "0004_open_findings")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
