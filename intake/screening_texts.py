"""The shipped screening rules' labels and precautions (data/default_screening.json), for translation.

Clinicians read them on the intake review page; a rule keeps the clinic's text and the page shows
it through gettext (the ``|translated`` filter), so a label the clinic edited is shown as written.
tests/intake/test_questionnaire_texts.py checks this list against the JSON file.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

SCREENING_TEXTS = (
    gettext_noop("Malignancy or active cancer treatment"),
    gettext_noop("Needs clearance from oncology before hands-on work."),
    gettext_noop("Aneurysm"),
    gettext_noop("Acute RA or inflammatory flare"),
    gettext_noop("Fever or systemic/contagious infection"),
    gettext_noop(
        "No hands-on treatment now; the client confirms it has passed and a clinician clears it before booking."
    ),
    gettext_noop("Cellulitis, osteomyelitis, local infection or acute inflammation"),
    gettext_noop("Avoid the affected area; clinician decides between hold and area precautions."),
    gettext_noop("Current DVT, blood clot or phlebitis"),
    gettext_noop("Needs medical clearance for the clot before any hands-on work."),
    gettext_noop("Anticoagulants or bleeding disorder"),
    gettext_noop(
        "Anticoagulants or bleeding disorder: gentle pressure, watch for bruising; drug recorded in intake."
    ),
    gettext_noop("Open wound, sutures, hematoma, burn or recent surgery"),
    gettext_noop("Avoid open wounds; scar work only on a healed incision."),
    gettext_noop("Healing fracture"),
    gettext_noop("Hold until the fracture is cleared."),
    gettext_noop("Severe osteoporosis or long-term corticosteroids"),
    gettext_noop("Obstructive edema, acute circulatory condition or severe varicose veins"),
    gettext_noop("Advanced diabetes (neuropathy, fragile skin)"),
    gettext_noop("Skin hypersensitivity"),
    gettext_noop("Skin hypersensitivity: adapt pressure and technique."),
    gettext_noop("Contagious skin condition"),
    gettext_noop("Contagious skin condition: defer treatment until it has cleared; reschedule."),
    gettext_noop("Pregnancy"),
    gettext_noop("Pregnancy: check trimester and complications; positioning."),
    gettext_noop("Heart disease, uncontrolled hypertension, heart or organ failure"),
    gettext_noop("Nerve damage or radiation-site inflammation"),
    gettext_noop("Nerve damage or radiation site: avoid or adapt the area."),
    gettext_noop("History of physical trauma or abuse (optional answer)"),
    gettext_noop(
        "Discuss consent and draping preferences before treatment; check in during the session."
    ),
    gettext_noop("Possible DVT: one-sided calf swelling, warmth, redness"),
    gettext_noop("Possible DVT with chest symptoms (pulmonary embolism)"),
    gettext_noop("Possible cauda equina syndrome"),
    gettext_noop("Back pain with infection, fracture or cord-compression signs"),
    gettext_noop("Back pain red flags for review"),
    gettext_noop("Recent neck trauma with a high-risk factor"),
    gettext_noop("Recent neck trauma"),
    gettext_noop("Possible cervical artery dissection"),
    gettext_noop("Headache emergency signs"),
    gettext_noop("Headache red flags for review"),
    gettext_noop("Jaw pain on chewing over 50 (possible giant cell arteritis)"),
    gettext_noop("Jaw red flags for review"),
    gettext_noop("Heel pain at rest or at night"),
    gettext_noop("Constant numbness or thenar wasting/weakness"),
)
