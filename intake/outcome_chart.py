"""A small server-rendered line chart of outcome scores: geometry only, the template draws it.

Pure: trend series in, coordinates out. Time runs along x (so uneven gaps look uneven) and the
instrument's full score range along y, so a chart never exaggerates a small change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

WIDTH = 320
HEIGHT = 160
PAD_LEFT = 36
PAD_RIGHT = 12
PAD_TOP = 12
PAD_BOTTOM = 24


class _Point(Protocol):
    recorded_at: dt.datetime
    value: Decimal
    band: str


class _Series(Protocol):
    low: Decimal
    high: Decimal
    points: list  # list of _Point


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: Decimal
    band: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: tuple[ChartPoint, ...]
    y_ticks: tuple[tuple[float, str], ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _y(value: Decimal, low: Decimal, high: Decimal) -> float:
    span = high - low or Decimal(1)
    share = (min(max(value, low), high) - low) / span
    return round(PAD_TOP + (1 - float(share)) * (HEIGHT - PAD_TOP - PAD_BOTTOM), 1)


def _x(moment: dt.datetime, first: dt.datetime, last: dt.datetime) -> float:
    usable = WIDTH - PAD_LEFT - PAD_RIGHT
    if last == first:
        return PAD_LEFT + usable / 2
    share = (moment - first) / (last - first)
    return round(PAD_LEFT + share * usable, 1)


def chart_for(series: _Series) -> Chart:
    """Coordinates for one series inside a WIDTH x HEIGHT SVG viewBox."""
    first = series.points[0].recorded_at if series.points else None
    last = series.points[-1].recorded_at if series.points else None
    points = tuple(
        ChartPoint(
            x=_x(p.recorded_at, first, last),  # type: ignore[arg-type]
            y=_y(p.value, series.low, series.high),
            value=p.value,
            band=p.band,
            recorded_at=p.recorded_at,
        )
        for p in series.points
    )
    middle = (series.low + series.high) / 2
    ticks = tuple(
        (_y(v, series.low, series.high), f"{v.normalize():f}")
        for v in (series.high, middle, series.low)
    )
    return Chart(
        width=WIDTH, height=HEIGHT, left=PAD_LEFT, right=WIDTH - PAD_RIGHT,
        top=PAD_TOP, bottom=HEIGHT - PAD_BOTTOM, points=points, y_ticks=ticks,
    )  # fmt: skip
