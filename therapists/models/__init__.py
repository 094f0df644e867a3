from __future__ import annotations

from .care import CareRelationship
from .catalog import Service, ServiceKind
from .conditions import Competency, Condition, Language, Modality
from .profiles import (
    Credential,
    CredentialKind,
    Gender,
    MFRTraining,
    TherapistProfile,
    TherapistQuerySet,
)
from .schedule import Closure, Shift, TimeOff, TimeOffKind

__all__ = [
    "CareRelationship",
    "Closure",
    "Competency",
    "Condition",
    "Credential",
    "CredentialKind",
    "Gender",
    "Language",
    "MFRTraining",
    "Modality",
    "Service",
    "ServiceKind",
    "Shift",
    "TherapistProfile",
    "TherapistQuerySet",
    "TimeOff",
    "TimeOffKind",
]
