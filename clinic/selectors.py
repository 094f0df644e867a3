"""Reads of clinic-wide data, with their related rows fetched up front."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from clinic.models import (
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
