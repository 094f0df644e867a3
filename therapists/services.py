"""Every write to therapist profiles, credentials, MFR training and the service catalogue.

Working hours live in :mod:`therapists.hours`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.exceptions import Conflict, ValidationFailed
from clinic.models import Role, User
from therapists.models import Credential, MFRTraining, Service, TherapistProfile

M = TypeVar("M", bound=models.Model)

PROFILE_M2M = ("languages", "locations", "modalities", "competencies", "conditions")
OWN_PROFILE_FIELDS = ("bio", "photo", "pronouns", "languages")


def validation_failed(error: ValidationError) -> ValidationFailed:
    """Turn a model validation error into the domain's 400 with per-field messages."""
    fields = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    first = next(iter(fields.values()))[0]
    return ValidationFailed(str(first), extra={"fields": fields})


def save_validated(instance: M, data: Mapping[str, Any], *, m2m: Iterable[str] = ()) -> M:
    """Set ``data`` on ``instance``, validate it fully, save it, then set its many-to-many fields."""
    m2m_names = set(m2m)
    for name, value in data.items():
        if name not in m2m_names:
            setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise validation_failed(error) from error
    instance.save()
    for name in m2m_names & set(data):
        getattr(instance, name).set(data[name])
    return instance


@transaction.atomic
def therapist_profile_create(*, user: User, display_name: str, **data: Any) -> TherapistProfile:
    """Give a therapist user their profile; only therapist users, and only one each."""
    if user.role != Role.THERAPIST:
        raise ValidationFailed(
            _("%(email)s is not a therapist user.") % {"email": user.email},
            extra={"fields": {"user": [_("Choose a user with the therapist role.")]}},
        )
    if TherapistProfile.objects.filter(user=user).exists():
        raise Conflict(_("%(email)s already has a therapist profile.") % {"email": user.email})
    profile = TherapistProfile(user=user)
    return save_validated(profile, {"display_name": display_name, **data}, m2m=PROFILE_M2M)


@transaction.atomic
def therapist_profile_update(*, profile: TherapistProfile, **data: Any) -> TherapistProfile:
    """A clinic admin changes any part of a profile except whose it is."""
    data.pop("user", None)
    return save_validated(profile, data, m2m=PROFILE_M2M)


@transaction.atomic
def therapist_profile_update_own(
    *, profile: TherapistProfile, actor: User, **data: Any
) -> TherapistProfile:
    """A therapist changes their own bio, photo, pronouns and languages, and nothing else."""
    if profile.user_id != actor.pk:
        raise ValidationFailed(_("You can only edit your own profile."))
    unknown = set(data) - set(OWN_PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("You cannot change %(fields)s yourself.") % {"fields": ", ".join(sorted(unknown))}
        )
    return save_validated(profile, data, m2m=("languages",))


@transaction.atomic
def credential_create(*, therapist: TherapistProfile, **data: Any) -> Credential:
    """Record a professional licence for a therapist."""
    return save_validated(Credential(therapist=therapist), data)


@transaction.atomic
def credential_update(*, credential: Credential, **data: Any) -> Credential:
    """Change a licence (typically a renewal: a new expiry date)."""
    data.pop("therapist", None)
    return save_validated(credential, data)


@transaction.atomic
def credential_delete(*, credential: Credential) -> None:
    credential.delete()


@transaction.atomic
def training_create(*, therapist: TherapistProfile, **data: Any) -> MFRTraining:
    """Record an MFR course; it stays unverified (not counted) until a clinic admin verifies it."""
    data = {k: v for k, v in data.items() if k not in {"verified_by", "verified_at"}}
    return save_validated(MFRTraining(therapist=therapist), data)


@transaction.atomic
def training_verify(*, training: MFRTraining, verifier: User, evidence: str) -> MFRTraining:
    """A clinic admin confirms a training against evidence; nobody verifies their own."""
    training = (
        MFRTraining.objects.select_for_update().select_related("therapist").get(pk=training.pk)
    )
    if verifier.role != Role.CLINIC_ADMIN:
        raise ValidationFailed(_("Only a clinic admin can verify MFR training."))
    if training.therapist.user_id == verifier.pk:
        raise ValidationFailed(_("You cannot verify your own training."))
    if not evidence.strip():
        raise ValidationFailed(
            _("Say what the training was checked against."),
            extra={"fields": {"evidence": [_("Say what the training was checked against.")]}},
        )
    data = {"verified_by": verifier, "verified_at": timezone.now(), "evidence": evidence.strip()}
    return save_validated(training, data)


@transaction.atomic
def training_unverify(*, training: MFRTraining, actor: User) -> MFRTraining:
    """Withdraw a verification (evidence turned out wrong); only clinic admins."""
    if actor.role != Role.CLINIC_ADMIN:
        raise ValidationFailed(_("Only a clinic admin can withdraw a verification."))
    return save_validated(training, {"verified_by": None, "verified_at": None})


@transaction.atomic
def training_delete(*, training: MFRTraining) -> None:
    training.delete()


@transaction.atomic
def service_create(**data: Any) -> Service:
    """Add a service to the clinic's catalogue."""
    return save_validated(Service(), data, m2m=("locations",))


@transaction.atomic
def service_update(*, service: Service, **data: Any) -> Service:
    return save_validated(service, data, m2m=("locations",))
