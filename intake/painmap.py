"""Pain map regions (clinical spec §6), their body-diagram shapes, validation and WPI mapping.

Pure module. A pain mark is ``{"region": slug, "side": "left"|"right"|"midline",
"intensity": 0-10 (optional), "scar": bool (optional), "radiates_to": region slug (optional)}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

BILATERAL = ("left", "right")
MIDLINE = ("midline",)
THREE = ("left", "midline", "right")
SIDE_LABELS = {
    "left": gettext_noop("left"),
    "right": gettext_noop("right"),
    "midline": gettext_noop("middle"),
}


@dataclass(frozen=True)
class Region:
    slug: str
    label: str
    sides: tuple[str, ...]
    views: tuple[str, ...]
    wpi: str | None = None  # Widespread Pain Index area; bilateral areas get the side prefix
    opt_in: bool = False


REGIONS: tuple[Region, ...] = (
    Region("head-front", gettext_noop("Head (front)"), MIDLINE, ("front",)),
    Region("head-back", gettext_noop("Head (back)"), MIDLINE, ("back",)),
    Region("temple", gettext_noop("Temple"), BILATERAL, ("front",)),
    Region("jaw", gettext_noop("Jaw / TMJ"), BILATERAL, ("front",), wpi="jaw"),
    Region("face", gettext_noop("Face"), MIDLINE, ("front",)),
    Region("neck-front", gettext_noop("Neck (front)"), MIDLINE, ("front",), wpi="neck"),
    Region("neck-back", gettext_noop("Neck (back)"), MIDLINE, ("back",), wpi="neck"),
    Region(
        "shoulder", gettext_noop("Shoulder"), BILATERAL, ("front", "back"), wpi="shoulder girdle"
    ),
    Region("upper-arm", gettext_noop("Upper arm"), BILATERAL, ("front", "back"), wpi="upper arm"),
    Region("elbow", gettext_noop("Elbow"), BILATERAL, ("front", "back")),
    Region("forearm", gettext_noop("Forearm"), BILATERAL, ("front", "back"), wpi="lower arm"),
    Region("wrist-hand", gettext_noop("Wrist / hand"), BILATERAL, ("front", "back")),
    Region("chest", gettext_noop("Chest"), MIDLINE, ("front",), wpi="chest"),
    Region("abdomen", gettext_noop("Abdomen"), MIDLINE, ("front",), wpi="abdomen"),
    Region("pelvis-groin", gettext_noop("Pelvis / groin"), MIDLINE, ("front",), opt_in=True),
    Region("upper-back", gettext_noop("Upper back"), THREE, ("back",), wpi="upper back"),
    Region("lower-back", gettext_noop("Lower back"), THREE, ("back",), wpi="lower back"),
    Region("sacrum-si", gettext_noop("Sacrum / SI joint"), THREE, ("back",), wpi="lower back"),
    Region("buttock", gettext_noop("Buttock"), BILATERAL, ("back",), wpi="hip"),
    Region("hip", gettext_noop("Hip"), BILATERAL, ("front",), wpi="hip"),
    Region("thigh-front", gettext_noop("Thigh (front)"), BILATERAL, ("front",), wpi="upper leg"),
    Region("thigh-back", gettext_noop("Thigh (back)"), BILATERAL, ("back",), wpi="upper leg"),
    Region("knee", gettext_noop("Knee"), BILATERAL, ("front", "back")),
    Region("calf", gettext_noop("Calf / lower leg"), BILATERAL, ("front", "back"), wpi="lower leg"),
    Region("ankle", gettext_noop("Ankle"), BILATERAL, ("front", "back")),
    Region("foot-top", gettext_noop("Foot (top)"), BILATERAL, ("front",)),
    Region("heel-sole", gettext_noop("Heel / sole"), BILATERAL, ("back",)),
)
REGION_BY_SLUG: dict[str, Region] = {r.slug: r for r in REGIONS}

WPI_BILATERAL = (
    "jaw",
    "shoulder girdle",
    "upper arm",
    "lower arm",
    "hip",
    "upper leg",
    "lower leg",
)
WPI_AXIAL = ("neck", "upper back", "lower back", "chest", "abdomen")
WPI_AREAS: tuple[str, ...] = (
    tuple(f"{side} {area}" for area in WPI_BILATERAL for side in BILATERAL) + WPI_AXIAL
)
WPI_LABELS = {
    "jaw": pgettext_lazy("Widespread Pain Index area", "jaw"),
    "shoulder girdle": pgettext_lazy("Widespread Pain Index area", "shoulder girdle"),
    "upper arm": pgettext_lazy("Widespread Pain Index area", "upper arm"),
    "lower arm": pgettext_lazy("Widespread Pain Index area", "lower arm"),
    "hip": pgettext_lazy("Widespread Pain Index area", "hip"),
    "upper leg": pgettext_lazy("Widespread Pain Index area", "upper leg"),
    "lower leg": pgettext_lazy("Widespread Pain Index area", "lower leg"),
    "neck": pgettext_lazy("Widespread Pain Index area", "neck"),
    "upper back": pgettext_lazy("Widespread Pain Index area", "upper back"),
    "lower back": pgettext_lazy("Widespread Pain Index area", "lower back"),
    "chest": pgettext_lazy("Widespread Pain Index area", "chest"),
    "abdomen": pgettext_lazy("Widespread Pain Index area", "abdomen"),
}


def wpi_label(area: str) -> str:
    """A Widespread Pain Index area (``"left upper leg"``, ``"neck"``) in the active language."""
    side, _sep, rest = area.partition(" ")
    if side in BILATERAL and rest in WPI_LABELS:
        return gettext("%(region)s, %(side)s") % {
            "region": WPI_LABELS[rest],
            "side": side_label(side),
        }
    return str(WPI_LABELS.get(area, area))


def side_label(side: str) -> str:
    """``left``, ``right`` or ``middle`` in the active language."""
    return gettext(SIDE_LABELS[side]) if side in SIDE_LABELS else side


def region_label(slug: str, side: str | None = None) -> str:
    """The region's name in the active language, with the side when the region has several."""
    region = REGION_BY_SLUG.get(slug)
    label = gettext(region.label) if region else slug
    if side and side != "midline" and region and len(region.sides) > 1:
        return gettext("%(region)s, %(side)s") % {"region": label, "side": side_label(side)}
    return label


