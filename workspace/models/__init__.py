from __future__ import annotations

from .datarights import ErasureRequest
from .notes import SessionNote, SessionNoteAddendum
from .selfcare import Exercise, ExerciseKind, SelfCarePlan, SelfCarePlanItem

__all__ = [
    "ErasureRequest",
    "Exercise",
    "ExerciseKind",
    "SelfCarePlan",
    "SelfCarePlanItem",
    "SessionNote",
    "SessionNoteAddendum",
]
