"""The shipped vocabularies clients read: conditions, modalities, competencies, languages.

Seeded by therapists/migrations/0003_seed_vocabularies.py and editable by the clinic; each
row's ``__str__`` shows its name through gettext, so a shipped name appears in the reader's
language and a name the clinic wrote is shown as written. tests/therapists/test_vocabulary_texts.py
checks this list against the migration.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

VOCABULARY_TEXTS = (
    gettext_noop("Chronic back pain"),
    gettext_noop("Neck pain"),
    gettext_noop("Headaches"),
    gettext_noop("Migraines"),
    gettext_noop("Whiplash"),
    gettext_noop("TMJ (jaw) dysfunction"),
    gettext_noop("Fibromyalgia"),
    gettext_noop("Plantar fasciitis"),
    gettext_noop("Sciatica"),
    gettext_noop("Disc problems"),
    gettext_noop("Carpal tunnel"),
    gettext_noop("Painful (post-surgical) scars"),
    gettext_noop("Sports injuries"),
    gettext_noop("Myofascial pain syndrome"),
    gettext_noop("Chronic pain"),
    gettext_noop("Posture problems"),
    gettext_noop("Stress"),
    gettext_noop("Manual myofascial release"),
    gettext_noop("Structural myofascial release"),
    gettext_noop("Active Release Techniques"),
    gettext_noop("Self-myofascial release coaching"),
    gettext_noop("Sports massage"),
    gettext_noop("Pilates"),
    gettext_noop("Structural integration (Rolfing)"),
    gettext_noop("Intraoral (TMJ) work"),
    gettext_noop("Pelvic work"),
    gettext_noop("English"),
    gettext_noop("Spanish"),
    gettext_noop("Dutch"),
    gettext_noop("French"),
    gettext_noop("German"),
    gettext_noop("Portuguese"),
    gettext_noop("Italian"),
    gettext_noop("Chinese"),
    gettext_noop("Arabic"),
    gettext_noop("Hindi"),
    gettext_noop("Russian"),
    gettext_noop("Polish"),
    gettext_noop("American Sign Language"),
)
