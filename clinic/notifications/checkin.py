"""The day-3 check-in: a signed link from the e-mail, answered with one click."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from clinic.exceptions import NotFound, ValidationFailed
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
    """Record the 0-10 pain score into the client's outcome data (NPRS, source follow-up)."""
    if not 0 <= pain <= 10:
        raise ValidationFailed(
            "Choose a number from 0 to 10.",
            extra={"fields": {"pain": ["Choose a number from 0 to 10."]}},
        )
    from intake.outcomes import checkin_pain_record

    return checkin_pain_record(
        client=link.client, appointment=link.appointment, pain=pain, request=request
    )
