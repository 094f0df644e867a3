"""Reads of clinic-wide data, with their related rows fetched up front."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from clinic.models import (
    AuditEvent,
    ClientProfile,
    Location,
    OpeningHours,
    Role,
    Room,
    StaffInvitation,
    User,
)


def locations_list(*, active_only: bool = False) -> QuerySet[Location]:
    """Locations with their rooms and opening hours (three queries, whatever the count)."""
    locations = Location.objects.prefetch_related(
        Prefetch("rooms", queryset=Room.objects.order_by("name")),
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
    )
    if active_only:
        locations = locations.filter(is_active=True)
    return locations.order_by("name")


def location_get(*, slug: str) -> Location | None:
    return locations_list().filter(slug=slug).first()


def invitations_list() -> QuerySet[StaffInvitation]:
    """All staff invitations, newest first, with who sent and who accepted them."""
    return StaffInvitation.objects.select_related("invited_by", "accepted_user").order_by(
        "-created_at", "-pk"
    )


def client_profile_for(user: User) -> ClientProfile | None:
    """The signed-in client's own profile, if it exists."""
    return ClientProfile.objects.select_related("user").filter(user=user).first()


def staff_counts() -> dict[str, int]:
    """How many active accounts each role has (one query)."""
    counts = User.objects.filter(is_active=True).aggregate(
        **{role: Count("pk", filter=Q(role=role)) for role in Role.values}
    )
    return {role: value or 0 for role, value in counts.items()}


def _user_match(prefix: str, given: str) -> Q:
    """``given`` as a user id (kept after the user is deleted) or part of an e-mail address."""
    if given.isdigit():
        return Q(**{f"{prefix}_id": int(given)})
    if prefix == "actor":
        return Q(actor_email__icontains=given)
    return Q(subject__email__icontains=given)


def audit_events_filtered(
    *,
    who: str = "",
    whom: str = "",
    action: str = "",
    outcome: str = "",
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by actor, client, action, outcome and local days."""
    events = AuditEvent.objects.order_by("-at", "-id")
    if who:
        events = events.filter(_user_match("actor", who))
    if whom:
        events = events.filter(_user_match("subject", whom))
    if action:
        events = events.filter(action=action)
    if outcome:
        events = events.filter(outcome=outcome)
    zone = timezone.get_current_timezone()
    if day_from:
        events = events.filter(at__gte=dt.datetime.combine(day_from, dt.time(), zone))
    if day_to:
        end = dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time(), zone)
        events = events.filter(at__lt=end)
    return events
