"""Test data for venues: boundaries for the org units (squares along a parallel) and venues made
through the service."""

from __future__ import annotations

from typing import Any

from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import Venue, VenueKind
from culture.venues.services import venue_create

# Community squares are 0.02 degrees wide, side by side from this corner eastwards.
WEST, SOUTH, SIDE = 120.10, 30.30, 0.02


def _square(x0: float, y0: float, dx: float, dy: float) -> dict[str, Any]:
    ring = [[x0, y0], [x0 + dx, y0], [x0 + dx, y0 + dy], [x0, y0 + dy], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


def give_boundaries() -> dict[str, tuple[float, float]]:
    """Give every community without a boundary a square (in code order) and the district the
    rectangle around them. Returns each community code's square centre (lon, lat)."""
    centres: dict[str, tuple[float, float]] = {}
    communities = list(OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code"))
    for i, c in enumerate(communities):
        x0 = WEST + i * SIDE
        if not c.boundary:
            OrgUnit.objects.filter(pk=c.pk).update(boundary=_square(x0, SOUTH, SIDE, SIDE))
        centres[c.code] = (round(x0 + SIDE / 2, 6), round(SOUTH + SIDE / 2, 6))
    n = max(len(communities), 1)
    OrgUnit.objects.filter(level=OrgLevel.DISTRICT, boundary__isnull=True).update(
        boundary=_square(WEST, SOUTH, n * SIDE, SIDE)
    )
    return centres


def point_in(unit: OrgUnit) -> tuple[float, float]:
    """A point inside the community ``unit`` (or its first community)."""
    centres = give_boundaries()
    if unit.level == OrgLevel.COMMUNITY:
        return centres[unit.code]
    first = next(code for code in sorted(centres) if code.startswith(unit.code))
    return centres[first]


_counter = {"n": 0}


def venue(
    *,
    operator: OrgUnit,
    kind: str = VenueKind.CITY_BOOKROOM,
    at: OrgUnit | None = None,
    code: str | None = None,
    name_zh: str | None = None,
    **fields: Any,
) -> Venue:
    _counter["n"] += 1
    n = _counter["n"]
    lon, lat = point_in(at or operator)
    return venue_create(
        actor=None,
        code=code or f"V{n:05d}",
        name_zh=name_zh or f"测试场馆{n}",
        kind=kind,
        operator_unit=operator,
        lon=fields.pop("lon", lon),
        lat=fields.pop("lat", lat),
        **fields,
    )
