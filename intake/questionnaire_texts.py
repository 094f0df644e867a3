"""Every text of the shipped intake questionnaires (data/default_intake*.json), for translation.

A published version keeps its English texts in the database; the client's pages show each item
text, help text, option label and step title through gettext (``translated_items``), so the
Dutch and Spanish live in the catalogues and a text a clinic wrote itself is shown as written.
The older shipped versions are listed too: a response keeps pointing at the version it answered.
tests/intake/test_questionnaire_texts.py checks this list against the JSON files.
"""

# The shipped texts use en dashes in ranges; the msgids must match them character for character.
# ruff: noqa: RUF001

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_noop

from clinic.shipped_texts import shipped_text
from intake import questionnaire_logic as ql

QUESTIONNAIRE_TEXTS = (
    gettext_noop("Myofascial release intake"),
    gettext_noop("About your visit"),
    gettext_noop("What brings you to the clinic?"),
    gettext_noop("Your age in years"),
    gettext_noop("Which of these are you coming for? Choose all that apply."),
    gettext_noop("Something else"),
    gettext_noop("What else are you coming for?"),
    gettext_noop("Where and how much it hurts"),
    gettext_noop("Mark where you feel pain, and how strong it is (0 none – 10 worst)."),
    gettext_noop("Pain right now (0 none – 10 worst imaginable)"),
    gettext_noop("Pain at its best in the last 24 hours"),
    gettext_noop("Pain at its worst in the last 24 hours"),
    gettext_noop("How did it start?"),
    gettext_noop("Suddenly"),
    gettext_noop("Gradually"),
    gettext_noop("After an injury or accident"),
    gettext_noop("After surgery"),
    gettext_noop("Not sure"),
    gettext_noop("How long have you had it?"),
    gettext_noop("Less than 6 weeks"),
    gettext_noop("6 weeks to 3 months"),
    gettext_noop("3 months to a year"),
    gettext_noop("More than a year"),
    gettext_noop("What makes it worse?"),
    gettext_noop("What makes it better?"),
    gettext_noop("Your history and medicines"),
    gettext_noop("What have you tried before for this?"),
    gettext_noop("Physical therapy"),
    gettext_noop("Chiropractic"),
    gettext_noop("Massage"),
    gettext_noop("Medication"),
    gettext_noop("Injections"),
    gettext_noop("Surgery"),
    gettext_noop("Nothing yet"),
    gettext_noop("How did the treatments you tried go?"),
    gettext_noop("Have you had surgery?"),
    gettext_noop("Which surgeries, when (month and year) and where on the body?"),
    gettext_noop("Do you have scars (from surgery or injury)?"),
    gettext_noop("Where are the scars and when did they happen? Are they fully healed?"),
    gettext_noop("Medicines you take (name and dose)"),
    gettext_noop(
        "Do you take blood thinners (anticoagulants such as warfarin, apixaban, rivaroxaban, dabigatran, heparin, or daily aspirin/clopidogrel)?"
    ),
    gettext_noop("Which blood thinner, and what dose?"),
    gettext_noop("Health screen"),
    gettext_noop(
        "These questions keep hands-on treatment safe. A therapist reads them before your first session."
    ),
    gettext_noop("Do any of these apply to you now? Choose all that apply."),
    gettext_noop("Cancer, or cancer treatment now"),
    gettext_noop("Aneurysm"),
    gettext_noop("Acute rheumatoid arthritis or an inflammatory flare-up now"),
    gettext_noop("Fever, or an infection that is systemic or contagious, now"),
    gettext_noop(
        "Cellulitis, bone infection (osteomyelitis), a local infection or acute inflammation"
    ),
    gettext_noop("A blood clot, deep-vein thrombosis (DVT) or phlebitis now"),
    gettext_noop("A bleeding disorder"),
    gettext_noop("An open wound, stitches, bruise/hematoma, burn, or surgery in the last 3 months"),
    gettext_noop("A broken bone that is still healing"),
    gettext_noop("Severe osteoporosis, or long-term corticosteroid (steroid) use"),
    gettext_noop(
        "Swelling from blocked circulation (edema), an acute circulation problem, or severe varicose veins"
    ),
    gettext_noop("Diabetes with nerve damage (neuropathy) or fragile skin"),
    gettext_noop("Very sensitive skin"),
    gettext_noop("A contagious skin condition"),
    gettext_noop("I am pregnant"),
    gettext_noop("Heart disease, uncontrolled high blood pressure, heart failure or organ failure"),
    gettext_noop("Nerve damage, or inflammation where I had radiation"),
    gettext_noop("None of these"),
    gettext_noop("Where on the body (for the wound, skin, nerve or infection you chose)?"),
    gettext_noop("Which trimester of your pregnancy are you in?"),
    gettext_noop("First (weeks 1–13)"),
    gettext_noop("Second (weeks 14–27)"),
    gettext_noop("Third (week 28 on)"),
    gettext_noop("Any complications in this pregnancy?"),
    gettext_noop("Do you have swelling, warmth or redness in one calf (lower leg) only?"),
    gettext_noop("With the swelling in one calf, do you also have any of these?"),
    gettext_noop("Chest pain"),
    gettext_noop("Shortness of breath"),
    gettext_noop("Coughing up blood"),
    gettext_noop("A few more safety questions"),
    gettext_noop(
        "Only the questions that matter for what you chose and where you marked pain are shown."
    ),
    gettext_noop("About your back, sciatica or disc problem"),
    gettext_noop("Back, sciatica or disc: do you have any of these now?"),
    gettext_noop("New trouble passing urine, or leaking urine"),
    gettext_noop("Loss of bowel control"),
    gettext_noop("Numbness around the genitals, anus or inner thighs (saddle area)"),
    gettext_noop("Severe or worsening weakness in a leg, or trouble walking"),
    gettext_noop("Pain, numbness or pins and needles in both legs"),
    gettext_noop("New problems with sexual function"),
    gettext_noop("Back, sciatica or disc: do you also have any of these?"),
    gettext_noop("Fever or chills along with the back pain"),
    gettext_noop("A weakened immune system (e.g. transplant, chemotherapy) or injecting drug use"),
    gettext_noop("A significant fall or accident, or a minor one with osteoporosis or steroid use"),
    gettext_noop("Leg weakness, numb limbs, unsteady walking or clumsy hands"),
    gettext_noop("Back, sciatica or disc: do any of these apply to you?"),
    gettext_noop("A history of cancer"),
    gettext_noop("It started after age 50 or before age 20"),
    gettext_noop("Weight loss you can't explain"),
    gettext_noop("Pain at night that does not ease when you change position"),
    gettext_noop("No improvement at all after a month"),
    gettext_noop("About your neck"),
    gettext_noop("Did you hurt your neck (fall, accident, impact) in the last 30 days?"),
    gettext_noop("With that neck injury in the last 30 days, did any of these happen?"),
    gettext_noop("Tingling in your arms or legs"),
    gettext_noop("A fall from 1 metre (3 feet) or 5 stairs or more"),
    gettext_noop("A diving injury or a blow to the top of the head"),
    gettext_noop("A high-speed or rollover car crash"),
    gettext_noop("A bicycle collision"),
    gettext_noop("Neck: do you have this now?"),
    gettext_noop(
        "New, severe neck pain or headache unlike any before, with dizziness, double vision, slurred speech, trouble swallowing, sudden falls or facial numbness"
    ),
    gettext_noop("No"),
    gettext_noop("About your headaches"),
    gettext_noop("Headaches: do you have any of these now?"),
    gettext_noop("A sudden, explosive (“thunderclap”) headache"),
    gettext_noop("New weakness, trouble speaking, vision change, confusion or a seizure"),
    gettext_noop("Fever with a stiff neck"),
    gettext_noop("The headache began after a head or neck injury"),
    gettext_noop("Headaches: do any of these apply to you?"),
    gettext_noop("Headaches started after age 50"),
    gettext_noop("Your usual headache pattern has changed"),
    gettext_noop("Worse lying down, or when coughing, straining or exercising"),
    gettext_noop("You are pregnant or recently gave birth"),
    gettext_noop("About your jaw"),
    gettext_noop("Does your jaw ache when you chew, and is this new?"),
    gettext_noop("Jaw: do any of these apply to you?"),
    gettext_noop("A lump in your neck"),
    gettext_noop("Numbness or a lopsided look to your face"),
    gettext_noop("A hearing change in one ear"),
    gettext_noop("Unexplained fever or weight loss"),
    gettext_noop("About your heel"),
    gettext_noop("Does your heel hurt at rest or at night?"),
    gettext_noop("About your hand"),
    gettext_noop(
        "Is the numbness in your hand constant, or is the muscle at the base of your thumb thinner or weaker?"
    ),
    gettext_noop("Your goals"),
    gettext_noop("What do you hope for?"),
    gettext_noop("Less pain"),
    gettext_noop("Move more freely (range of motion)"),
    gettext_noop("Better posture"),
    gettext_noop("Get back to sport"),
    gettext_noop("Less stress"),
    gettext_noop(
        "Name up to five activities you find hard because of this problem, and score each from 0 (unable to do it) to 10 (as well as before)."
    ),
    gettext_noop("Activity 1"),
    gettext_noop("Activity 1: how well can you do it now? (0–10)"),
    gettext_noop("Activity 2"),
    gettext_noop("Activity 2: how well can you do it now? (0–10)"),
    gettext_noop("Activity 3"),
    gettext_noop("Activity 3: how well can you do it now? (0–10)"),
    gettext_noop("Activity 4"),
    gettext_noop("Activity 4: how well can you do it now? (0–10)"),
    gettext_noop("Activity 5"),
    gettext_noop("Activity 5: how well can you do it now? (0–10)"),
    gettext_noop("Your preferences"),
    gettext_noop("Do you prefer a therapist of a particular gender?"),
    gettext_noop("No preference"),
    gettext_noop("A woman"),
    gettext_noop("A man"),
    gettext_noop("A non-binary therapist"),
    gettext_noop("Language you prefer for your sessions"),
    gettext_noop("Pressure you prefer"),
    gettext_noop("Light"),
    gettext_noop("Medium"),
    gettext_noop("Firm"),
    gettext_noop("Not sure yet"),
    gettext_noop(
        "Optional: is there a history of physical trauma or abuse you would like your therapist to be aware of? You do not need to give details."
    ),
    gettext_noop("Anything about draping, touch or consent you would like us to respect?"),
    gettext_noop("Consent and signature"),
    gettext_noop("I agree to the processing of my health data as described."),
    gettext_noop("I agree to hands-on treatment directly on the skin, without oils or creams."),
    gettext_noop("Optional: I agree to intraoral work (inside the mouth) for my jaw."),
    gettext_noop("Optional: I agree to pelvic work."),
    gettext_noop("Type your full name as your signature"),
    gettext_noop("How did those go?"),
    gettext_noop("Which trimester?"),
    gettext_noop("With that, do you also have any of these?"),
    gettext_noop("Do you have any of these now?"),
    gettext_noop("Any of these?"),
    gettext_noop("With that injury, did any of these happen?"),
    gettext_noop("Do you have this now?"),
    gettext_noop(
        "Is the numbness constant, or is the muscle at the base of your thumb thinner or weaker?"
    ),
    gettext_noop("Only the questions that matter for what you chose are shown."),
)


def translated_items(items: list[ql.Item]) -> list[ql.Item]:
    """Copies of ``items`` with their texts in the active language, for display only.

    Answers, codes and rules are untouched: validation and screening give the same result.
    """
    return [_translated(item) for item in items]


def _translated(item: ql.Item) -> ql.Item:
    return replace(
        item,
        text=shipped_text(item.text),
        help_text=shipped_text(item.help_text),
        options=[replace(option, label=shipped_text(option.label)) for option in item.options],
        items=translated_items(item.items),
    )
