"""Candidate sites for the siting question: the imported ``CandidateSite`` rows of the
communities in question, or, when none is imported there, a regular grid inside the area.

The grid has cells of ``CULTURE_SITING_GRID_M`` metres (default 250) in EPSG:4549, anchored at
whole multiples of the cell size like the generated homes (``points.grid_points``), one site at
every cell centre inside the area's boundary (the district's or subdistrict's own boundary, else
the union of its communities'). Grid sites have stable codes ``S<column>-<row>`` (the cell's
index: x // cell, y // cell), so a site can be fixed or excluded by its code across requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext as _
from pyproj import Transformer
from scipy.spatial import cKDTree
from shapely.geometry import shape

from culture.circles.models import CandidateSite
from culture.circles.points import grid_points
from culture.core import geo
from culture.core.errors import ValidationFailed

IMPORTED, GRID = "imported", "grid"
DUPLICATE_M = 1.0  # two candidate sites closer than this are the same place


def grid_m() -> float:
    return float(getattr(settings, "CULTURE_SITING_GRID_M", 250.0))


@dataclass
class Candidates:
    source: str  # IMPORTED | GRID
    codes: list[str]
    names: list[str]
    community_codes: list[str]
    lonlat: np.ndarray  # (m, 2) WGS-84
    xy: np.ndarray  # (m, 2) EPSG:4549 metres
    grid_m: float | None = None

    def __len__(self) -> int:
        return len(self.codes)


def _project(lonlat: np.ndarray) -> np.ndarray:
    if not len(lonlat):
        return np.empty((0, 2))
    x, y = geo.metric_transformer().transform(lonlat[:, 0], lonlat[:, 1])
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])


def _imported(communities: list[Any]) -> Candidates | None:
    codes_of = {c.id: c.code for c in communities}
    rows = list(
        CandidateSite.objects.filter(community_id__in=list(codes_of))
        .order_by("code")
        .values_list("code", "name", "community_id", "lon", "lat")
    )
    if not rows:
        return None
    lonlat = np.array([(r[3], r[4]) for r in rows], dtype=float).reshape(-1, 2)
    return Candidates(
        source=IMPORTED,
        codes=[r[0] for r in rows],
        names=[r[1] for r in rows],
        community_codes=[codes_of[r[2]] for r in rows],
        lonlat=lonlat,
        xy=_project(lonlat),
    )


def _area(root: Any, communities: list[Any]) -> Any:
    """The area's boundary (WGS-84 shapely geometry), or None."""
    if root is not None and getattr(root, "boundary", None):
        return shape(root.boundary)
    shapes = [shape(c.boundary) for c in communities if c.boundary]
    return shapely.union_all(shapes) if shapes else None


def _grid(root: Any, communities: list[Any]) -> Candidates | None:
    area = _area(root, communities)
    if area is None or area.is_empty:
        return None
    forward = geo.metric_transformer()

    def to_m(coords: np.ndarray) -> np.ndarray:
        x, y = forward.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    cell = grid_m()
    xy = grid_points(shapely.transform(area, to_m), cell)
    inverse = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)
    lon, lat = inverse.transform(xy[:, 0], xy[:, 1])
    lonlat = np.column_stack([np.atleast_1d(lon), np.atleast_1d(lat)])
    index = geo.CommunityIndex([(c, shape(c.boundary)) for c in communities if c.boundary])
    found = [index.find(float(a), float(b)) for a, b in lonlat]
    cols, rows = np.floor(xy[:, 0] / cell).astype(int), np.floor(xy[:, 1] / cell).astype(int)
    return Candidates(
        source=GRID,
        codes=[f"S{c}-{r}" for c, r in zip(cols, rows, strict=True)],
        names=[""] * len(xy),
        community_codes=[u.code if u is not None else "" for u in found],
        lonlat=lonlat,
        xy=xy,
        grid_m=cell,
    )


def check_distinct(c: Candidates) -> None:
    """Two candidate sites at the same place (closer than 1 m) are refused."""
    if len(c) < 2:
        return
    pairs = cKDTree(c.xy).query_pairs(DUPLICATE_M, output_type="ndarray")
    if len(pairs):
        a, b = sorted((c.codes[int(pairs[0][0])], c.codes[int(pairs[0][1])]))
        raise ValidationFailed(
            _("候选点位 %(a)s 与 %(b)s 重复（相距不足 1 米），请删除其中一个后再计算")
            % {"a": a, "b": b},
            field="candidates",
        )


def candidates_for(root: Any, communities: list[Any]) -> Candidates:
    """The imported candidate sites of these communities, else the grid inside the area."""
    found = _imported(communities) or _grid(root, communities)
    if found is None or not len(found):
        raise ValidationFailed(
            _("没有候选点位：请导入候选点位，或为所在单位填写边界以生成网格候选点"),
            field="candidates",
        )
    check_distinct(found)
    return found
