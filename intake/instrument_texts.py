"""The texts of the built-in outcome measures (instruments/builtin: NPRS, PSFS, PGIC), for translation.

Pages show a built-in measure's texts through gettext (``instrument_text``); a licensed
instrument the clinic imported is shown exactly as imported (its items are never paraphrased).
tests/intake/test_questionnaire_texts.py checks this list against the JSON files.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from clinic.shipped_texts import shipped_text

INSTRUMENT_TEXTS = (
    gettext_noop("Numeric Pain Rating Scale (NPRS)"),
    gettext_noop(
        "How much pain do you have right now? 0 means no pain and 10 the worst pain you can imagine."
    ),
    gettext_noop("No pain"),
    gettext_noop("Worst pain imaginable"),
    gettext_noop("In the last 24 hours, how much pain did you have at its least?"),
    gettext_noop("In the last 24 hours, how much pain did you have at its worst?"),
    gettext_noop("Patient-Specific Functional Scale (PSFS)"),
    gettext_noop(
        "Activity 1: name an activity you find hard or cannot do because of your problem."
    ),
    gettext_noop(
        "Activity 1: how able are you to do it today? 0 means unable to do it, 10 means able to do it as well as before the problem."
    ),
    gettext_noop("Unable to perform"),
    gettext_noop("Able to perform at the level before the problem"),
    gettext_noop(
        "Activity 2: name an activity you find hard or cannot do because of your problem."
    ),
    gettext_noop(
        "Activity 2: how able are you to do it today? 0 means unable to do it, 10 means able to do it as well as before the problem."
    ),
    gettext_noop(
        "Activity 3: name an activity you find hard or cannot do because of your problem."
    ),
    gettext_noop(
        "Activity 3: how able are you to do it today? 0 means unable to do it, 10 means able to do it as well as before the problem."
    ),
    gettext_noop(
        "Activity 4: name an activity you find hard or cannot do because of your problem."
    ),
    gettext_noop(
        "Activity 4: how able are you to do it today? 0 means unable to do it, 10 means able to do it as well as before the problem."
    ),
    gettext_noop(
        "Activity 5: name an activity you find hard or cannot do because of your problem."
    ),
    gettext_noop(
        "Activity 5: how able are you to do it today? 0 means unable to do it, 10 means able to do it as well as before the problem."
    ),
    gettext_noop("Patient Global Impression of Change (PGIC)"),
    gettext_noop(
        "Since you started treatment here, how would you describe the change in your condition?"
    ),
    gettext_noop("Very much improved"),
    gettext_noop("Much improved"),
    gettext_noop("Minimally improved"),
    gettext_noop("No change"),
    gettext_noop("Minimally worse"),
    gettext_noop("Much worse"),
    gettext_noop("Very much worse"),
)


def instrument_text(text: str, instrument: Any) -> str:
    """``text`` of ``instrument`` (an OutcomeInstrument or its definition) as the client reads it.

    Only the built-in measures are translated; an imported licensed instrument is never
    paraphrased, so its text is returned unchanged even if a catalogue knows the words.
    """
    if getattr(instrument, "licence_required", True):
        return text
    return shipped_text(text)
