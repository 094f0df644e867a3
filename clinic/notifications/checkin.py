"""The day-3 check-in: a signed link from the e-mail, answered with one click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from clinic.exceptions import Conflict, NotFound, ValidationFailed
from clinic.models import Notification, NotificationKind
from clinic.notifications.links import checkin_token_read


@dataclass(frozen=True)
class CheckinLink:
    notification: Notification
    appointment: Any
    client: Any


def checkin_link_read(token: str) -> CheckinLink:
    """Resolve a check-in token to its message, appointment and client, or raise."""
    ids = checkin_token_read(token)
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=ids["n"], kind=NotificationKind.FOLLOWUP_DAY3)
        .first()
    )
    if (
        notification is None
        or notification.subject_id != ids["a"]
        or notification.recipient_id != ids["u"]
        or notification.subject is None
    ):
        raise NotFound("This check-in link is not valid.")
    return CheckinLink(notification, notification.subject, notification.recipient)


def checkin_record(*, link: CheckinLink, pain: int, request: HttpRequest | None = None) -> Any:
    """Record the 0-10 pain score as an NPRS follow-up in the client's outcome data, once."""
    if not 0 <= pain <= 10:
        raise ValidationFailed(
            "Choose a number from 0 to 10.",
            extra={"fields": {"pain": ["Choose a number from 0 to 10."]}},
        )
    from intake.models import OutcomeResponse, OutcomeSource
    from intake.outcomes import outcome_record

    already = OutcomeResponse.objects.filter(
        client=link.client, appointment_id=link.appointment.pk, source=OutcomeSource.FOLLOW_UP
    )
    if already.exists():
        raise Conflict("Your answer for this check-in is already saved. Thank you.")
    # The signed link stands in for a sign-in: the client records their own score.
    return outcome_record(
        actor=link.client,
        client=link.client,
        instrument_code="nprs",
        answers={"pain_now": pain},
        source=OutcomeSource.FOLLOW_UP,
        appointment_id=link.appointment.pk,
        request=request,
    )
