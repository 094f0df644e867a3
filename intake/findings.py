"""Open safety findings: a flag stays until a clinician's review decision resolves it.

A screening at a blocking level (REVIEW and above) is a finding. Re-submitting an intake never
closes one: the client's effective level is the highest of the latest screening and every open
finding, so answering "none" after a flag leaves booking blocked (or a request) until a
clinician decides. These reads return levels and ids; triggers are health data and are only
shown on audited pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from intake.models import (
    BLOCKING_LEVELS,
    LEVEL_RANK,
    REFUSING_LEVELS,
    ScreeningLevel,
    ScreeningResult,
)


def highest_level(*levels: str | None) -> str:
    """The most severe of ``levels`` (None and blanks ignored); CLEAR when there is none."""
    known = [level for level in levels if level in LEVEL_RANK]
    return max(known, key=LEVEL_RANK.__getitem__, default=ScreeningLevel.CLEAR.value)


def _rank() -> Case:
    return Case(
        *(When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()),
        default=Value(-1),
        output_field=IntegerField(),
    )


def open_findings(client_id: int) -> QuerySet[ScreeningResult]:
    """The client's unresolved findings, most severe first, then newest."""
    return (
        ScreeningResult.objects.filter(
            client_id=client_id, level__in=BLOCKING_LEVELS, resolved_by__isnull=True
        )
        .annotate(rank=_rank())
        .order_by("-rank", "-evaluated_at", "-id")
    )


def open_level_for(client_id: int) -> str | None:
    """The highest level among the client's open findings, or None when nothing is open."""
    return open_findings(client_id).values_list("level", flat=True).first()


def selfcare_paused(client_id: int) -> bool:
    """Self-care exercises are paused while an EMERGENCY, URGENT or STOP finding is open."""
    return open_findings(client_id).filter(level__in=REFUSING_LEVELS).exists()


def open_level_subquery(client_ref: str = "client_id") -> Subquery:
    """For annotating many rows in one query: the highest open level of ``OuterRef(client_ref)``."""
    findings = (
        ScreeningResult.objects.filter(
            client_id=OuterRef(client_ref), level__in=BLOCKING_LEVELS, resolved_by__isnull=True
        )
        .annotate(rank=_rank())
        .order_by("-rank")
    )
    return Subquery(findings.values("level")[:1])


def finding_summary(finding: ScreeningResult) -> dict[str, Any]:
    """What a clinician needs to decide on an open finding (triggers: health data, audit first)."""
    return {
        "id": finding.pk,
        "intake_id": finding.response_id,
        "level": finding.level,
        "evaluated_at": finding.evaluated_at,
        "triggers": finding.triggers,
    }
