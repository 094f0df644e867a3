"""The shipped screening advice a client reads (data/default_screening.json), for translation.

Advice rows keep the clinic's text; a row still holding the shipped English is shown in the
client's language (intake.gate.advice_text); an edited row is shown as the clinic wrote it.
tests/intake/test_advice_texts.py checks this list against the JSON file.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

ADVICE_TEXTS = (
    gettext_noop("Thank you. Your intake is complete and you can book online."),
    gettext_noop(
        "Thank you. Your intake is complete and you can book online. Your therapist will adapt treatment around the areas you told us about."
    ),
    gettext_noop(
        "Thank you. A clinician will contact you before your booking is confirmed. You can still ask for an appointment; it will be confirmed after that conversation."
    ),
    gettext_noop(
        "Thank you. Some of your answers mean a clinician must review your intake before hands-on treatment is booked. We will contact you; booking requests are confirmed after that review."
    ),
    gettext_noop(
        "Some of your answers (such as a fever, an infection or a current blood clot) mean hands-on treatment must not be given now. Please do not book until it has passed. When it has, confirm it on your intake page; a clinician then reviews your intake before you can book again."
    ),
    gettext_noop(
        "Some of your answers need a doctor's assessment before myofascial release. Please see a physician today (your doctor, an urgent care clinic or, if you feel unwell, an emergency department). Online booking is paused and the clinic has been told; we will contact you."
    ),
    gettext_noop(
        "Some of your answers can be signs of a condition that needs emergency care. Please call 911 (or your local emergency number) or go to the nearest emergency department now. Do not wait for a myofascial release appointment. Online booking is paused and the clinic has been told."
    ),
)
