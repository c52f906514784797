"""Coordinates: Chinese web-map systems to WGS-84, the district's metric projection, and which
community a point lies in.

Chinese web maps publish coordinates in GCJ-02 (高德, 腾讯) or BD-09 (百度); the platform stores
WGS-84. The GCJ-02 offset is the standard published formula; its inverse has no closed form and
is found by fixed-point iteration to well under a millimetre. BD-09 is a closed-form rotation of
GCJ-02.

Distances use one metric: CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), via pyproj.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from typing import Any

from pyproj import Transformer
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from culture.org.models import OrgLevel, OrgUnit

WGS84 = "wgs84"
GCJ02 = "gcj02"
BD09 = "bd09"
SYSTEMS = (WGS84, GCJ02, BD09)

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0

METRIC_CRS = "EPSG:4549"


class UnknownSystem(ValueError):
    pass


def out_of_china(lon: float, lat: float) -> bool:
    """GCJ-02 leaves points outside China's rough bounding box unchanged."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if out_of_china(lon, lat):
        return lon, lat
    dlat = _offset_lat(lon - 105.0, lat - 35.0)
    dlon = _offset_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Invert the GCJ-02 offset by fixed-point iteration (converges to < 1e-10 degrees)."""
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < 1e-10 and abs(dlat) < 1e-10:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, system: str = WGS84) -> tuple[float, float]:
    """(lon, lat) in ``system`` ("wgs84", "gcj02", "bd09"; case-insensitive) as WGS-84."""
    key = (system or WGS84).strip().lower().replace("-", "").replace("_", "")
    if key in ("wgs84", "gps", "cgcs2000"):
        return float(lon), float(lat)
    if key in ("gcj02", "gcj"):
        return gcj02_to_wgs84(float(lon), float(lat))
    if key in ("bd09", "bd", "baidu"):
        return bd09_to_wgs84(float(lon), float(lat))
    raise UnknownSystem(system)


# ----- metric projection and distance ----------------------------------------------------
@functools.cache
def metric_transformer() -> Transformer:
    """WGS-84 lon/lat -> EPSG:4549 x/y in metres (east, north). Built once per process (about
    40 ms each, three times per standards evaluation before): a Transformer holds no data, only
    the projection, and pyproj (>= 3.1) makes it safe to share between threads."""
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def project(
    lons: Sequence[float], lats: Sequence[float], transformer: Transformer | None = None
) -> tuple[Any, Any]:
    """Project many points at once; returns (xs, ys) in metres."""
    t = transformer or metric_transformer()
    return t.transform(lons, lats)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Straight-line distance in metres between two WGS-84 points, in EPSG:4549."""
    t = metric_transformer()
    x1, y1 = t.transform(lon1, lat1)
    x2, y2 = t.transform(lon2, lat2)
    return math.hypot(x2 - x1, y2 - y1)


# ----- point in polygon over the org tree --------------------------------------------------
class CommunityIndex:
    """The communities' boundaries in an STR-tree, loaded with one query. Build one per request
    or import job (never kept at module level: boundaries change)."""

    def __init__(self, units: list[tuple[Any, Any]], district: Any = None):
        units = sorted(units, key=lambda pair: pair[0].code)
        self.units = units
        self.tree = STRtree([g for _, g in units]) if units else None
        self.district = district  # the district's boundary (shapely), if it has one

    @classmethod
    def load(cls) -> CommunityIndex:
        rows = OrgUnit.objects.filter(
            level=OrgLevel.COMMUNITY, is_active=True, boundary__isnull=False
        ).only("pk", "code", "path", "name_zh", "parent_id", "boundary")
        district = (
            OrgUnit.objects.filter(level=OrgLevel.DISTRICT, boundary__isnull=False)
            .only("boundary")
            .first()
        )
        return cls(
            [(u, shape(u.boundary)) for u in rows if u.boundary],
            shape(district.boundary) if district is not None and district.boundary else None,
        )

    def find(self, lon: float, lat: float) -> Any:
        """The community containing the point; on a shared border the lowest code wins."""
        if self.tree is None:
            return None
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        return self.units[int(min(hits))][0] if len(hits) else None

    def in_district(self, lon: float, lat: float) -> bool:
        """Inside the district's boundary (or, without one, inside one of its communities)."""
        if self.district is not None:
            return bool(self.district.intersects(Point(lon, lat)))
        return self.find(lon, lat) is not None


def communities_at(points: Iterable[tuple[float, float]]) -> list[Any]:
    """For each WGS-84 (lon, lat), the community (OrgUnit) whose boundary contains it, or None.

    One query for all boundaries and an STR-tree, so an import of thousands of rows costs one
    query, not one per row.
    """
    pts = list(points)
    if not pts:
        return []
    index = CommunityIndex.load()
    return [index.find(lon, lat) for lon, lat in pts]


def community_at(lon: float, lat: float) -> Any:
    """The community (OrgUnit) whose boundary contains the WGS-84 point, or None."""
    return communities_at([(lon, lat)])[0]


def in_district(lon: float, lat: float) -> bool:
    """Whether the WGS-84 point lies inside the district's boundary (or, when the district has
    no boundary, inside one of its communities')."""
    return CommunityIndex.load().in_district(lon, lat)
