"""JSON API of residential developments and future communities (S08, S36): list, one, create,
update; scoped on the community's path, writes through ``development_upsert``. Mounted by
``culture.teams.api`` at /api/teams/developments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit, ResidentialDevelopment
from culture.org.selectors_developments import (
    development_get,
    development_list,
    meets_fitness_standard,
)
from culture.org.services import development_upsert

router = Router(tags=["developments"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class DevelopmentFilters(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)
    unit: str = Field("", max_length=12)
    future: str = Field("", max_length=5, description="1 / 0")
    meets: str = Field("", max_length=5, description="1: meets S36; 0: below it")
    q: str = Field("", max_length=100)


class DevelopmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=100)
    community: str = Field(..., max_length=12, description="社区区划代码 community code")
    population: int = Field(0, ge=0, le=1_000_000)
    indoor_fitness_m2: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=1)
    outdoor_fitness_m2: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=1)
    culture_space_m2: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=1)
    is_future_community: bool = False
    completion_year: int | None = Field(None, ge=1949, le=2100)


class DevelopmentCreateIn(DevelopmentIn):
    code: str = Field(..., min_length=1, max_length=32)


class DevelopmentOut(Schema):
    code: str
    name: str
    community: str
    community_name: str
    population: int
    indoor_fitness_m2: float
    outdoor_fitness_m2: float
    culture_space_m2: float
    is_future_community: bool
    completion_year: int | None
    indoor_m2_per_person: float | None
    outdoor_m2_per_person: float | None
    culture_m2_per_person: float | None
    meets_fitness_standard: bool


class DevelopmentPage(Schema):
    count: int
    items: list[DevelopmentOut]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _out(d: ResidentialDevelopment) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "community": d.community.code,
        "community_name": d.community.name_zh,
        "population": d.population,
        "indoor_fitness_m2": float(d.indoor_fitness_m2),
        "outdoor_fitness_m2": float(d.outdoor_fitness_m2),
        "culture_space_m2": float(d.culture_space_m2),
        "is_future_community": d.is_future_community,
        "completion_year": d.completion_year,
        "indoor_m2_per_person": _round(d.indoor_per_person),
        "outdoor_m2_per_person": _round(d.outdoor_per_person),
        "culture_m2_per_person": _round(d.culture_per_person),
        "meets_fitness_standard": meets_fitness_standard(d),
    }


def _save(request, code: str, payload: DevelopmentIn, *, create: bool) -> ResidentialDevelopment:
    viewer_scope(request.user).require_staff()
    community = OrgUnit.objects.filter(code=payload.community).first()
    if community is None:
        raise FieldErrors({"community": [_("单位代码 %(c)s 不存在") % {"c": payload.community}]})
    dev, _status = development_upsert(
        actor=request.user,
        code=code,
        name=payload.name,
        community=community,
        population=payload.population,
        indoor_fitness_m2=payload.indoor_fitness_m2,
        outdoor_fitness_m2=payload.outdoor_fitness_m2,
        culture_space_m2=payload.culture_space_m2,
        is_future_community=payload.is_future_community,
        completion_year=payload.completion_year,
        create_only=create,
        request=request,
    )
    return development_get(viewer=request.user, code=dev.code)


@router.get(
    "", response=DevelopmentPage, summary="新建住宅小区 / residential developments in scope"
)
def list_developments(request, filters: Query[DevelopmentFilters]):
    qs = development_list(viewer=request.user, filters=filters.dict())
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_out(d) for d in items]}


@router.get(
    "/{code}",
    response={200: DevelopmentOut, 403: ErrorOut, 404: ErrorOut},
    summary="新建住宅小区 / one development",
)
def get_development(request, code: str):
    return _out(development_get(viewer=request.user, code=code))


@router.post(
    "",
    response={201: DevelopmentOut, 403: ErrorOut, 422: ErrorOut},
    summary="新增住宅小区 / create a development",
)
def create_development(request, payload: DevelopmentCreateIn):
    return Status(201, _out(_save(request, payload.code, payload, create=True)))


@router.put(
    "/{code}",
    response={200: DevelopmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改住宅小区 / update a development",
)
def update_development(request, code: str, payload: DevelopmentIn):
    dev = development_get(viewer=request.user, code=code)
    return _out(_save(request, dev.code, payload, create=False))
