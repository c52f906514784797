"""JSON API of accounts: the signed-in user, users and roles (district officers), staff records
(scoped CRUD) and residents (read-only, masked). Same selectors and services as the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from culture.accounts import selectors, services
from culture.accounts.models import Resident, StaffMember, User
from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    read_only: bool


@router.get("/me", response=MeOut, summary="当前用户 / the signed-in user")
def me(request):
    scope = viewer_scope(request.user)
    return MeOut(
        username=request.user.username,
        display_name=request.user.display_name,
        roles=sorted(scope.roles),
        read_only=scope.is_read_only,
    )


# ----- schemas -------------------------------------------------------------------------------
class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class RoleIO(Schema):
    role: str = Field(
        ..., max_length=32, description="district_officer / subdistrict_officer / ..."
    )
    org_unit: str | None = Field(None, max_length=12, description="单位区划代码 unit code")


class RoleOut(RoleIO):
    org_unit_name: str | None = None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    phone_masked: str
    is_active: bool
    roles: list[RoleOut]


class UserPage(Schema):
    count: int
    items: list[UserOut]


class UserFilters(PageQuery):
    role: str = ""
    unit: str = ""
    q: str = ""


class UserCreateIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    display_name: str = Field("", max_length=64)
    password: str | None = Field(None, max_length=128)
    phone: str = Field("", max_length=20)
    is_active: bool = True
    roles: list[RoleIO] = Field(default_factory=list, max_length=20)


class UserUpdateIn(Schema):
    display_name: str = Field("", max_length=64)
    password: str | None = Field(None, max_length=128)
    phone: str | None = Field(None, max_length=20, description='null keeps, "" clears')
    is_active: bool = True
    roles: list[RoleIO] = Field(default_factory=list, max_length=20)


class TrainingIO(Schema):
    year: int = Field(..., ge=2000, le=2100)
    days: Decimal | None = Field(None, ge=0, le=366, description="null removes the year")


class StaffOut(Schema):
    id: int
    staff_number: str
    name: str
    org_unit: str
    org_unit_name: str
    position: str
    is_professional: bool
    is_fulltime_culture: bool
    phone_masked: str
    is_active: bool
    training: list[TrainingIO]


class StaffPage(Schema):
    count: int
    items: list[StaffOut]


class StaffFilters(PageQuery):
    unit: str = ""
    professional: str = ""
    fulltime: str = ""
    q: str = ""


class StaffIn(Schema):
    staff_number: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=64)
    org_unit: str = Field(..., max_length=12, description="单位区划代码 unit code")
    position: str = Field("", max_length=64)
    is_professional: bool = False
    is_fulltime_culture: bool = False
    phone: str | None = Field("", max_length=20, description='null keeps, "" clears')
    training: list[TrainingIO] = Field(default_factory=list, max_length=50)


class StaffUpdateIn(Schema):
    name: str = Field(..., min_length=1, max_length=64)
    org_unit: str = Field(..., max_length=12)
    position: str = Field("", max_length=64)
    is_professional: bool = False
    is_fulltime_culture: bool = False
    phone: str | None = Field(None, max_length=20, description='null keeps, "" clears')
    training: list[TrainingIO] = Field(default_factory=list, max_length=50)


class ResidentOut(Schema):
    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    ssc_card_no_masked: str
    community: str | None
    community_name: str | None
    is_active: bool


class ResidentPage(Schema):
    count: int
    items: list[ResidentOut]


class ResidentFilters(PageQuery):
    unit: str = ""
    q: str = ""


# ----- converters ----------------------------------------------------------------------------
def _unit(code: str | None, field: str) -> OrgUnit | None:
    if not code:
        return None
    code = code.replace("\x00", "").strip()
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise FieldErrors({field: [_("单位代码 %(c)s 不存在") % {"c": code}]})
    return unit


def _roles(rows: list[RoleIO]) -> list[tuple[str, OrgUnit | None]]:
    return [(r.role, _unit(r.org_unit, "roles")) for r in rows]


def _user_out(user: User) -> dict[str, Any]:
    roles = getattr(user, "active_roles", None)
    if roles is None:
        roles = list(user.role_assignments.filter(active=True).select_related("org_unit"))
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "phone_masked": user.phone_masked,
        "is_active": user.is_active,
        "roles": [
            {
                "role": ra.role,
                "org_unit": ra.org_unit.code if ra.org_unit else None,
                "org_unit_name": ra.org_unit.name_zh if ra.org_unit else None,
            }
            for ra in roles
        ],
    }


def _staff_out(staff: StaffMember) -> dict[str, Any]:
    return {
        "id": staff.pk,
        "staff_number": staff.staff_number,
        "name": staff.name,
        "org_unit": staff.org_unit.code,
        "org_unit_name": staff.org_unit.name_zh,
        "position": staff.position,
        "is_professional": staff.is_professional,
        "is_fulltime_culture": staff.is_fulltime_culture,
        "phone_masked": staff.phone_masked,
        "is_active": staff.is_active,
        "training": [
            {"year": t.year, "days": t.days}
            for t in sorted(staff.training.all(), key=lambda t: t.year)
        ],
    }


def _resident_out(viewer: Any, resident: Resident) -> dict[str, Any]:
    return {
        "id": resident.pk,
        "name": selectors.resident_name_for(viewer, resident.name),
        "id_number_masked": resident.id_number_masked,
        "phone_masked": resident.user.phone_masked,
        "ssc_card_no_masked": resident.ssc_card_no_masked,
        "community": resident.community.code if resident.community else None,
        "community_name": resident.community.name_zh if resident.community else None,
        "is_active": resident.user.is_active,
    }


def _slice(qs, page: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[page.offset : page.offset + page.limit])


def _training(rows: list[TrainingIO]) -> dict[int, Decimal | None]:
    return {r.year: r.days for r in rows}


# ----- users ---------------------------------------------------------------------------------
@router.get("/users", response=UserPage, summary="用户列表 / users (district officers, evaluators)")
def list_users(request, filters: Query[UserFilters]):
    qs = selectors.user_list(viewer=request.user, filters=filters.dict())
    count, items = _slice(qs, filters)
    return {"count": count, "items": [_user_out(u) for u in items]}


@router.get("/users/{user_id}", response=UserOut, summary="用户 / one user")
def get_user(request, user_id: int):
    return _user_out(selectors.user_get(viewer=request.user, pk=user_id))


@router.post("/users", response={201: UserOut}, summary="新建用户 / create a user")
def create_user(request, payload: UserCreateIn):
    services.require_user_admin(request.user)
    username = payload.username.strip()
    if not services.username_problems(username) and User.objects.filter(username=username).exists():
        raise FieldErrors({"username": [_("用户名已存在")]})
    user, _status = services.user_upsert(
        actor=request.user,
        username=payload.username,
        display_name=payload.display_name,
        password=payload.password or None,
        roles=_roles(payload.roles),
        phone=payload.phone,
        is_active=payload.is_active,
        request=request,
    )
    return Status(201, _user_out(user))


@router.put("/users/{user_id}", response=UserOut, summary="修改用户 / update a user")
def update_user(request, user_id: int, payload: UserUpdateIn):
    user = selectors.user_get(viewer=request.user, pk=user_id)
    user, _status = services.user_upsert(
        actor=request.user,
        username=user.username,
        display_name=payload.display_name,
        password=payload.password or None,
        roles=_roles(payload.roles),
        phone=payload.phone,
        is_active=payload.is_active,
        request=request,
    )
    return _user_out(user)


# ----- staff ---------------------------------------------------------------------------------
@router.get("/staff", response=StaffPage, summary="工作人员 / staff records in scope")
def list_staff(request, filters: Query[StaffFilters]):
    qs = selectors.staff_list(viewer=request.user, filters=filters.dict())
    count, items = _slice(qs, filters)
    return {"count": count, "items": [_staff_out(s) for s in items]}


@router.get("/staff/{staff_id}", response=StaffOut, summary="工作人员 / one staff record")
def get_staff(request, staff_id: int):
    return _staff_out(selectors.staff_get(viewer=request.user, pk=staff_id))


@router.post("/staff", response={201: StaffOut}, summary="新增工作人员 / create a staff record")
def create_staff(request, payload: StaffIn):
    viewer_scope(request.user).require_staff()
    if selectors.staff_number_taken(staff_number=payload.staff_number):
        raise FieldErrors({"staff_number": [_("工号已存在")]})
    unit = _unit(payload.org_unit, "org_unit")
    staff, _status = services.staff_member_upsert(
        actor=request.user,
        staff_number=payload.staff_number,
        name=payload.name,
        org_unit=unit,
        position=payload.position,
        is_professional=payload.is_professional,
        is_fulltime_culture=payload.is_fulltime_culture,
        phone=payload.phone,
        training=_training(payload.training),
        request=request,
    )
    return Status(201, _staff_out(staff))


@router.put("/staff/{staff_id}", response=StaffOut, summary="修改工作人员 / update a staff record")
def update_staff(request, staff_id: int, payload: StaffUpdateIn):
    staff = selectors.staff_get(viewer=request.user, pk=staff_id)
    unit = _unit(payload.org_unit, "org_unit")
    staff, _status = services.staff_member_upsert(
        actor=request.user,
        staff_number=staff.staff_number,
        name=payload.name,
        org_unit=unit,
        position=payload.position,
        is_professional=payload.is_professional,
        is_fulltime_culture=payload.is_fulltime_culture,
        phone=payload.phone,
        training=_training(payload.training),
        request=request,
    )
    return _staff_out(selectors.staff_get(viewer=request.user, pk=staff.pk))


@router.delete(
    "/staff/{staff_id}", response=StaffOut, summary="标记离岗 / deactivate a staff record"
)
def deactivate_staff(request, staff_id: int):
    staff = selectors.staff_get(viewer=request.user, pk=staff_id)
    services.staff_member_deactivate(actor=request.user, staff=staff, request=request)
    return _staff_out(staff)


# ----- residents -----------------------------------------------------------------------------
@router.get("/residents", response=ResidentPage, summary="居民（号码脱敏）/ residents, masked")
def list_residents(request, filters: Query[ResidentFilters]):
    qs = selectors.resident_list(viewer=request.user, filters=filters.dict())
    count, items = _slice(qs, filters)
    return {"count": count, "items": [_resident_out(request.user, r) for r in items]}


@router.get("/residents/{resident_id}", response=ResidentOut, summary="居民 / one resident, masked")
def get_resident(request, resident_id: int):
    return _resident_out(request.user, selectors.resident_get(viewer=request.user, pk=resident_id))
