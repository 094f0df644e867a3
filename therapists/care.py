"""Who treats whom, in one place below every app that asks (intake access, outcomes, alerts,
the workspace) and written by the domain functions that create or end the reason for it:
booking an appointment with a therapist, a clinician's review of the client's intake, and
cancelling the last of them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from clinic.models import Role, User
from therapists.models import CareRelationship


def care_relationship_start(*, therapist: User, client: User) -> CareRelationship | None:
    """Record that ``therapist`` treats ``client`` (idempotent); staff who are not therapists
    never get a relationship, so a clinic admin's review grants nothing."""
    if therapist.role != Role.THERAPIST or therapist.pk == client.pk:
        return None
    relationship, _created = CareRelationship.objects.get_or_create(
        therapist=therapist, client=client
    )
    return relationship


def care_relationship_end(*, therapist: User, client: User) -> None:
    """The last reason is gone (the only appointment was cancelled): they no longer treat them."""
    CareRelationship.objects.filter(therapist=therapist, client=client).delete()


def client_ids_treated_by(therapist: User) -> QuerySet[CareRelationship, int]:
    """A subquery of the ids of ``therapist``'s clients (use with ``id__in``)."""
    return CareRelationship.objects.filter(therapist=therapist).values_list("client_id", flat=True)


def treats(therapist: User, client_id: int) -> bool:
    return (
        therapist.role == Role.THERAPIST
        and CareRelationship.objects.filter(therapist=therapist, client_id=client_id).exists()
    )


def no_treating_therapist(client_ref: str = "pk") -> Q:
    """For filtering clients (``OuterRef(client_ref)`` is the client's id): nobody treats them."""
    return ~Q(Exists(CareRelationship.objects.filter(client_id=OuterRef(client_ref))))


def treating_therapists(client_id: int) -> QuerySet[User]:
    """Active therapists who treat the client."""
    return User.objects.filter(
        role=Role.THERAPIST,
        is_active=True,
        care_as_therapist__client_id=client_id,
    ).order_by("pk")
