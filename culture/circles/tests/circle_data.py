"""Test data for the circle registry: the venues factory's square communities with a known
centroid, venues placed at exact offsets (metres, EPSG:4549) from a community's centre, and a
circle that meets every item of the checklist."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from pyproj import Transformer

from culture.activities.tests.factories import activity
from culture.circles.models import Circle
from culture.circles.registry import circle_create
from culture.core import geo
from culture.org.models import OrgUnit
from culture.venues.models import Venue, VenueKind
from culture.venues.services import venue_create
from culture.venues.tests.factories import give_boundaries

GOOD = {
    "opening_hours": "Mo-Su 08:30-20:30",
    "has_signage": True,
    "fee_policy": "free",
    "on_culture_cloud": True,
}
_n = {"n": 0}


def with_centroids() -> dict[str, tuple[float, float]]:
    """Square boundaries for every community, and each one's centroid set to its square's
    centre (so a circle's centre is known exactly)."""
    centres = give_boundaries()
    for code, (lon, lat) in centres.items():
        OrgUnit.objects.filter(code=code).update(centroid_lon=lon, centroid_lat=lat)
    return centres


def centre_xy(unit: OrgUnit) -> tuple[float, float]:
    unit.refresh_from_db()
    x, y = geo.metric_transformer().transform(unit.centroid_lon, unit.centroid_lat)
    return float(x), float(y)


def lonlat_at(unit: OrgUnit, east: float, north: float = 0.0) -> tuple[float, float]:
    """The WGS-84 point ``east``/``north`` metres from the unit's centroid, in EPSG:4549. Nudged
    (never further out) so its distance, projected back, is not above the one asked for."""
    cx, cy = centre_xy(unit)
    back = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)
    fwd = geo.metric_transformer()
    lon, lat = back.transform(cx + east, cy + north)
    wanted = math.hypot(east, north)
    clon, clat = unit.centroid_lon, unit.centroid_lat
    for _ in range(100):
        x, y = fwd.transform(lon, lat)
        if math.hypot(x - cx, y - cy) <= wanted:
            break
        lon, lat = math.nextafter(lon, clon), math.nextafter(lat, clat)
    return float(lon), float(lat)


def distance_from(unit: OrgUnit, venue: Venue) -> float:
    cx, cy = centre_xy(unit)
    x, y = geo.metric_transformer().transform(venue.lon, venue.lat)
    return math.hypot(x - cx, y - cy)


def place(
    unit: OrgUnit, *, kind: str, east: float, north: float = 0.0, operator: OrgUnit | None = None,
    exact: bool = False, **fields: Any,
) -> Venue:  # fmt: skip
    """A venue through the service, ``east``/``north`` metres from the unit's centre; ``exact``
    stores the unrounded coordinates afterwards (the service keeps 7 decimals, ~1 cm)."""
    _n["n"] += 1
    lon, lat = lonlat_at(unit, east, north)
    v = venue_create(
        actor=None, code=fields.pop("code", f"CV{_n['n']:04d}"),
        name_zh=fields.pop("name_zh", f"圈内设施{_n['n']}"), kind=kind,
        operator_unit=operator or unit, lon=lon, lat=lat, **fields,
    )  # fmt: skip
    if exact:
        Venue.objects.filter(pk=v.pk).update(lon=lon, lat=lat)
        v.refresh_from_db()
    return v


def local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def weekly_activities(unit: OrgUnit, venue: Venue | None, today: date, weeks: int = 4) -> None:
    """One offline activity in each of the ``weeks`` seven-day periods ending ``today``."""
    for k in range(weeks):
        day = today - timedelta(days=7 * k + 2)
        activity(unit, venue=venue, start_at=local(day), end_at=local(day, 12), kind="lecture")


def complete_circle(unit: OrgUnit, today: date | None = None, **extra: Any) -> Circle:
    """A circle of ``unit`` meeting every item: its culture centre 100 m from the centre, two
    spaces 300 m and 400 m away, all signed, open off-peak and on holidays, free, online; a
    board, a demand channel, and an activity at the centre in each of the last four weeks."""
    today = today or timezone.localdate()
    centre = place(unit, kind=VenueKind.COMMUNITY_CENTRE, east=100, name_zh="样板文化家园", **GOOD)
    a = place(unit, kind=VenueKind.CITY_BOOKROOM, east=300, name_zh="样板城市书房", **GOOD)
    b = place(unit, kind=VenueKind.CULTURE_POST, east=0, north=400, name_zh="样板文化驿站", **GOOD)
    weekly_activities(unit, centre, today)
    data = {"name": "样板文化圈", "theme": "运河书香", "essential_venue": centre,
            "spaces": [a, b], "has_information_board": True, "has_demand_channel": True}  # fmt: skip
    data.update(extra)
    return circle_create(actor=None, community=unit, **data)
