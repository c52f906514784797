"""The checklist's building blocks: its settings, the circle's centre and distances, the items
and the list (see the package docstring for what each item checks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import shapely
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import shape

from culture.circles.models import Circle
from culture.circles.rules import culture_circle
from culture.core import geo
from culture.venues.models import Venue

DEFAULT_ACTIVITY_WEEKS = 4
HOLIDAY_OPEN_SHARE = 0.5  # open on at least this share of the year's public-holiday days

ITEM_LABELS = {
    "venue": gettext_lazy("必备公共文化场馆"),
    "spaces": gettext_lazy("至少两处公益性公共文化空间（共三处设施）"),
    "signage": gettext_lazy("统一标识与信息公示栏"),
    "hours": gettext_lazy("错时开放与节假日开放"),
    "fees": gettext_lazy("免费或低收费服务"),
    "booking": gettext_lazy("线上预约"),
    "demand": gettext_lazy("活动报名与需求表达"),
    "weekly": gettext_lazy("每周至少一场线下活动"),
}


def activity_weeks() -> int:
    return int(getattr(settings, "CULTURE_CIRCLE_ACTIVITY_WEEKS", DEFAULT_ACTIVITY_WEEKS))


def venue_kinds() -> tuple[str, ...]:
    return culture_circle().requirements[0].kinds


def space_kinds() -> tuple[str, ...]:
    return culture_circle().requirements[1].kinds


def radius_m() -> float:
    return culture_circle().radius_m


def metres(value: float) -> str:
    return f"{round(value):,}"


def enum(items: Iterable[str]) -> str:
    """A list in running text: 、 in Chinese, a comma in English."""
    return _("、").join(items)


def semi(items: Iterable[str]) -> str:
    return _("；").join(items)


@dataclass(frozen=True)
class Centre:
    x: float  # EPSG:4549 metres
    y: float
    source: str  # "centroid" | "boundary" | "venue"

    @property
    def source_label(self) -> str:
        return {
            "centroid": _("社区中心点"),
            "boundary": _("社区边界的几何中心"),
            "venue": _("必备场馆所在地（社区没有中心点和边界）"),
        }[self.source]


def circle_centre(circle: Circle, transformer: Any = None) -> Centre | None:
    """The circle's centre in metres (see the module docstring), or None when unknown."""
    t = transformer or geo.metric_transformer()
    c = circle.community
    if c.centroid_lon is not None and c.centroid_lat is not None:
        x, y = t.transform(c.centroid_lon, c.centroid_lat)
        return Centre(float(x), float(y), "centroid")
    if c.boundary:
        centroid = shapely.transform(shape(c.boundary), t.transform, interleaved=False).centroid
        if not centroid.is_empty:
            return Centre(float(centroid.x), float(centroid.y), "boundary")
    v = circle.essential_venue
    if v is not None:
        x, y = t.transform(v.lon, v.lat)
        return Centre(float(x), float(y), "venue")
    return None


def distances(centre: Centre | None, venues: Sequence[Venue], transformer: Any = None) -> list:
    """Distance in metres (EPSG:4549) from ``centre`` to each venue (None without a centre)."""
    if centre is None or not venues:
        return [None] * len(venues)
    xs, ys = geo.project(
        [v.lon for v in venues], [v.lat for v in venues], transformer or geo.metric_transformer()
    )
    return [
        float(((float(x) - centre.x) ** 2 + (float(y) - centre.y) ** 2) ** 0.5)
        for x, y in zip(xs, ys, strict=True)
    ]


@dataclass(frozen=True)
class Item:
    key: str
    passed: bool
    reason: str

    @property
    def label(self) -> str:
        return str(ITEM_LABELS[self.key])

    @property
    def line(self) -> str:
        return _("%(label)s：%(reason)s") % {"label": self.label, "reason": self.reason}


@dataclass
class Checklist:
    circle: Circle
    centre: Centre | None
    radius_m: float
    items: list[Item] = field(default_factory=list)
    distances: dict[int, float | None] = field(default_factory=dict)  # venue pk -> metres
    week_counts: list[tuple[date, date, int]] = field(default_factory=list)  # latest first

    @property
    def passed(self) -> bool:
        return all(i.passed for i in self.items)

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if not i.passed]

    def missing_lines(self) -> list[str]:
        return [i.line for i in self.missing]
