"""Plausible synthetic geography for the demo district, computed in one metric everywhere:
CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549). Boundaries are stored as GeoJSON in
WGS-84 lon/lat; areas and centroids are measured after projecting to EPSG:4549."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient

METRIC_CRS = "EPSG:4549"
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
COORD_DIGITS = 6  # about 0.1 m


def to_metric(geom: Any) -> Any:
    return shapely.transform(geom, _TO_METRIC.transform, interleaved=False)


def to_lonlat(geom: Any) -> Any:
    return shapely.transform(geom, _TO_LONLAT.transform, interleaved=False)


def polygonal(geom: Any) -> Polygon | MultiPolygon:
    """The polygon parts of ``geom`` (an intersection may also yield lines or points)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts: list[Polygon] = []
    for g in getattr(geom, "geoms", []):
        if isinstance(g, Polygon):
            parts.append(g)
        elif isinstance(g, MultiPolygon):
            parts.extend(g.geoms)
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(parts)


def geojson_from_metric(geom: Any) -> dict[str, Any]:
    """GeoJSON (lon/lat, counter-clockwise exteriors, rounded to ~0.1 m) of a metric polygon."""
    ll = shapely.set_precision(to_lonlat(polygonal(geom)), 10**-COORD_DIGITS)
    ll = polygonal(ll)
    if isinstance(ll, MultiPolygon):
        ll = MultiPolygon([orient(p, 1.0) for p in ll.geoms])
    else:
        ll = orient(ll, 1.0)
    gj = mapping(ll)
    return {"type": gj["type"], "coordinates": _lists(gj["coordinates"])}


def _lists(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(float(v), COORD_DIGITS) for v in value]
        return [_lists(v) for v in value]
    return value


def measure(boundary: dict[str, Any]) -> tuple[Decimal, float, float]:
    """Area in km2 (3 decimals) and centroid (lat, lon) of a lon/lat GeoJSON geometry,
    measured in EPSG:4549."""
    metric = to_metric(shape(boundary))
    area = Decimal(str(round(metric.area / 1e6, 3)))
    c = to_lonlat(metric.centroid)
    return area, round(c.y, COORD_DIGITS), round(c.x, COORD_DIGITS)


def district_outline(outline_lonlat: Sequence[tuple[float, float]], area_km2: float) -> Polygon:
    """The hand-drawn outline in metres, scaled about its centroid to exactly ``area_km2``."""
    poly = to_metric(Polygon(outline_lonlat))
    factor = (area_km2 * 1e6 / poly.area) ** 0.5
    return affinity.scale(poly, xfact=factor, yfact=factor, origin=poly.centroid)


def voronoi_cells(points: Sequence[Point], within: Any) -> list[Any]:
    """Voronoi cells of ``points`` (in the order given) clipped to ``within``."""
    mp = MultiPoint(list(points))
    envelope = within.buffer(max(within.bounds[2] - within.bounds[0], 1.0))
    cells = shapely.voronoi_polygons(mp, extend_to=envelope, ordered=True)
    return [polygonal(cell.intersection(within)) for cell in cells.geoms]


def random_points_in(poly: Any, n: int, rng: np.random.Generator) -> list[Point]:
    """``n`` uniform random points inside ``poly`` (rejection sampling in its bounding box)."""
    minx, miny, maxx, maxy = poly.bounds
    out: list[Point] = []
    while len(out) < n:
        xs = rng.uniform(minx, maxx, size=4 * n)
        ys = rng.uniform(miny, maxy, size=4 * n)
        inside = shapely.contains_xy(poly, xs, ys)
        out.extend(Point(float(x), float(y)) for x, y in zip(xs[inside], ys[inside], strict=True))
    return out[:n]


def relaxed_cells(poly: Any, n: int, rng: np.random.Generator, *, rounds: int = 3) -> list[Any]:
    """``n`` cells partitioning ``poly``: Voronoi around random points, evened out by a few
    rounds of Lloyd relaxation (each centre moves to its cell's centroid)."""
    if n == 1:
        return [poly]
    points = random_points_in(poly, n, rng)
    cells = voronoi_cells(points, poly)
    for _ in range(rounds):
        points = [
            c.centroid if not c.is_empty and poly.contains(c.centroid) else p
            for c, p in zip(cells, points, strict=True)
        ]
        cells = voronoi_cells(points, poly)
    return cells
