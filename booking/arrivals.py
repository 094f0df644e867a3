"""Arrivals at the desk: check-in on the appointment's day, and its undo for a few minutes.

No-show, the other end of the day, is :func:`booking.scheduling.appointment_mark_no_show`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from booking.models import Appointment, AppointmentStatus
from clinic.audit import audit_record
from clinic.exceptions import ValidationFailed
from clinic.models import AuditAction, ClinicPolicy, User

# Long enough to notice a check-in of the wrong client; short enough that the day's record
# does not change under the therapist's feet.
CHECK_IN_UNDO_MINUTES = 10


def check_in_opens(appointment: Appointment, policy: ClinicPolicy) -> dt.datetime:
    """When check-in opens: the clinic's window before the start, never before that local day."""
    zone = appointment.location.zone
    day = appointment.starts_at.astimezone(zone).date()
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    window = dt.timedelta(minutes=policy.check_in_opens_minutes)
    return max(appointment.starts_at - window, midnight)


def _ensure_check_in_window(appointment: Appointment, now: dt.datetime) -> None:
    zone = appointment.location.zone
    local = appointment.starts_at.astimezone(zone)
    if now.astimezone(zone).date() != local.date():
        raise ValidationFailed(
            _("Check-in is possible only on the day of the appointment (%(day)s).")
            % {"day": date_format(local, "D d M")},
            code="check_in_not_open",
        )
    opens = check_in_opens(appointment, ClinicPolicy.load())
    if now < opens:
        raise ValidationFailed(
            _("Check-in for this appointment opens at %(time)s.")
            % {"time": f"{opens.astimezone(zone):%H:%M}"},
            code="check_in_not_open",
        )


@transaction.atomic
def appointment_check_in(
    *, appointment: Appointment, actor: User, as_of: dt.datetime | None = None
) -> Appointment:
    """Record the client's arrival, on the appointment's day from the clinic's window on.

    Every message stays as it was: a confirmation or intake nudge that is due still goes out,
    and reminders simply skip while the client is checked in. ``as_of`` records history: the
    window is judged, and the arrival stamped, as of then (default now).
    """
    now = as_of or timezone.now()
    appointment = (
        Appointment.objects.select_for_update().select_related("location").get(pk=appointment.pk)
    )
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationFailed(
            _("A %(status)s appointment cannot be checked in.")
            % {"status": appointment.get_status_display().lower()}
        )
    _ensure_check_in_window(appointment, now)
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.checked_in_at, appointment.checked_in_by = now, actor
    appointment.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=appointment,
        subject=appointment.client,
        detail=AppointmentStatus.CHECKED_IN,
    )
    return appointment


def check_in_undo_until(appointment: Appointment) -> dt.datetime | None:
    """Until when the check-in can be undone, or None when it cannot (any more)."""
    if appointment.status != AppointmentStatus.CHECKED_IN or appointment.checked_in_at is None:
        return None
    until = appointment.checked_in_at + dt.timedelta(minutes=CHECK_IN_UNDO_MINUTES)
    return until if timezone.now() < until else None


@transaction.atomic
def appointment_check_in_undo(*, appointment: Appointment, actor: Any) -> Appointment:
    """Take back a check-in made in error, within a few minutes; audited like the check-in."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.CHECKED_IN:
        raise ValidationFailed(_("Only a checked-in appointment can have its check-in undone."))
    if check_in_undo_until(appointment) is None:
        raise ValidationFailed(
            _("A check-in can be undone only within %(minutes)s minutes.")
            % {"minutes": CHECK_IN_UNDO_MINUTES},
            code="undo_expired",
        )
    appointment.status = AppointmentStatus.BOOKED
    appointment.checked_in_at, appointment.checked_in_by = None, None
    appointment.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        target=appointment,
        subject=appointment.client,
        detail="check-in undone",
    )
    return appointment
