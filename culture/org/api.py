"""/api/org/: the org tree as JSON, scoped like the pages (selectors and services only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from culture.org.forms import unit_changes_from_payload
from culture.org.models import OrgUnit
from culture.org.selectors import org_unit_get, org_unit_list
from culture.org.services import org_unit_update

router = Router(tags=["org"])


class UnitOut(Schema):
    code: str
    level: str
    parent_code: str | None
    name_zh: str
    name_en: str
    population: int
    area_km2: float | None
    density: float | None = Field(None, description="residents per km2")
    centroid_lat: float | None
    centroid_lon: float | None
    children: int = Field(0, description="number of child units the caller may see")
    url: str


class UnitDetailOut(UnitOut):
    boundary: dict[str, Any] | None = Field(None, description="GeoJSON geometry, WGS-84 lon/lat")


class UnitPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name_zh: str | None = None
    name_en: str | None = None
    population: int | None = None
    area_km2: Decimal | None = None


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


def _out(unit: OrgUnit, *, children: int | None = None, detail: bool = False) -> dict[str, Any]:
    density = unit.density
    data: dict[str, Any] = {
        "code": unit.code,
        "level": unit.level,
        "parent_code": unit.parent.code if unit.parent_id and unit.parent else None,
        "name_zh": unit.name_zh,
        "name_en": unit.name_en,
        "population": unit.population,
        "area_km2": float(unit.area_km2) if unit.area_km2 is not None else None,
        "density": round(density, 1) if density is not None else None,
        "centroid_lat": unit.centroid_lat,
        "centroid_lon": unit.centroid_lon,
        "children": children if children is not None else getattr(unit, "n_children", 0),
        "url": reverse("org:unit", args=[unit.code]),
    }
    if detail:
        data["boundary"] = unit.boundary
    return data


def _detail(viewer: Any, code: str) -> dict[str, Any]:
    unit = org_unit_get(viewer=viewer, code=code)
    n = org_unit_list(viewer=viewer, parent=unit.code).count()
    return _out(unit, children=n, detail=True)


@router.get(
    "/units",
    response=list[UnitOut],
    summary="组织单位列表 / list org units",
    description="The caller's visible units; filter by level (district, subdistrict, community) "
    "and/or parent code.",
)
def unit_list(request, level: str | None = None, parent: str | None = None):
    units = org_unit_list(viewer=request.user, level=level, parent=parent).select_related("parent")
    return [_out(u) for u in units]


@router.get(
    "/units/{code}",
    response={200: UnitDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="组织单位详情 / one org unit",
)
def unit_detail(request, code: str):
    return _detail(request.user, code)


@router.patch(
    "/units/{code}",
    response={200: UnitDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改组织单位 / update an org unit",
    description="Names, population and area; only within the caller's write scope. Audited.",
)
def unit_update(request, code: str, payload: UnitPatchIn):
    unit = org_unit_get(viewer=request.user, code=code)
    changes = unit_changes_from_payload(unit, payload.model_dump(exclude_unset=True))
    org_unit_update(actor=request.user, unit=unit, request=request, **changes)
    return _detail(request.user, code)
