"""E-mail for intake alerts: when screening flags an intake, the people who must look at it hear.

The message carries no health data: no answers, no level, no client name; only a link to the
review page, whose URL holds the intake's id. The page itself checks who may see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from clinic.models import NotificationChannel, NotificationKind, Role, User
from clinic.notifications.services import notification_enqueue


def intake_alert_recipients(client_id: int) -> list[User]:
    """Active therapists who treat the client (appointments or a past review) and clinic admins."""
    from intake.models import ReviewDecision

    treats = Q(Exists(ReviewDecision.objects.filter(reviewer=OuterRef("pk"), client_id=client_id)))
    try:
        from booking.models import Appointment
    except ImportError:  # pragma: no cover - booking is installed with the clinic
        pass
    else:
        treats |= Q(
            Exists(
                Appointment.objects.filter(
                    therapist__user=OuterRef("pk"), client_id=client_id
                ).exclude(status__in=["cancelled", "late_cancelled"])
            )
        )
    therapists = Q(role=Role.THERAPIST) & treats
    return list(
        User.objects.filter(is_active=True)
        .filter(therapists | Q(role=Role.CLINIC_ADMIN))
        .order_by("pk")
    )


def intake_alert_notifications_schedule(alert: Any) -> int:
    """Queue one e-mail per recipient for a new StaffAlert, inside the caller's transaction."""
    count = 0
    for recipient in intake_alert_recipients(alert.client_id):
        count += notification_enqueue(
            kind=NotificationKind.INTAKE_FLAGGED,
            subject=alert,
            recipient=recipient,
            due_at=alert.created_at,
            channels=[NotificationChannel.EMAIL],
        )
    return count
