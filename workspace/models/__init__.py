from __future__ import annotations

from .notes import SessionNote, SessionNoteAddendum
from .selfcare import Exercise, ExerciseKind, SelfCarePlan, SelfCarePlanItem

__all__ = [
    "Exercise",
    "ExerciseKind",
    "SelfCarePlan",
    "SelfCarePlanItem",
    "SessionNote",
    "SessionNoteAddendum",
]
