"""Store every phone number that can be read as E.164 (+15183710420); leave the rest as typed.

Forms now normalise what people type, and every page formats numbers from E.164. Numbers typed
before that (``518-371-0420``) are rewritten once here so they format and dial the same way.
The region is frozen here on purpose: the clinic's country when this ran.
"""

import phonenumbers
from django.db import migrations

REGION = "US"


def _e164(raw):
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise(apps, schema_editor):
    for model_name in ("ClientProfile", "Location"):
        model = apps.get_model("clinic", model_name)
        for row in model.objects.exclude(phone="").only("pk", "phone").iterator():
            stored = _e164(row.phone.strip())
            if stored and stored != row.phone:
                model.objects.filter(pk=row.pk).update(phone=stored)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0012_labels_written_for_people")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
