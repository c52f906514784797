"""/api/teams/: cultural teams, organisations and partners, culture households and talents, and
(sub-router) residential developments; scoped like the pages, writes through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.api_developments import router as developments_router
from culture.org.models import OrgUnit
from culture.teams import selectors, services
from culture.teams.models import CulturalOrganisation, CulturalTeam
from culture.venues.models import Venue

router = Router(tags=["teams"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)
    unit: str = Field("", max_length=12, description="单位区划代码 unit code (and below)")
    q: str = Field("", max_length=100)
    active: str = Field("", max_length=5, description="1 / 0")


class TeamFilters(PageQuery):
    kind: str = Field("", max_length=32)
    core: str = Field("", max_length=5, description="1: 三团三社 only; 0: other kinds")


class KindFilters(PageQuery):
    kind: str = Field("", max_length=32)


class MemberIO(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    role: str = Field("", max_length=32)


class TeamIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=100)
    kind: str = Field(..., max_length=32, description="choir, folk_orchestra, art_troupe, ...")
    org_unit: str = Field(..., max_length=12, description="单位区划代码 unit code")
    members_count: int = Field(0, ge=0, le=100_000)
    leader_name: str = Field("", max_length=64)
    rehearsal_venue: str | None = Field(None, max_length=32, description="venue code")
    rehearsal_place: str = Field("", max_length=200)
    founded_on: date | None = None
    is_active: bool = True
    last_active_on: date | None = None
    members: list[MemberIO] | None = Field(None, max_length=500, description="null keeps")


class TeamCreateIn(TeamIn):
    code: str = Field(..., min_length=1, max_length=32)


class TeamOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    is_core_kind: bool
    org_unit: str
    org_unit_name: str
    members_count: int
    leader_name: str
    rehearsal_venue: str | None
    rehearsal_place: str
    founded_on: date | None
    is_active: bool
    last_active_on: date | None
    counts_as_active: bool
    members: list[MemberIO]


class TeamPage(Schema):
    count: int
    items: list[TeamOut]


class OrganisationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(..., max_length=32)
    org_unit: str = Field(..., max_length=12)
    contact_name: str = Field("", max_length=64)
    phone: str | None = Field(None, max_length=20, description='null keeps, "" clears')
    address: str = Field("", max_length=200)
    is_active: bool = True


class OrganisationCreateIn(OrganisationIn):
    code: str = Field(..., min_length=1, max_length=32)


class OrganisationOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    org_unit: str
    org_unit_name: str
    contact_name: str
    phone_masked: str
    address: str
    is_active: bool


class OrganisationPage(Schema):
    count: int
    items: list[OrganisationOut]


class PersonRecordOut(Schema):
    code: str
    name: str
    community: str
    community_name: str
    speciality: str
    is_active: bool


class PersonRecordPage(Schema):
    count: int
    items: list[PersonRecordOut]


def _slice(qs: QuerySet[Any], page: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[page.offset : page.offset + page.limit])


def _unit(code: str, field: str = "org_unit") -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise FieldErrors({field: [_("单位代码 %(c)s 不存在") % {"c": code}]})
    return unit


def _venue(code: str | None) -> Venue | None:
    if not code:
        return None
    venue = Venue.objects.filter(code=code).first()
    if venue is None:
        raise FieldErrors({"rehearsal_venue": [_("没有编码为 %(code)s 的场馆") % {"code": code}]})
    return venue


def _team_out(t: CulturalTeam) -> dict[str, Any]:
    return {
        "code": t.code,
        "name": t.name,
        "kind": t.kind,
        "kind_label": str(t.get_kind_display()),
        "is_core_kind": t.is_core_kind,
        "org_unit": t.org_unit.code,
        "org_unit_name": t.org_unit.name_zh,
        "members_count": t.members_count,
        "leader_name": t.leader_name,
        "rehearsal_venue": t.rehearsal_venue.code if t.rehearsal_venue else None,
        "rehearsal_place": t.rehearsal_place,
        "founded_on": t.founded_on,
        "is_active": t.is_active,
        "last_active_on": t.last_active_on,
        "counts_as_active": selectors.team_counts_as_active(t),
        "members": t.members or [],
    }


def _org_out(o: CulturalOrganisation) -> dict[str, Any]:
    return {
        "code": o.code,
        "name": o.name,
        "kind": o.kind,
        "kind_label": str(o.get_kind_display()),
        "org_unit": o.org_unit.code,
        "org_unit_name": o.org_unit.name_zh,
        "contact_name": o.contact_name,
        "phone_masked": o.phone_masked,
        "address": o.address,
        "is_active": o.is_active,
    }


def _person_out(p: Any) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "community": p.community.code,
        "community_name": p.community.name_zh,
        "speciality": p.speciality,
        "is_active": p.is_active,
    }


def _save_team(request, code: str, payload: TeamIn, *, create: bool) -> CulturalTeam:
    viewer_scope(request.user).require_staff()
    team, _status = services.team_upsert(
        actor=request.user,
        code=code,
        name=payload.name,
        kind=payload.kind,
        org_unit=_unit(payload.org_unit),
        members_count=payload.members_count,
        leader_name=payload.leader_name,
        rehearsal_venue=_venue(payload.rehearsal_venue),
        rehearsal_place=payload.rehearsal_place,
        founded_on=payload.founded_on,
        is_active=payload.is_active,
        last_active_on=payload.last_active_on,
        members=[m.dict() for m in payload.members] if payload.members is not None else None,
        create_only=create,
        request=request,
    )
    return selectors.team_get(viewer=request.user, code=team.code)


# ----- teams ---------------------------------------------------------------------------------------
@router.get("/teams", response=TeamPage, summary="文艺团队 / cultural teams in scope")
def list_teams(request, filters: Query[TeamFilters]):
    count, items = _slice(selectors.team_list(viewer=request.user, filters=filters.dict()), filters)
    return {"count": count, "items": [_team_out(t) for t in items]}


@router.get(
    "/teams/{code}",
    response={200: TeamOut, 403: ErrorOut, 404: ErrorOut},
    summary="文艺团队 / one team",
)
def get_team(request, code: str):
    return _team_out(selectors.team_get(viewer=request.user, code=code))


@router.post(
    "/teams",
    response={201: TeamOut, 403: ErrorOut, 422: ErrorOut},
    summary="新增文艺团队 / create a team",
)
def create_team(request, payload: TeamCreateIn):
    return Status(201, _team_out(_save_team(request, payload.code, payload, create=True)))


@router.put(
    "/teams/{code}",
    response={200: TeamOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改文艺团队 / update a team",
)
def update_team(request, code: str, payload: TeamIn):
    team = selectors.team_get(viewer=request.user, code=code)
    return _team_out(_save_team(request, team.code, payload, create=False))


# ----- organisations -------------------------------------------------------------------------------
def _save_org(request, code: str, payload: OrganisationIn, *, create: bool) -> Any:
    viewer_scope(request.user).require_staff()
    org, _status = services.organisation_upsert(
        actor=request.user,
        code=code,
        name=payload.name,
        kind=payload.kind,
        org_unit=_unit(payload.org_unit),
        contact_name=payload.contact_name,
        phone=payload.phone,
        address=payload.address,
        is_active=payload.is_active,
        create_only=create,
        request=request,
    )
    return selectors.organisation_get(viewer=request.user, code=org.code)


@router.get(
    "/organisations",
    response=OrganisationPage,
    summary="文化组织与合作伙伴 / organisations and partners in scope",
)
def list_organisations(request, filters: Query[KindFilters]):
    qs = selectors.organisation_list(viewer=request.user, filters=filters.dict())
    count, items = _slice(qs, filters)
    return {"count": count, "items": [_org_out(o) for o in items]}


@router.get(
    "/organisations/{code}",
    response={200: OrganisationOut, 403: ErrorOut, 404: ErrorOut},
    summary="文化组织 / one organisation",
)
def get_organisation(request, code: str):
    return _org_out(selectors.organisation_get(viewer=request.user, code=code))


@router.post(
    "/organisations",
    response={201: OrganisationOut, 403: ErrorOut, 422: ErrorOut},
    summary="新增文化组织 / create an organisation",
)
def create_organisation(request, payload: OrganisationCreateIn):
    return Status(201, _org_out(_save_org(request, payload.code, payload, create=True)))


@router.put(
    "/organisations/{code}",
    response={200: OrganisationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改文化组织 / update an organisation",
)
def update_organisation(request, code: str, payload: OrganisationIn):
    org = selectors.organisation_get(viewer=request.user, code=code)
    return _org_out(_save_org(request, org.code, payload, create=False))


# ----- culture households and talents --------------------------------------------------------------
@router.get(
    "/households", response=PersonRecordPage, summary="文化示范户 / culture households in scope"
)
def list_households(request, filters: Query[PageQuery]):
    qs = selectors.household_list(viewer=request.user, filters=filters.dict())
    count, items = _slice(qs, filters)
    return {"count": count, "items": [_person_out(p) for p in items]}


@router.get(
    "/talents", response=PersonRecordPage, summary="社区文化能人 / culture talents in scope"
)
def list_talents(request, filters: Query[PageQuery]):
    qs = selectors.talent_list(viewer=request.user, filters=filters.dict())
    count, items = _slice(qs, filters)
    return {"count": count, "items": [_person_out(p) for p in items]}


router.add_router("/developments", developments_router)
