"""/api/venues/: the venue registry as JSON, scoped like the pages (selectors and services only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from culture.core.errors import FieldErrors, NotFound
from culture.org.models import OrgUnit
from culture.venues.models import Room, Venue
from culture.venues.selectors import (
    VenueFilters,
    paginate,
    room_get,
    venue_get,
    venue_get_for_edit,
    venue_list,
    venue_rooms,
)
from culture.venues.services import (
    EDITABLE_FIELDS,
    room_add,
    room_update,
    venue_create,
    venue_update,
)

router = Router(tags=["venues"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class RoomOut(Schema):
    id: int
    name: str
    capacity: int
    area_m2: Decimal | None
    equipment: str
    is_active: bool


class VenueOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    status: str
    operator_unit: str = Field(description="operator unit code (decides who may edit)")
    location_community: str | None = Field(
        None, description="community code computed from the coordinates"
    )
    grade: str
    floor_area_m2: Decimal | None
    lon: float = Field(description="WGS-84")
    lat: float = Field(description="WGS-84")
    address: str
    opening_hours: str
    weekly_hours: float | None
    days_open_per_year: int | None
    offpeak_share: float | None
    min_rest_day_hours: float | None
    hours_year: int | None
    url: str


class VenueDetailOut(VenueOut):
    fee_policy: str
    ticket_price: Decimal | None
    market_price: Decimal | None
    waiver_groups: list[str]
    free_days: list[str]
    has_wifi: bool
    has_signage: bool
    is_accessible: bool
    has_special_group_area: bool
    has_blind_reading: bool
    has_board_of_trustees: bool
    has_culture_steward: bool
    social_operation: bool
    social_operator: str
    accepts_ssc_card: bool
    on_zheli_platform: bool
    on_culture_cloud: bool
    on_national_smart_library: bool
    on_one_click_borrowing: bool
    on_media_platform: bool
    bookroom_certification: str
    theatre_seats: int | None
    state_owned: bool
    school_open_eligible: bool
    school_open_to_public: bool
    is_happy_culture_centre: bool
    is_satisfying_library: bool
    rooms: list[RoomOut]


class VenuePage(Schema):
    count: int
    page: int
    pages: int
    results: list[VenueOut]


class VenueFields(Schema):
    model_config = ConfigDict(extra="forbid")

    name_zh: str | None = None
    name_en: str | None = None
    kind: str | None = None
    status: str | None = None
    operator_unit: str | None = Field(None, description="org unit code")
    lon: float | None = None
    lat: float | None = None
    coord_system: str | None = Field(None, description="wgs84 (default), gcj02 or bd09")
    grade: str | None = None
    floor_area_m2: Decimal | None = None
    address: str | None = None
    opening_hours: str | None = Field(None, description="OpenStreetMap opening_hours syntax")
    fee_policy: str | None = None
    ticket_price: Decimal | None = None
    market_price: Decimal | None = None
    waiver_groups: list[str] | None = None
    free_days: list[str] | None = None
    has_wifi: bool | None = None
    has_signage: bool | None = None
    is_accessible: bool | None = None
    has_special_group_area: bool | None = None
    has_blind_reading: bool | None = None
    has_board_of_trustees: bool | None = None
    has_culture_steward: bool | None = None
    social_operation: bool | None = None
    social_operator: str | None = None
    accepts_ssc_card: bool | None = None
    on_zheli_platform: bool | None = None
    on_culture_cloud: bool | None = None
    on_national_smart_library: bool | None = None
    on_one_click_borrowing: bool | None = None
    on_media_platform: bool | None = None
    bookroom_certification: str | None = None
    theatre_seats: int | None = None
    state_owned: bool | None = None
    school_open_eligible: bool | None = None
    school_open_to_public: bool | None = None
    is_happy_culture_centre: bool | None = None
    is_satisfying_library: bool | None = None


class VenueIn(VenueFields):
    code: str
    name_zh: str  # type: ignore[assignment]
    kind: str  # type: ignore[assignment]
    operator_unit: str  # type: ignore[assignment]
    lon: float  # type: ignore[assignment]
    lat: float  # type: ignore[assignment]


class RoomIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    capacity: int
    area_m2: Decimal | None = None
    equipment: str = ""
    is_active: bool = True


class RoomPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    capacity: int | None = None
    area_m2: Decimal | None = None
    equipment: str | None = None
    is_active: bool | None = None


class ListQuery(Schema):
    kind: str | None = None
    unit: str | None = None
    q: str | None = None
    status: str | None = None
    flag: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=500)


def _room(r: Room) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "capacity": r.capacity,
        "area_m2": r.area_m2,
        "equipment": r.equipment,
        "is_active": r.is_active,
    }


def _out(v: Venue, *, rooms: list[Room] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(v, f) for f in EDITABLE_FIELDS}
    data.update(
        code=v.code,
        operator_unit=v.operator_unit.code,
        location_community=v.location_community.code if v.location_community else None,
        lon=v.lon,
        lat=v.lat,
        weekly_hours=v.weekly_hours,
        days_open_per_year=v.days_open_per_year,
        offpeak_share=v.offpeak_share,
        min_rest_day_hours=v.min_rest_day_hours,
        hours_year=v.hours_year,
        url=reverse("venues:detail", args=[v.code]),
    )
    if rooms is not None:
        data["rooms"] = [_room(r) for r in rooms]
    return data


def _unit(code: str | None) -> OrgUnit | None:
    if code is None:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise FieldErrors({"operator_unit": [_("没有区划代码为 %(code)s 的单位") % {"code": code}]})
    return unit


def _detail(viewer: Any, code: str) -> dict[str, Any]:
    v = venue_get(viewer=viewer, code=code)
    return _out(v, rooms=venue_rooms(viewer=viewer, venue=v))


@router.get("/", response=VenuePage, summary="场馆列表 / list venues")
def list_venues(request, filters: Query[ListQuery]):
    qs = venue_list(
        viewer=request.user,
        filters=VenueFilters(
            kind=filters.kind or "",
            unit=filters.unit or "",
            q=(filters.q or "")[:100],
            status=filters.status or "",
            flags=tuple(filters.flag),
            missing=tuple(filters.missing),
        ),
    )
    page = paginate(qs, filters.page, filters.page_size)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_out(v) for v in page],
    }


@router.post(
    "/",
    response={201: VenueDetailOut, 403: ErrorOut, 422: ErrorOut},
    summary="新增场馆 / create a venue",
)
def create_venue(request, payload: VenueIn):
    data = payload.model_dump(exclude_none=True)
    data["operator_unit"] = _unit(data.get("operator_unit"))
    v = venue_create(actor=request.user, request=request, **data)
    return Status(201, _detail(request.user, v.code))


@router.get(
    "/{code}",
    response={200: VenueDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="场馆详情 / one venue",
)
def get_venue(request, code: str):
    return _detail(request.user, code)


@router.patch(
    "/{code}",
    response={200: VenueDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改场馆 / update a venue",
    description="Only the fields sent change; coordinates are sent as a pair. Audited.",
)
def update_venue(request, code: str, payload: VenueFields):
    v = venue_get_for_edit(viewer=request.user, code=code)
    changes = payload.model_dump(exclude_unset=True)
    if "operator_unit" in changes:
        changes["operator_unit"] = _unit(changes["operator_unit"])
    for key in ("waiver_groups", "free_days"):
        if key in changes and changes[key] is None:
            changes[key] = []
    venue_update(actor=request.user, venue=v, request=request, **changes)
    return _detail(request.user, code)


@router.post(
    "/{code}/rooms",
    response={201: RoomOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="新增活动室 / add a room",
)
def add_room(request, code: str, payload: RoomIn):
    v = venue_get_for_edit(viewer=request.user, code=code)
    room = room_add(actor=request.user, venue=v, request=request, **payload.model_dump())
    return Status(201, _room(room))


@router.patch(
    "/{code}/rooms/{room_id}",
    response={200: RoomOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="修改活动室 / update a room",
)
def update_room(request, code: str, room_id: int, payload: RoomPatchIn):
    v = venue_get_for_edit(viewer=request.user, code=code)
    if room_id > 2**31:
        raise NotFound(_("没有这个活动室"))
    room = room_get(viewer=request.user, venue=v, pk=room_id)
    room = room_update(
        actor=request.user, room=room, request=request, **payload.model_dump(exclude_unset=True)
    )
    return _room(room)
