from __future__ import annotations

from .outcomes import OutcomeInstrument, OutcomeResponse, OutcomeSource  # noqa: F401
from .questionnaire import Questionnaire, QuestionnaireStatus
from .responses import IntakeResponse, ResponseStatus
from .review import CLEARING_ACTIONS, RESOLVING_ACTIONS, ReviewAction, ReviewDecision
from .screening import (
    ALERTING_LEVELS,
    BLOCKING_LEVELS,
    LEVEL_RANK,
    REFUSING_LEVELS,
    AlertReason,
    ScreeningAdvice,
    ScreeningLevel,
    ScreeningResult,
    ScreeningRule,
    StaffAlert,
)

__all__ = [
    "ALERTING_LEVELS",
    "BLOCKING_LEVELS",
    "CLEARING_ACTIONS",
    "LEVEL_RANK",
    "REFUSING_LEVELS",
    "RESOLVING_ACTIONS",
    "AlertReason",
    "IntakeResponse",
    "Questionnaire",
    "QuestionnaireStatus",
    "ResponseStatus",
    "ReviewAction",
    "ReviewDecision",
    "ScreeningAdvice",
    "ScreeningLevel",
    "ScreeningResult",
    "ScreeningRule",
    "StaffAlert",
]
