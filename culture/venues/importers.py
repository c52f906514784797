"""Spreadsheet import of venues (keyed by 场馆编码) and rooms (场馆编码 + 名称).

Coordinates may come from a Chinese web map: the 坐标系 column says which system (WGS-84,
GCJ-02, BD-09); they are converted to WGS-84 and must lie in the district. Every row is checked
by the same rules as the service (``venue_check_upsert``) before anything is saved.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.core import geo
from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.spreadsheets.framework import (
    BOOL,
    DECIMAL,
    INT,
    TEXT,
    Column,
    Importer,
    register_importer,
)
from culture.venues.access import managed_venue_ids, require_write
from culture.venues.models import (
    BookroomCertification,
    CoordSystem,
    FeePolicy,
    FreeDay,
    TargetGroup,
    Venue,
    VenueGrade,
    VenueKind,
    VenueStatus,
)
from culture.venues.services import BOOL_FIELDS, room_upsert, venue_check_upsert, venue_upsert

_SPLIT = re.compile(r"[、,，;；/\s]+")


def _multi(choices: Any) -> Any:
    """A validator for a cell listing several choices (Chinese labels or values, 、-separated)."""

    def convert(value: str) -> list[str]:
        lookup: dict[str, str] = {}
        for v, label in choices.choices:
            lookup[v] = v
            lookup[str(label)] = v
        out: list[str] = []
        for part in _SPLIT.split(str(value)):
            if not part:
                continue
            if part not in lookup:
                allowed = "、".join(str(label) for _v, label in choices.choices)
                raise ValidationFailed(
                    _("“%(v)s”不是可选的值（可选：%(allowed)s）") % {"v": part, "allowed": allowed}
                )
            if lookup[part] not in out:
                out.append(lookup[part])
        return out

    return convert


def multi_labels(values: list[str], choices: Any) -> str:
    labels = dict(choices.choices)
    return "、".join(str(labels.get(v, v)) for v in values)


def _bool(key: str) -> Column:
    return Column(key, str(Venue._meta.get_field(key).verbose_name), key, BOOL)


READ_ONLY_HELP = "导出时填写，导入时忽略（由系统计算）"

VENUE_COLUMNS = (
    Column("code", "场馆编码", "Code", TEXT, required=True, help_zh="唯一编码；重复导入按编码更新"),
    Column("name_zh", "名称", "Name", TEXT, required=True),
    Column("name_en", "英文名称", "English name", TEXT),
    Column("kind", "类型", "Kind", choices=VenueKind, required=True),
    Column("status", "状态", "Status", choices=VenueStatus),
    Column("operator_unit", "运营单位代码", "Operator unit code", TEXT, required=True,
           help_zh="运营该场馆的区/街道/社区的区划代码（决定谁可以编辑）"),
    Column("lon", "经度", "Longitude", DECIMAL, required=True),
    Column("lat", "纬度", "Latitude", DECIMAL, required=True),
    Column("coord_system", "坐标系", "Coordinate system", choices=CoordSystem,
           help_zh="留空表示 WGS-84；高德/腾讯地图坐标选 GCJ-02，百度地图坐标选 BD-09"),
    Column("address", "地址", "Address", TEXT),
    Column("grade", "等级", "Grade", choices=VenueGrade),
    Column("floor_area_m2", "建筑面积（平方米）", "Floor area (m2)", DECIMAL),
    Column("opening_hours", "开放时间", "Opening hours", TEXT,
           help_zh="OpenStreetMap opening_hours 格式，如 Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00"),
    Column("fee_policy", "收费方式", "Fee policy", choices=FeePolicy),
    Column("ticket_price", "票价（元）", "Ticket price", DECIMAL),
    Column("market_price", "市场价（元）", "Market price", DECIMAL),
    Column("waiver_groups", "减免对象", "Waiver groups", TEXT, validator=_multi(TargetGroup),
           help_zh="用顿号分隔：" + "、".join(str(label) for _v, label in TargetGroup.choices)),
    Column("free_days", "免费开放日", "Free days", TEXT, validator=_multi(FreeDay),
           help_zh="用顿号分隔：" + "、".join(str(label) for _v, label in FreeDay.choices)),
    *(_bool(k) for k in BOOL_FIELDS if k not in (
        "state_owned", "school_open_eligible", "school_open_to_public",
        "is_happy_culture_centre", "is_satisfying_library")),
    Column("social_operator", "运营机构", "Social operator", TEXT),
    Column("bookroom_certification", "城市书房认证等级", "Bookroom certification",
           choices=BookroomCertification, help_zh="仅城市书房"),
    Column("theatre_seats", "剧场座位数", "Theatre seats", INT, help_zh="仅剧院、文化馆、文化站"),
    _bool("state_owned"),
    _bool("school_open_eligible"),
    _bool("school_open_to_public"),
    _bool("is_happy_culture_centre"),
    _bool("is_satisfying_library"),
    Column("location_community", "所在社区代码", "Location community", TEXT, help_zh=READ_ONLY_HELP),
    Column("weekly_hours", "每周开放小时", "Weekly hours", DECIMAL, help_zh=READ_ONLY_HELP),
    Column("days_open_per_year", "年开放天数", "Days open per year", INT, help_zh=READ_ONLY_HELP),
    Column("offpeak_share", "错时开放占比", "Off-peak share", DECIMAL, help_zh=READ_ONLY_HELP),
)  # fmt: skip
COMPUTED_COLUMNS = ("location_community", "weekly_hours", "days_open_per_year", "offpeak_share")

ROOM_COLUMNS = (
    Column("venue_code", "场馆编码", "Venue code", TEXT, required=True),
    Column("name", "活动室名称", "Room name", TEXT, required=True),
    Column("capacity", "容纳人数", "Capacity", INT, required=True),
    Column("area_m2", "面积（平方米）", "Area (m2)", DECIMAL),
    Column("equipment", "设备", "Equipment", TEXT),
    Column("is_active", "可用", "Available", BOOL),
)


@register_importer
class VenueImporter(Importer):
    name = "venues"
    title_zh = "场馆与空间"
    title_en = "Venues and spaces"
    description_zh = (
        "按场馆编码新增或更新场馆。坐标可为 WGS-84、GCJ-02（高德/腾讯）或 BD-09（百度），"
        "导入时转换为 WGS-84，须在本区范围内。可选列留空表示保持原值。"
    )
    columns = VENUE_COLUMNS
    key_columns = ("code",)

    def __init__(self) -> None:
        self.units: dict[str, OrgUnit | None] = {}
        self.locator: geo.CommunityIndex | None = None

    def _locator(self) -> geo.CommunityIndex:
        if self.locator is None:
            self.locator = geo.CommunityIndex.load()
        return self.locator

    def _unit(self, code: str) -> OrgUnit | None:
        if code not in self.units:
            self.units[code] = OrgUnit.objects.filter(code=code).first()
        return self.units[code]

    def _fields(self, row: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for key, value in row.items():
            if key in ("code", *COMPUTED_COLUMNS) or key.startswith("_"):
                continue
            fields[key] = None if value in ("", None) else value
        if fields.get("coord_system") is None and fields.get("lon") is not None:
            fields["coord_system"] = CoordSystem.WGS84
        for key in ("lon", "lat"):
            if fields.get(key) is not None:
                fields[key] = float(fields[key])
        return fields

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        unit = self._unit(row["operator_unit"])
        if unit is None:
            raise FieldErrors(
                {
                    "operator_unit": [
                        _("没有区划代码为 %(code)s 的单位") % {"code": row["operator_unit"]}
                    ]
                }
            )
        scope = viewer_scope(viewer)
        if not scope.can_write_path(unit.path):
            raise FieldErrors({"operator_unit": [_("不在您的管辖范围内")]})
        fields = self._fields(row)
        fields["operator_unit"] = unit
        existing = Venue.objects.select_related("operator_unit").filter(code=row["code"]).first()
        if existing is not None:
            require_write(viewer, existing)
        venue_check_upsert(actor=viewer, code=row["code"], locator=self._locator(), **fields)
        row["_fields"] = fields
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _venue, outcome = venue_upsert(
            actor=actor,
            code=row["code"],
            request=request,
            locator=self._locator(),
            **row["_fields"],
        )
        return outcome


@register_importer
class RoomImporter(Importer):
    name = "rooms"
    title_zh = "活动室"
    title_en = "Rooms"
    description_zh = "按场馆编码和活动室名称新增或更新活动室；场馆须已存在且在您的管辖范围内。"
    columns = ROOM_COLUMNS
    key_columns = ("venue_code", "name")

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        """Staff who write, and venue managers (for the rooms of their own venues)."""
        scope = viewer_scope(viewer)
        return scope.is_staff_user and (not scope.is_read_only or bool(managed_venue_ids(viewer)))

    @classmethod
    def require_allowed(cls, viewer: Any) -> None:
        if cls.allowed(viewer):
            return
        super().require_allowed(viewer)
        raise OutOfScope(gettext_lazy("您的角色无权使用此导入"))

    def __init__(self) -> None:
        self.venues: dict[str, Venue | None] = {}

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        code = row["venue_code"]
        if code not in self.venues:
            self.venues[code] = (
                Venue.objects.select_related("operator_unit").filter(code=code).first()
            )
        venue = self.venues[code]
        if venue is None:
            raise FieldErrors({"venue_code": [_("没有编码为 %(code)s 的场馆") % {"code": code}]})
        require_write(viewer, venue)
        if row["capacity"] is not None and row["capacity"] < 1:
            raise FieldErrors({"capacity": [_("容纳人数须为正整数")]})
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        venue = self.venues[row["venue_code"]]
        assert venue is not None  # checked in validate_row
        _room, outcome = room_upsert(
            actor=actor,
            venue=venue,
            name=row["name"],
            request=request,
            capacity=row["capacity"],
            area_m2=row["area_m2"],
            equipment=row["equipment"] or None,
            is_active=row["is_active"],
        )
        return outcome
