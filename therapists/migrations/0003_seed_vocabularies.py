"""Seed the clinic's condition list (clinical spec §1, codes from §5), modalities,
special competencies and languages. All of it stays editable by the clinic."""

from django.db import migrations

CONDITIONS = [
    # slug, name, ICD-10-CM codes (verify against the current code files)
    ("back-pain", "Chronic back pain", "M54.50"),
    ("neck-pain", "Neck pain", "M54.2"),
    ("headache", "Headaches", "R51.9, G44.209, G44.86"),
    ("migraine", "Migraines", "G43.909"),
    ("whiplash", "Whiplash", "S13.4XXA"),
    ("tmj", "TMJ (jaw) dysfunction", "M26.60x, M26.62x"),
    ("fibromyalgia", "Fibromyalgia", "M79.7"),
    ("plantar-fasciitis", "Plantar fasciitis", "M72.2"),
    ("sciatica", "Sciatica", "M54.3x, M54.4x"),
    ("disc-problems", "Disc problems", "M51.16"),
    ("carpal-tunnel", "Carpal tunnel", "G56.0x"),
    ("scar-pain", "Painful (post-surgical) scars", "L90.5, G89.28"),
    ("sports-injury", "Sports injuries", ""),
    ("myofascial-pain-syndrome", "Myofascial pain syndrome", "M79.18"),
    ("chronic-pain", "Chronic pain", "G89.29"),
    ("posture", "Posture problems", ""),
    ("stress", "Stress", ""),
]

MODALITIES = [
    # slug, name, counts as MFR
    ("manual-mfr", "Manual myofascial release", True),
    ("structural-mfr", "Structural myofascial release", True),
    ("active-release", "Active Release Techniques", False),
    ("self-mfr-coaching", "Self-myofascial release coaching", False),
    ("sports-massage", "Sports massage", False),
    ("pilates", "Pilates", False),
    ("structural-integration", "Structural integration (Rolfing)", False),
]

COMPETENCIES = [
    ("intraoral", "Intraoral (TMJ) work", "intraoral"),
    ("pelvic", "Pelvic work", "pelvic"),
]

LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("nl", "Dutch"),
    ("fr", "French"),
    ("de", "German"),
    ("pt", "Portuguese"),
    ("it", "Italian"),
    ("zh", "Chinese"),
    ("ar", "Arabic"),
    ("hi", "Hindi"),
    ("ru", "Russian"),
    ("pl", "Polish"),
    ("asl", "American Sign Language"),
]


def seed(apps, schema_editor):
    Condition = apps.get_model("therapists", "Condition")
    Modality = apps.get_model("therapists", "Modality")
    Competency = apps.get_model("therapists", "Competency")
    Language = apps.get_model("therapists", "Language")
    for order, (slug, name, codes) in enumerate(CONDITIONS, start=1):
        Condition.objects.get_or_create(
            slug=slug, defaults={"name": name, "codes": codes, "sort_order": order * 10}
        )
    for order, (slug, name, is_mfr) in enumerate(MODALITIES, start=1):
        Modality.objects.get_or_create(
            slug=slug, defaults={"name": name, "is_mfr": is_mfr, "sort_order": order * 10}
        )
    for slug, name, consent_kind in COMPETENCIES:
        Competency.objects.get_or_create(
            slug=slug, defaults={"name": name, "consent_kind": consent_kind}
        )
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("therapists", "0002_profiles_services_hours")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
