"""The day-3 check-in: a signed link from the e-mail, answered with one click per question.

Two questions, each recorded into the client's outcome data through intake.outcomes, so both
show in the client's trend next to the scores taken at sessions:
- pain right now, 0-10, as an NPRS follow-up (the instrument the clinic already trends);
- soreness since the session, 0-3 (not / a little / quite / very), as a small clinic-defined
  instrument ("soreness", workspace/data/soreness.json). NPRS refuses items it does
  not define, and soreness is a different question from pain, so it gets its own instrument
  rather than a note squeezed into another one. It is imported on first use and is never
  "due" (not used at intake or review), so it adds no outcome-due reminders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booking.models import Appointment
from clinic.exceptions import Conflict, NotFound, ValidationFailed
from clinic.models import Notification, User
from intake.models import OutcomeInstrument, OutcomeResponse, OutcomeSource
from intake.outcomes import instrument_import, outcome_record
from workspace.notifications import WorkspaceMessage

SORENESS_DEFINITION = Path(__file__).resolve().parent / "data" / "soreness.json"
# Question -> (instrument code, item id, highest answer).
QUESTIONS: dict[str, tuple[str, str, int]] = {
    "pain": ("nprs", "pain_now", 10),
    "soreness": ("soreness", "soreness", 3),
}
# The one-click soreness answers, in the order of the instrument's 0-3 anchors.
SORENESS_CHOICES = [
    (0, gettext_lazy("Not sore")),
    (1, gettext_lazy("A little sore")),
    (2, gettext_lazy("Quite sore")),
    (3, gettext_lazy("Very sore")),
]


CHECKIN_SALT = "clinic.notifications.checkin"  # unchanged since the links first went out
# A check-in link works for two weeks; later answers would not describe the session.
CHECKIN_MAX_AGE = 14 * 24 * 3600


@dataclass(frozen=True)
class CheckinLink:
    notification: Notification
    appointment: Appointment
    client: User


def checkin_token(notification: Notification) -> str:
    """The signed token of a day-3 message's link: ids only, never an answer or a score."""
    return signing.dumps(
        {"n": notification.pk, "a": notification.subject_id, "u": notification.recipient_id},
        salt=CHECKIN_SALT,
        compress=True,
    )


def checkin_token_read(token: str) -> dict[str, int]:
    """Return {"n", "a", "u"} ids; raise signing.BadSignature (or SignatureExpired)."""
    data = signing.loads(token, salt=CHECKIN_SALT, max_age=CHECKIN_MAX_AGE)
    if not isinstance(data, dict) or not {"n", "a", "u"} <= data.keys():
        raise signing.BadSignature("Malformed check-in token.")
    return {key: int(data[key]) for key in ("n", "a", "u")}


def checkin_url(notification: Notification) -> str:
    path = reverse("workspace:checkin", args=[checkin_token(notification)])
    return f"{settings.SITE_URL}{path}"


def checkin_link_read(token: str) -> CheckinLink:
    """Resolve a check-in token to its message, appointment and client, or raise."""
    ids = checkin_token_read(token)
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=ids["n"], kind=WorkspaceMessage.FOLLOWUP_DAY3)
        .first()
    )
    if (
        notification is None
        or notification.subject_id != ids["a"]
        or notification.recipient_id != ids["u"]
        or notification.subject is None
    ):
        raise NotFound(_("This check-in link is not valid."))
    return CheckinLink(notification, notification.subject, notification.recipient)


def soreness_instrument_ensure() -> OutcomeInstrument:
    """The active soreness instrument, imported from the shipped definition the first time."""
    code = QUESTIONS["soreness"][0]
    instrument = OutcomeInstrument.objects.filter(code=code, is_active=True).first()
    if instrument is not None:
        return instrument
    data = json.loads(SORENESS_DEFINITION.read_text(encoding="utf-8"))
    try:
        with transaction.atomic():
            instrument = instrument_import(data=data, licence_reference="")
            # A check-in question, not a measure to chase: never due at intake or review.
            OutcomeInstrument.objects.filter(pk=instrument.pk).update(
                use_at_intake=False, use_at_review=False
            )
    except (IntegrityError, ValidationFailed):
        # A concurrent first check-in imported it a moment ago.
        return OutcomeInstrument.objects.get(code=code, is_active=True)
    return instrument


def checkin_answered(link: CheckinLink) -> set[str]:
    """The questions of this check-in already answered."""
    codes = set(
        OutcomeResponse.objects.filter(
            client=link.client, appointment_id=link.appointment.pk, source=OutcomeSource.FOLLOW_UP
        ).values_list("instrument__code", flat=True)
    )
    return {question for question, (code, _i, _m) in QUESTIONS.items() if code in codes}


def _invalid(question: str, highest: int) -> ValidationFailed:
    message = _("Choose a number from 0 to %(highest)d.") % {"highest": highest}
    return ValidationFailed(message, extra={"fields": {question: [message]}})


def checkin_record(
    *, link: CheckinLink, answers: dict[str, int], request: HttpRequest | None = None
) -> list[OutcomeResponse]:
    """Record the given answers ({"pain": 0-10, "soreness": 0-3}) once each; returns the rows."""
    if not answers or not set(answers) <= QUESTIONS.keys():
        raise ValidationFailed(
            _("Choose an answer."), extra={"fields": {"pain": [_("Choose one.")]}}
        )
    for question, value in answers.items():
        if not 0 <= value <= QUESTIONS[question][2]:
            raise _invalid(question, QUESTIONS[question][2])
    if "soreness" in answers:
        soreness_instrument_ensure()
    recorded = []
    with transaction.atomic():
        # Locking the message row serialises two clicks on the same link: one answer each.
        Notification.objects.select_for_update().filter(pk=link.notification.pk).first()
        if set(answers) & checkin_answered(link):
            raise Conflict(_("Your answer for this check-in is already saved. Thank you."))
        for question, value in answers.items():
            code, item, _highest = QUESTIONS[question]
            # The signed link stands in for a sign-in: the client records their own answer.
            recorded.append(
                outcome_record(
                    actor=link.client,
                    client=link.client,
                    instrument_code=code,
                    answers={item: value},
                    source=OutcomeSource.FOLLOW_UP,
                    appointment_id=link.appointment.pk,
                    request=request,
                )
            )
    return recorded
