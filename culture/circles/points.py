"""Residential points ("homes") for the coverage engine.

Per community: the imported points (ResidentialPoint, source imported: compounds with
coordinates and population) when the community has any; otherwise points generated from the
community's population spread over its boundary:

- a square grid in EPSG:4549 metres with cells of ``CULTURE_CIRCLE_GRID_M`` (default 250 m),
  anchored at whole multiples of the cell size (so the grid does not move when another community
  changes), one point at the centre of every cell whose centre lies inside the boundary;
- a polygon too small to hold a cell centre gets one point at its representative point;
- a community without a boundary but with a centroid gets one point there;
- the population is split evenly over the points, the remainder one resident each to the first
  points in grid order, so the points' residents add up to the community's population exactly.

Generated points are computed on the fly, never stored: they follow the boundary and population
as soon as either changes, and a GET never writes. They carry stable codes
(``G<community code>-<n>``). A community with residents but neither imported points, a boundary
nor a centroid cannot be placed: it is listed as unlocated, and no share is computed for any unit
that contains it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pyproj import Transformer
from shapely.geometry import shape

from culture.circles.models import PointSource, ResidentialPoint
from culture.core import geo

DEFAULT_GRID_M = 250.0
IMPORTED, GENERATED, CENTROID, UNLOCATED = "imported", "generated", "centroid", "unlocated"


def grid_m() -> float:
    return float(getattr(settings, "CULTURE_CIRCLE_GRID_M", DEFAULT_GRID_M))


@dataclass
class Homes:
    """Homes as parallel arrays (one row per residential point)."""

    xy: np.ndarray  # (n, 2) EPSG:4549 metres
    lonlat: np.ndarray  # (n, 2) WGS-84
    weights: np.ndarray  # (n,) residents
    community_ids: np.ndarray  # (n,) OrgUnit ids
    codes: list[str]
    names: list[str]
    # community id -> imported | generated | centroid | unlocated
    source: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def unlocated(self) -> list[int]:
        return [cid for cid, how in self.source.items() if how == UNLOCATED]


def split_evenly(total: int, n: int) -> list[int]:
    """``total`` residents over ``n`` points: equal shares, the remainder to the first points."""
    if n <= 0:
        return []
    base, extra = divmod(int(total), n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _to_metres(geometry: Any, transformer: Transformer) -> Any:
    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, fn)


def grid_points(polygon_m: Any, cell_m: float) -> np.ndarray:
    """Centres of the grid cells (anchored at multiples of ``cell_m``) inside the polygon, in
    row-major order from the south-west; the representative point when none falls inside."""
    if polygon_m.is_empty:
        return np.empty((0, 2))
    minx, miny, maxx, maxy = polygon_m.bounds
    xs = np.arange(np.floor(minx / cell_m), np.ceil(maxx / cell_m) + 1) * cell_m + cell_m / 2
    ys = np.arange(np.floor(miny / cell_m), np.ceil(maxy / cell_m) + 1) * cell_m + cell_m / 2
    mesh_x, mesh_y = np.meshgrid(xs, ys)
    gx, gy = mesh_x.ravel(), mesh_y.ravel()
    inside = shapely.contains_xy(polygon_m, gx, gy)
    if inside.any():
        return np.column_stack([gx[inside], gy[inside]])
    p = polygon_m.representative_point()
    return np.array([[p.x, p.y]])


def homes_for(communities: Iterable[Any]) -> Homes:
    """The homes of ``communities`` (OrgUnit rows with id, code, population, boundary,
    centroid_lon/lat): imported points where a community has any, else generated."""
    units = sorted(communities, key=lambda u: u.code)
    ids = [u.id for u in units]
    imported: dict[int, list[tuple[str, str, float, float, int]]] = defaultdict(list)
    for row in (
        ResidentialPoint.objects.filter(community_id__in=ids, source=PointSource.IMPORTED)
        .order_by("code")
        .values_list("community_id", "code", "name", "lon", "lat", "population")
    ):
        imported[row[0]].append(row[1:])
    forward = geo.metric_transformer()
    inverse = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)
    cell = grid_m()

    codes: list[str] = []
    names: list[str] = []
    lonlat: list[tuple[float, float]] = []
    xy_parts: list[np.ndarray] = []
    weights: list[int] = []
    cids: list[int] = []
    source: dict[int, str] = {}
    for u in units:
        rows = imported.get(u.id)
        if rows:
            source[u.id] = IMPORTED
            lons = [r[2] for r in rows]
            lats = [r[3] for r in rows]
            x, y = forward.transform(lons, lats)
            xy_parts.append(np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]))
            lonlat.extend(zip(lons, lats, strict=True))
            codes.extend(r[0] for r in rows)
            names.extend(r[1] for r in rows)
            weights.extend(int(r[4]) for r in rows)
            cids.extend([u.id] * len(rows))
            continue
        if u.boundary:
            pts = grid_points(_to_metres(shape(u.boundary), forward), cell)
            source[u.id] = GENERATED
        elif u.centroid_lon is not None and u.centroid_lat is not None:
            x, y = forward.transform(u.centroid_lon, u.centroid_lat)
            pts = np.array([[x, y]])
            source[u.id] = CENTROID
        else:
            source[u.id] = UNLOCATED if u.population > 0 else GENERATED
            continue
        lon, lat = inverse.transform(pts[:, 0], pts[:, 1])
        xy_parts.append(pts)
        lonlat.extend(zip(np.atleast_1d(lon).tolist(), np.atleast_1d(lat).tolist(), strict=True))
        codes.extend(f"G{u.code}-{i + 1}" for i in range(len(pts)))
        names.extend([""] * len(pts))
        weights.extend(split_evenly(u.population, len(pts)))
        cids.extend([u.id] * len(pts))
    return Homes(
        xy=np.vstack(xy_parts) if xy_parts else np.empty((0, 2)),
        lonlat=np.array(lonlat, dtype=float).reshape(-1, 2),
        weights=np.array(weights, dtype=np.int64),
        community_ids=np.array(cids, dtype=np.int64),
        codes=codes,
        names=names,
        source=source,
    )


SOURCE_LABELS = {
    IMPORTED: _("导入的居住点"),
    GENERATED: _("按人口在边界内均布生成"),
    CENTROID: _("社区中心点（无边界）"),
    UNLOCATED: _("无法定位（无居住点、边界和中心点）"),
}
