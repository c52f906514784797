"""API operations of the circles' coverage (mounted at /api/circles/ by config/api.py):
``GET /api/circles/coverage``, scoped like the page (the viewer's communities)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from culture.circles.report import coverage_report, parse_sites, report_dict
from culture.circles.selectors import rule_for

router = Router(tags=["circles"])


class CoverageQuery(Schema):
    rule: str = Field("culture_circle", description="culture_circle or fitness_circle")
    radius: float | None = Field(None, gt=0, le=20000, description="metres; default: setting")
    unit: str | None = Field(None, description="a subdistrict or community code in your scope")
    homes: bool = Field(False, description="include every home (place, covered, what it lacks)")
    sites: str = Field(
        "", description="what-if: hypothetical facilities 'lon,lat,key;...' (WGS-84; key venue "
        "or spaces); nothing is stored"
    )  # fmt: skip


class CoverageUnitOut(Schema):
    code: str
    name: str
    level: str
    parent: str
    points: int
    points_covered: int
    population: int
    population_covered: int
    share_population: float | None
    share_points: float | None
    points_covered_city: int
    population_covered_city: int
    share_population_city: float | None
    share_points_city: float | None
    homes_lacking: dict[str, int]
    complete: bool
    source: str


class RequirementOut(Schema):
    key: str
    label: str
    kinds: list[str]
    at_least: int


class CoverageOut(Schema):
    rule: str
    rule_label: str
    radius_m: float
    city_radius_m: float
    requirements: list[RequirementOut]
    facilities: dict[str, int]
    total: CoverageUnitOut
    subdistricts: list[CoverageUnitOut]
    communities: list[CoverageUnitOut]
    homes: list[dict[str, Any]] | None = None


@router.get("/coverage", response=CoverageOut, summary="生活圈覆盖率 / coverage")
def get_coverage(request, query: Query[CoverageQuery]):
    rule = rule_for(query.rule, query.radius)
    extra = parse_sites(query.sites, rule)
    report = coverage_report(viewer=request.user, rule=rule, unit=query.unit, extra=extra)
    return report_dict(report, homes=query.homes)
