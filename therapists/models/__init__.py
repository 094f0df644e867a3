from __future__ import annotations

from .catalog import Service, ServiceKind
from .conditions import Competency, Condition, Language, Modality
from .notes import ClinicianTask, ClinicianTaskKind, SessionNote, SessionNoteAddendum
from .profiles import (
    Credential,
    CredentialKind,
    Gender,
    MFRTraining,
    TherapistProfile,
    TherapistQuerySet,
)
from .schedule import Closure, Shift, TimeOff, TimeOffKind
from .selfcare import Exercise, ExerciseKind, SelfCarePlan, SelfCarePlanItem

__all__ = [
    "ClinicianTask",
    "ClinicianTaskKind",
    "Closure",
    "Competency",
    "Condition",
    "Credential",
    "CredentialKind",
    "Exercise",
    "ExerciseKind",
    "Gender",
    "Language",
    "MFRTraining",
    "Modality",
    "SelfCarePlan",
    "SelfCarePlanItem",
    "Service",
    "ServiceKind",
    "SessionNote",
    "SessionNoteAddendum",
    "Shift",
    "TherapistProfile",
    "TherapistQuerySet",
    "TimeOff",
    "TimeOffKind",
]