def validate_marks(marks: Iterable[Any]) -> list[str]:
    """Messages for bad pain marks (unknown region or side, intensity outside 0-10)."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for mark in marks:
        if not isinstance(mark, Mapping):
            problems.append(gettext("Each pain mark needs a region and a side."))
            continue
        region = REGION_BY_SLUG.get(str(mark.get("region")))
        if region is None:
            problems.append(
                gettext("Unknown body region “%(region)s”.") % {"region": mark.get("region")}
            )
            continue
        side = mark.get("side")
        if side not in region.sides:
            problems.append(
                gettext("%(region)s: choose a side (%(sides)s).")
                % {
                    "region": region_label(region.slug),
                    "sides": ", ".join(side_label(s) for s in region.sides),
                }
            )
            continue
        intensity = mark.get("intensity")
        if intensity is not None and (
            isinstance(intensity, bool)
            or not isinstance(intensity, int)
            or not 0 <= intensity <= 10
        ):
            problems.append(
                gettext("%(place)s: intensity must be 0 to 10.")
                % {"place": region_label(region.slug, side)}
            )
        target = mark.get("radiates_to")
        if target is not None and target not in REGION_BY_SLUG:
            problems.append(
                gettext("%(region)s: unknown region the pain travels to.")
                % {"region": region_label(region.slug)}
            )
        if (region.slug, side) in seen:
            problems.append(
                gettext("%(place)s is marked twice.") % {"place": region_label(region.slug, side)}
            )
        seen.add((region.slug, side))
    return problems


def wpi_areas(marks: Iterable[Mapping[str, Any]]) -> set[str]:
    """The fibromyalgia Widespread Pain Index areas (of 19) these marks cover."""
    areas: set[str] = set()
    for mark in marks:
        if mark.get("scar"):
            continue
        region = REGION_BY_SLUG.get(str(mark.get("region")))
        if region is None or region.wpi is None:
            continue
        if region.wpi in WPI_AXIAL:
            areas.add(region.wpi)
        elif mark.get("side") in BILATERAL:
            areas.add(f"{mark['side']} {region.wpi}")
    return areas


# Body-diagram shapes: (region, side, view, x, y, width, height) on a 160x370 figure per view.
# The front view is drawn facing the viewer, so the client's left is on the viewer's right.
def _pair(slug: str, view: str, dx: int, y: int, w: int, h: int) -> list[tuple]:
    left_x, right_x = (80 + dx, 80 - dx - w) if view == "front" else (80 - dx - w, 80 + dx)
    return [(slug, "left", view, left_x, y, w, h), (slug, "right", view, right_x, y, w, h)]


def _three(slug: str, y: int, h: int) -> list[tuple]:
    return [
        (slug, "left", "back", 56, y, 16, h),
        (slug, "midline", "back", 72, y, 16, h),
        (slug, "right", "back", 88, y, 16, h),
    ]


def _shapes() -> list[tuple]:
    shapes: list[tuple] = [
        ("head-front", "midline", "front", 64, 6, 32, 18),
        ("face", "midline", "front", 68, 24, 24, 14),
        ("neck-front", "midline", "front", 70, 52, 20, 14),
        ("chest", "midline", "front", 58, 70, 44, 38),
        ("abdomen", "midline", "front", 60, 110, 40, 36),
        ("pelvis-groin", "midline", "front", 64, 148, 32, 18),
        ("head-back", "midline", "back", 62, 6, 36, 40),
        ("neck-back", "midline", "back", 70, 52, 20, 14),
    ]
    shapes += _pair("temple", "front", 16, 14, 10, 12) + _pair("jaw", "front", 4, 40, 12, 10)
    shapes += _pair("hip", "front", 16, 146, 16, 18)
    shapes += _pair("thigh-front", "front", 2, 170, 18, 62) + _pair(
        "foot-top", "front", 4, 350, 16, 12
    )
    for view in ("front", "back"):
        shapes += _pair("shoulder", view, 22, 66, 18, 16)
        shapes += _pair("upper-arm", view, 30, 84, 14, 44) + _pair("elbow", view, 32, 130, 14, 12)
        shapes += _pair("forearm", view, 34, 144, 14, 40) + _pair(
            "wrist-hand", view, 36, 186, 16, 26
        )
        shapes += _pair("knee", view, 2, 236, 18, 18) + _pair("calf", view, 2, 256, 18, 66)
        shapes += _pair("ankle", view, 4, 324, 16, 12)
    shapes += (
        _three("upper-back", 70, 40) + _three("lower-back", 112, 30) + _three("sacrum-si", 144, 14)
    )
    shapes += _pair("buttock", "back", 0, 160, 22, 20) + _pair("thigh-back", "back", 2, 182, 18, 50)
    shapes += _pair("heel-sole", "back", 4, 338, 16, 16)
    return shapes


@dataclass(frozen=True)
class Shape:
    region: str
    side: str
    view: str
    x: int
    y: int
    width: int
    height: int

    @property
    def key(self) -> str:
        return f"{self.region}:{self.side}"

    @property
    def label(self) -> str:
        return region_label(self.region, self.side)


SHAPES: tuple[Shape, ...] = tuple(
    Shape(r, s, v, x + (0 if v == "front" else 180), y, w, h) for r, s, v, x, y, w, h in _shapes()
)
