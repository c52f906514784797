"""Where a resident lives, for the distances on the find page.

Distances are straight lines in metres in the district's metric projection (EPSG:4549, see
``culture.core.geo``) from the resident's home: the centroid of their community
(``Resident.community``; its ``centroid_lon/lat``, else the centre of its boundary). Without a
home (anonymous, staff, a resident without a community) nothing is measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape

from culture.accounts.models import Resident
from culture.core import geo


@dataclass(frozen=True)
class Home:
    """Where distances are measured from: metres in EPSG:4549, and the community's name."""

    x: float
    y: float
    community_name: str


def home_of(user: Any) -> Home | None:
    """The viewer's home (their community's centroid), or None when unknown."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    resident = Resident.objects.select_related("community").filter(user=user).first()
    if resident is None or resident.community is None:
        return None
    c = resident.community
    t = geo.metric_transformer()
    if c.centroid_lon is not None and c.centroid_lat is not None:
        x, y = t.transform(c.centroid_lon, c.centroid_lat)
        return Home(float(x), float(y), c.display_name)
    if c.boundary:
        centre = shapely.transform(shape(c.boundary), t.transform, interleaved=False).centroid
        if not centre.is_empty:
            return Home(float(centre.x), float(centre.y), c.display_name)
    return None


def distances(home: Home | None, points: list[tuple[float, float] | None]) -> list[int | None]:
    """Rounded metres from ``home`` to each WGS-84 (lon, lat) (None for no point or no home);
    every point projected in one call."""
    if home is None:
        return [None] * len(points)
    known = [p for p in points if p is not None]
    if not known:
        return [None] * len(points)
    xs, ys = geo.project([p[0] for p in known], [p[1] for p in known])
    metres = iter(
        round(((float(x) - home.x) ** 2 + (float(y) - home.y) ** 2) ** 0.5)
        for x, y in zip(xs, ys, strict=True)
    )
    return [next(metres) if p is not None else None for p in points]
