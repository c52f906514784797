"""API operations of the circles' registry (mounted at /api/circles/ by config/api.py): the
circles the viewer may see with their checklist, one circle in full, and the residents inside
accepted circles. Reads only; scoped like the pages (the circle's community)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from culture.circles.checklist import Checklist, check_circle, check_circles
from culture.circles.models import Circle
from culture.circles.public import public_url
from culture.circles.registry import (
    PopulationRow,
    accepted_circle_population,
    circle_get,
    circle_list,
)

router = Router(tags=["circles"])
MAX_CIRCLES = 500


class CircleQuery(Schema):
    subdistrict: str = Field("", description="a subdistrict code")
    status: str = Field("", description="planned or accepted")
    q: str = Field("", max_length=100, description="part of the name, code or community name")


class ItemOut(Schema):
    key: str
    label: str
    passed: bool
    reason: str


class CircleOut(Schema):
    code: str
    name: str
    theme: str
    community: str = Field(description="the served community's code")
    status: str
    accepted_on: date | None
    checklist_passed: bool
    missing: list[str] = Field(description="keys of the checklist items not yet met")


class FacilityOut(Schema):
    code: str
    name: str
    kind: str
    role: str = Field(description="essential_venue or space")
    distance_m: float | None = Field(description="from the circle's centre, EPSG:4549")


class CircleDetailOut(CircleOut):
    public_url: str
    radius_m: float
    centre_source: str | None = Field(description="centroid, boundary or venue")
    checklist: list[ItemOut]
    facilities: list[FacilityOut]


class PopulationRowOut(Schema):
    code: str
    name: str
    population: int
    accepted_population: int
    communities: int
    accepted_communities: int
    share: float | None


class PopulationOut(Schema):
    subdistricts: list[PopulationRowOut]
    total: PopulationRowOut
    whole_district: bool


def _out(circle: Circle, check: Checklist) -> dict:
    return {
        "code": circle.code,
        "name": circle.name,
        "theme": circle.theme,
        "community": circle.community.code,
        "status": circle.status,
        "accepted_on": circle.accepted_on,
        "checklist_passed": check.passed,
        "missing": [i.key for i in check.missing],
    }


def _row(r: PopulationRow) -> dict:
    return {**r.__dict__, "share": r.share}


@router.get("/registry/circles", response=list[CircleOut])
def list_circles(request, query: Query[CircleQuery]):
    """The circles in your scope (at most 500, by code) and what each still lacks."""
    circles = list(circle_list(viewer=request.user, **query.dict())[:MAX_CIRCLES])
    checks = check_circles(circles)
    return [_out(c, checks[c.pk]) for c in circles]


@router.get("/registry/circles/{code}", response=CircleDetailOut)
def get_circle(request, code: str):
    """One circle: the checklist item by item with its reasons, and its facilities."""
    circle = circle_get(viewer=request.user, code=code)
    check = check_circle(circle)
    facilities = [(circle.essential_venue, "essential_venue")] if circle.essential_venue else []
    facilities += [(v, "space") for v in circle.spaces.order_by("code")]
    return {
        **_out(circle, check),
        "public_url": public_url(circle),
        "radius_m": check.radius_m,
        "centre_source": check.centre.source if check.centre else None,
        "checklist": [
            {"key": i.key, "label": i.label, "passed": i.passed, "reason": i.reason}
            for i in check.items
        ],
        "facilities": [
            {
                "code": v.code,
                "name": v.name_zh,
                "kind": v.kind,
                "role": role,
                "distance_m": check.distances.get(v.pk),
            }
            for v, role in facilities
        ],  # fmt: skip
    }


@router.get("/registry/population", response=PopulationOut)
def circle_population(request):
    """Residents of the communities whose circle is accepted, per subdistrict and in all."""
    result = accepted_circle_population(viewer=request.user)
    return {
        "subdistricts": [_row(r) for r in result.rows],
        "total": _row(result.total),
        "whole_district": result.whole_district,
    }
