"""Every text of the exercise library (data/exercises.json), marked for translation.

The library rows keep their English text in the database; pages and messages show each text
through gettext (the ``|translated`` filter, ``selfcare_plan_data``), so the Dutch and Spanish live
in the catalogues. tests/workspace/test_library_texts.py checks this list against the JSON file.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

LIBRARY_TEXTS = (
    gettext_noop(
        "Stop and contact the clinic if an exercise causes sharp, shooting or increasing pain, numbness or tingling."
    ),
    gettext_noop(
        "Do not roll or press on an open wound, stitches, a bruise, a burn, a recent surgical site or a healing fracture; work on a scar only once the incision has fully healed."
    ),
    gettext_noop(
        "Do not use these exercises while you have a fever or an infection, or over skin that is red, hot or swollen."
    ),
    gettext_noop(
        "If one calf is swollen, warm or red, do not exercise it: call your doctor now (possible blood clot)."
    ),
    gettext_noop(
        "If you take blood thinners, bruise easily, have osteoporosis, are pregnant, or have heart or circulation problems, use light pressure only and ask your therapist first."
    ),
    gettext_noop(
        "Go gently: sustained, comfortable pressure for the time given works better than hard or fast rolling."
    ),
    gettext_noop("Foam roller: upper back"),
    gettext_noop(
        "Lie on your back with the roller across your upper back, knees bent, hands supporting your head. Lift your hips slightly and let your upper back sink over the roller. When you find a tender spot, stop and breathe slowly while the tissue softens. Move the roller a few centimetres and repeat."
    ),
    gettext_noop("Keep the roller below your neck and above your lower ribs."),
    gettext_noop("Foam roller: outer thigh"),
    gettext_noop(
        "Lie on your side with the roller under the outer thigh, supporting yourself on your forearm and the other foot. Let your weight rest on the roller and hold on a tender spot for slow breaths before moving lower."
    ),
    gettext_noop("Put more weight on your supporting foot if it is too intense."),
    gettext_noop("Foam roller: calf"),
    gettext_noop(
        "Sit with the roller under one calf, hands behind you. Lift your hips and let the calf rest on the roller. Hold on tender spots and slowly turn the foot in and out."
    ),
    gettext_noop("Skip this exercise if the calf is swollen, warm or red."),
    gettext_noop("Foam roller: buttock"),
    gettext_noop(
        "Sit on the roller and cross one ankle over the other knee. Lean towards the crossed leg so the buttock rests on the roller. Hold on tender spots and breathe."
    ),
    gettext_noop("Stop if pain travels down the leg."),
    gettext_noop("Massage ball: sole of the foot"),
    gettext_noop(
        "Standing or seated, place the ball under the arch of your foot. Press gently and hold on tender spots, then move from heel to toes slowly."
    ),
    gettext_noop("Sit down if you feel unsteady."),
    gettext_noop("Massage ball: top of the shoulder against a wall"),
    gettext_noop(
        "Stand with your back to a wall and place the ball between the wall and the top of your shoulder blade. Lean in gently and hold on a tender spot while you breathe slowly."
    ),
    gettext_noop("Keep the ball off the spine and off the front of the neck."),
    gettext_noop("Massage ball: jaw muscle (outside the mouth)"),
    gettext_noop(
        "With a small soft ball or your fingertips, find the firm muscle in front of the ear that tightens when you clench. Let the jaw hang slightly open and hold light pressure for slow breaths."
    ),
    gettext_noop("Use very light pressure; never press on the front of the neck."),
    gettext_noop("Massage ball: forearm"),
    gettext_noop(
        "Rest your forearm on a table with the ball underneath. Lean gently and hold on tender spots, opening and closing the hand slowly."
    ),
    gettext_noop("Stop if your fingers tingle or go numb."),
    gettext_noop("Stretch: chest in a doorway"),
    gettext_noop(
        "Stand in a doorway with forearms on the frame at shoulder height. Step one foot forward until you feel a gentle stretch across the chest. Hold and breathe; do not bounce."
    ),
    gettext_noop("Stretch: cat and cow"),
    gettext_noop(
        "On hands and knees, slowly round your back towards the ceiling, then let it sink while lifting your head. Move with your breath."
    ),
    gettext_noop("Keep the movement small if it increases leg pain."),
    gettext_noop("Stretch: side of the neck"),
    gettext_noop(
        "Sit tall. Let one ear sink towards the shoulder while the other shoulder relaxes down. Hold for slow breaths, then change sides."
    ),
    gettext_noop("Stop if you feel dizzy or your vision changes, and contact the clinic."),
    gettext_noop("Stretch: calf against a wall"),
    gettext_noop(
        "Hands on a wall, one foot back with the heel down and the knee straight. Lean forward until you feel a stretch in the calf. Hold, then bend the back knee slightly and hold again."
    ),
    gettext_noop("Skin rolling around a healed scar"),
    gettext_noop(
        "With clean, dry hands, gently lift the skin near (not on) the healed scar between thumb and fingers and roll it slowly in each direction."
    ),
    gettext_noop("Only on a fully healed incision with no scab, redness or discharge."),
)
