"""Spreadsheet import of cultural teams, organisations, culture households and talents, and
residential developments (``teams``, ``organisations``, ``culture_households``,
``culture_talents``, ``developments``), on the spreadsheets framework.

Every row is matched on its code (the natural key): a new code creates, an existing one updates,
an identical row is left alone. An empty optional cell keeps the stored value. Scope is checked
in ``validate_row`` (the row's unit, and the stored record's unit), so an out-of-scope row is a
row error and nothing is imported.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.personal import normalize_phone
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit, ResidentialDevelopment
from culture.org.services import development_upsert
from culture.spreadsheets.framework import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    TEXT,
    Column,
    Importer,
    register_importer,
)
from culture.teams.models import (
    CulturalOrganisation,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
    OrganisationKind,
    TeamKind,
)
from culture.teams.services import (
    culture_household_upsert,
    culture_talent_upsert,
    organisation_upsert,
    parse_members,
    team_upsert,
)
from culture.venues.models import Venue

MASKED_PHONE_RE = re.compile(r"^1\d{2}\*{4}\d{4}$")

TEAM_COLUMNS = (
    Column("code", "团队编号", "Team code", TEXT, required=True, help_zh="每个团队唯一，最长32位"),
    Column("name", "团队名称", "Name", TEXT, required=True),
    Column("kind", "团队类别", "Kind", choices=TeamKind, required=True),
    Column(
        "org_unit",
        "所属单位代码",
        "Unit code",
        TEXT,
        required=True,
        help_zh="街道9位或社区12位区划代码",
    ),
    Column("members_count", "成员人数", "Members", INT),
    Column("leader_name", "负责人", "Leader", TEXT),
    Column("rehearsal_venue", "排练场馆编码", "Rehearsal venue code", TEXT),
    Column("rehearsal_place", "排练地点", "Rehearsal place", TEXT),
    Column("founded_on", "成立日期", "Founded", DATE),
    Column("is_active", "活跃", "Active", BOOL, help_zh="是/否"),
    Column("last_active_on", "最近活动日期", "Last active", DATE),
    Column("members", "成员名单", "Members list", TEXT, help_zh="姓名:角色，用逗号分隔"),
)

ORGANISATION_COLUMNS = (
    Column("code", "组织编号", "Code", TEXT, required=True, help_zh="每个组织唯一，最长32位"),
    Column("name", "组织名称", "Name", TEXT, required=True),
    Column("kind", "组织类别", "Kind", choices=OrganisationKind, required=True),
    Column(
        "org_unit", "所属单位代码", "Unit code", TEXT, required=True, help_zh="区、街道或社区代码"
    ),
    Column("contact_name", "联系人", "Contact", TEXT),
    Column("phone", "联系电话", "Phone", TEXT, help_zh="11位手机号；留空则保持原值"),
    Column("address", "地址", "Address", TEXT),
    Column("is_active", "有效", "Active", BOOL, help_zh="是/否"),
)

HOUSEHOLD_COLUMNS = (
    Column("code", "编号", "Code", TEXT, required=True),
    Column("name", "户名", "Name", TEXT, required=True),
    Column("community", "所在社区代码", "Community code", TEXT, required=True),
    Column("speciality", "文化特长", "Speciality", TEXT),
    Column("is_active", "有效", "Active", BOOL, help_zh="是/否"),
)

TALENT_COLUMNS = (
    Column("code", "编号", "Code", TEXT, required=True),
    Column("name", "姓名", "Name", TEXT, required=True),
    Column("community", "所在社区代码", "Community code", TEXT, required=True),
    Column("speciality", "文化特长", "Speciality", TEXT),
    Column("is_active", "有效", "Active", BOOL, help_zh="是/否"),
)

DEVELOPMENT_COLUMNS = (
    Column("code", "小区编号", "Code", TEXT, required=True),
    Column("name", "小区名称", "Name", TEXT, required=True),
    Column("community", "所在社区代码", "Community code", TEXT, required=True),
    Column("population", "居住人口", "Population", INT),
    Column("indoor_fitness_m2", "室内健身面积（平方米）", "Indoor fitness m2", DECIMAL),
    Column("outdoor_fitness_m2", "室外健身面积（平方米）", "Outdoor fitness m2", DECIMAL),
    Column("culture_space_m2", "文化空间面积（平方米）", "Culture space m2", DECIMAL),
    Column("is_future_community", "未来社区", "Future community", BOOL, help_zh="是/否"),
    Column("completion_year", "建成年份", "Completion year", INT),
)


def _keep(row: dict[str, Any], existing: Any, keys: tuple[str, ...], defaults: dict[str, Any]):
    """Blank optional cells keep the stored value (or take the default for a new record)."""
    for key in keys:
        if row.get(key) in (None, ""):
            if existing is not None:
                row[key] = getattr(existing, key)
            else:
                row[key] = defaults.get(key, row.get(key))


class _ScopedImporter(Importer):
    model: Any = None
    unit_column = "org_unit"
    unit_levels: tuple[str, ...] = (OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY)

    def __init__(self) -> None:
        self.units: dict[str, OrgUnit | None] = {}

    def _unit(self, code: str) -> OrgUnit | None:
        if code not in self.units:
            self.units[code] = OrgUnit.objects.filter(code=code).first()
        return self.units[code]

    def check_scope(self, row: dict[str, Any], viewer: Any) -> tuple[Any, dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}
        scope = viewer_scope(viewer)
        col = self.unit_column
        unit = self._unit(row[col])
        if unit is None:
            errors[col] = [_("单位代码 %(c)s 不存在") % {"c": row[col]}]
        elif unit.level not in self.unit_levels:
            errors[col] = [
                _("单位应为：%(levels)s")
                % {"levels": "、".join(str(OrgLevel(v).label) for v in self.unit_levels)}
            ]
        elif not scope.can_write_path(unit.path):
            errors[col] = [_("单位 %(c)s 不在您的管辖范围内") % {"c": row[col]}]
        row[f"{col}_obj"] = unit
        existing = (
            self.model.objects.select_related(col).filter(code=row["code"]).first()
            if len(row["code"]) <= 32
            else None
        )
        if existing is not None and not scope.can_write_path(getattr(existing, col).path):
            errors["code"] = [_("编号 %(c)s 属于您管辖范围以外的单位") % {"c": row["code"]}]
        if len(row["code"]) > 32:
            errors["code"] = [_("编号最长32个字符")]
        return existing, errors


@register_importer
class TeamImporter(_ScopedImporter):
    name = "teams"
    title_zh = "文艺团队"
    title_en = "Cultural teams"
    description_zh = "按团队编号新增或更新；三团三社及其他类别。可选列留空表示保持原值。"
    columns = TEAM_COLUMNS
    key_columns = ("code",)
    model = CulturalTeam

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        existing, errors = self.check_scope(row, viewer)
        row["rehearsal_venue_obj"] = None
        if row["rehearsal_venue"]:
            venue = Venue.objects.filter(code=row["rehearsal_venue"]).first()
            if venue is None:
                errors["rehearsal_venue"] = [
                    _("没有编码为 %(c)s 的场馆") % {"c": row["rehearsal_venue"]}
                ]
            row["rehearsal_venue_obj"] = venue
        elif existing is not None:
            row["rehearsal_venue_obj"] = existing.rehearsal_venue
        if row["members_count"] is not None and not 0 <= row["members_count"] <= 100_000:
            errors["members_count"] = [_("成员人数应为 0 到 100000 的整数")]
        if errors:
            raise FieldErrors(errors)
        row["members_list"] = parse_members(row["members"]) if row["members"] else None
        _keep(
            row,
            existing,
            (
                "members_count",
                "leader_name",
                "rehearsal_place",
                "founded_on",
                "is_active",
                "last_active_on",
            ),
            {"members_count": 0, "is_active": True},
        )
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _team, status = team_upsert(
            actor=actor,
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            org_unit=row["org_unit_obj"],
            members_count=row["members_count"],
            leader_name=row["leader_name"],
            rehearsal_venue=row["rehearsal_venue_obj"],
            rehearsal_place=row["rehearsal_place"],
            founded_on=row["founded_on"],
            is_active=row["is_active"],
            last_active_on=row["last_active_on"],
            members=row["members_list"],
            request=request,
        )
        return status


@register_importer
class OrganisationImporter(_ScopedImporter):
    name = "organisations"
    title_zh = "文化组织与合作伙伴"
    title_en = "Cultural organisations and partners"
    description_zh = "按组织编号新增或更新。联系电话导出时部分隐藏，原样导回时保持不变。"
    columns = ORGANISATION_COLUMNS
    key_columns = ("code",)
    model = CulturalOrganisation
    unit_levels = (OrgLevel.DISTRICT, OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY)

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        existing, errors = self.check_scope(row, viewer)
        phone = (row["phone"] or "").strip()
        if not phone:
            row["phone"] = None
        elif MASKED_PHONE_RE.match(phone):
            if existing is None or phone != existing.phone_masked:
                errors["phone"] = [
                    _("联系电话为部分隐藏形式且与已登记号码不符：请填写完整号码或留空")
                ]
            row["phone"] = None
        else:
            try:
                row["phone"] = normalize_phone(phone)
            except ValidationFailed as exc:
                errors["phone"] = [str(exc.message)]
        if errors:
            raise FieldErrors(errors)
        _keep(row, existing, ("contact_name", "address", "is_active"), {"is_active": True})
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _org, status = organisation_upsert(
            actor=actor,
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            org_unit=row["org_unit_obj"],
            contact_name=row["contact_name"],
            phone=row["phone"],
            address=row["address"],
            is_active=row["is_active"],
            request=request,
        )
        return status


class _PeopleImporter(_ScopedImporter):
    unit_column = "community"
    unit_levels = (OrgLevel.COMMUNITY,)
    service: Any = None

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        existing, errors = self.check_scope(row, viewer)
        if errors:
            raise FieldErrors(errors)
        _keep(row, existing, ("speciality", "is_active"), {"is_active": True})
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _obj, status = type(self).service(
            actor=actor,
            code=row["code"],
            name=row["name"],
            community=row["community_obj"],
            speciality=row["speciality"],
            is_active=row["is_active"],
            request=request,
        )
        return status


@register_importer
class HouseholdImporter(_PeopleImporter):
    name = "culture_households"
    title_zh = "文化示范户"
    title_en = "Culture households"
    description_zh = "按编号新增或更新社区文化示范户。"
    columns = HOUSEHOLD_COLUMNS
    key_columns = ("code",)
    model = CultureHousehold
    service = staticmethod(culture_household_upsert)


@register_importer
class TalentImporter(_PeopleImporter):
    name = "culture_talents"
    title_zh = "社区文化能人"
    title_en = "Culture talents"
    description_zh = "按编号新增或更新社区文化能人。"
    columns = TALENT_COLUMNS
    key_columns = ("code",)
    model = CultureTalent
    service = staticmethod(culture_talent_upsert)


@register_importer
class DevelopmentImporter(_ScopedImporter):
    name = "developments"
    title_zh = "新建住宅小区与未来社区"
    title_en = "Residential developments"
    description_zh = "按小区编号新增或更新；人口、健身面积和文化空间用于计算人均指标（S08、S36）。"
    columns = DEVELOPMENT_COLUMNS
    key_columns = ("code",)
    model = ResidentialDevelopment
    unit_column = "community"
    unit_levels = (OrgLevel.COMMUNITY,)

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        existing, errors = self.check_scope(row, viewer)
        if row["population"] is not None and not 0 <= row["population"] <= 1_000_000:
            errors["population"] = [_("居住人口应为 0 到 1000000 的整数")]
        for key in ("indoor_fitness_m2", "outdoor_fitness_m2", "culture_space_m2"):
            value = row[key]
            if value is not None and value < 0:
                errors[key] = [_("面积不能为负数")]
        if errors:
            raise FieldErrors(errors)
        _keep(
            row,
            existing,
            (
                "population",
                "indoor_fitness_m2",
                "outdoor_fitness_m2",
                "culture_space_m2",
                "is_future_community",
                "completion_year",
            ),
            {
                "population": 0,
                "indoor_fitness_m2": 0,
                "outdoor_fitness_m2": 0,
                "culture_space_m2": 0,
                "is_future_community": False,
            },
        )
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _dev, status = development_upsert(
            actor=actor,
            code=row["code"],
            name=row["name"],
            community=row["community_obj"],
            population=row["population"],
            indoor_fitness_m2=row["indoor_fitness_m2"],
            outdoor_fitness_m2=row["outdoor_fitness_m2"],
            culture_space_m2=row["culture_space_m2"],
            is_future_community=row["is_future_community"],
            completion_year=row["completion_year"],
            request=request,
        )
        return status
