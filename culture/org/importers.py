"""Spreadsheet import of org units (区划代码 upsert), on the spreadsheets framework."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import CODE_LENGTH, PARENT_LEVEL, OrgLevel, OrgUnit
from culture.org.services import org_unit_upsert
from culture.spreadsheets.framework import DECIMAL, INT, TEXT, Column, Importer, register_importer

MAX_AREA = Decimal("99999.999")

ORG_UNIT_COLUMNS = (
    Column(
        "code",
        "区划代码",
        "Code",
        TEXT,
        required=True,
        help_zh="国家统计用区划代码：区 6 位，街道 9 位，社区 12 位",
    ),
    Column("level", "层级", "Level", choices=OrgLevel, required=True),
    Column(
        "parent_code",
        "上级区划代码",
        "Parent code",
        TEXT,
        help_zh="街道填区的代码，社区填街道的代码；区留空",
    ),
    Column("name_zh", "名称", "Name", TEXT, required=True),
    Column("name_en", "英文名称", "English name", TEXT),
    Column("population", "常住人口", "Population", INT, help_zh="不小于 0 的整数"),
    Column("area_km2", "面积（平方公里）", "Area (km2)", DECIMAL, help_zh="最多三位小数"),
)


@register_importer
class OrgUnitImporter(Importer):
    name = "org_units"
    title_zh = "组织单位（区/街道/社区）"
    title_en = "Org units (district / subdistricts / communities)"
    description_zh = (
        "按区划代码新增或更新单位；已有单位的层级和上级不能通过导入更改。可选列留空表示保持原值。"
    )
    columns = ORG_UNIT_COLUMNS
    key_columns = ("code",)

    def __init__(self) -> None:
        # Units of the file and their parents: code -> (level, path); parents looked up once.
        self.pending: dict[str, tuple[str, str]] = {}
        self.parents: dict[str, OrgUnit | None] = {}

    def _parent(self, code: str) -> tuple[str, str] | None:
        if code in self.pending:
            return self.pending[code]
        if code not in self.parents:
            self.parents[code] = OrgUnit.objects.filter(code=code).only("level", "path").first()
        unit = self.parents[code]
        return (unit.level, unit.path) if unit else None

    def _parent_unit(self, code: str) -> OrgUnit:
        unit = self.parents.get(code)
        if unit is None or unit.pk is None or unit.get_deferred_fields():
            unit = self.parents[code] = OrgUnit.objects.get(code=code)
        return unit

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        code, level, parent_code = row["code"], row["level"], row["parent_code"]
        want = CODE_LENGTH[OrgLevel(level)]
        if not code.isdigit() or len(code) != want:
            errors["code"] = [
                _("%(level)s的区划代码应为%(n)d位数字")
                % {"level": OrgLevel(level).label, "n": want}
            ]
        parent_path = ""
        if level == OrgLevel.DISTRICT:
            if parent_code:
                errors["parent_code"] = [_("区不能有上级单位，请留空")]
        else:
            expected = PARENT_LEVEL[OrgLevel(level)]
            parent = self._parent(parent_code) if parent_code else None
            if not parent_code:
                errors["parent_code"] = [
                    _("%(level)s必须填写上级区划代码") % {"level": OrgLevel(level).label}
                ]
            elif parent is None:
                errors["parent_code"] = [
                    _("上级单位 %(code)s 不存在（如在同一文件中新建，请放在本行之前）")
                    % {"code": parent_code}
                ]
            elif parent[0] != expected:
                errors["parent_code"] = [
                    _("%(level)s的上级必须是%(parent)s")
                    % {"level": OrgLevel(level).label, "parent": OrgLevel(expected).label}
                ]
            else:
                parent_path = parent[1]
                if "code" not in errors and not code.startswith(parent_code):
                    errors["code"] = [_("区划代码应以上级代码 %(p)s 开头") % {"p": parent_code}]
        if len(row["name_zh"]) > 64:
            errors["name_zh"] = [_("名称最多 64 个字")]
        if len(row["name_en"]) > 128:
            errors["name_en"] = [_("英文名称最多 128 个字符")]
        if row["population"] is not None and row["population"] < 0:
            errors["population"] = [_("人口不能为负数")]
        area = row["area_km2"]
        if area is not None:
            if area < 0 or area > MAX_AREA:
                errors["area_km2"] = [_("面积应在 0 到 99999.999 之间")]
            elif area != area.quantize(Decimal("0.001")):
                errors["area_km2"] = [_("面积最多三位小数")]
        if errors:
            raise FieldErrors(errors)
        existing = OrgUnit.objects.filter(code=code).select_related("parent").first()
        if existing is not None:
            if existing.level != level:
                errors["level"] = [
                    _("已有单位的层级是“%(level)s”，导入不能更改层级")
                    % {"level": existing.get_level_display()}
                ]
            existing_parent = existing.parent.code if existing.parent else ""
            if existing_parent != parent_code:
                errors["parent_code"] = [
                    _("已有单位的上级是 %(code)s，导入不能更改上级")
                    % {"code": existing_parent or "—"}
                ]
            path = existing.path
            write_path = existing.path
        else:
            path = parent_path + code + "/"
            write_path = parent_path
        scope = viewer_scope(viewer)
        if not errors and not scope.can_write_path(write_path):
            errors["code"] = [_("区划代码 %(code)s 不在您的管辖范围内，不能导入") % {"code": code}]
        if errors:
            raise FieldErrors(errors)
        self.pending[code] = (level, path)
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        parent = self._parent_unit(row["parent_code"]) if row["parent_code"] else None
        _unit, outcome = org_unit_upsert(
            actor=actor,
            code=row["code"],
            level=row["level"],
            parent=parent,
            name_zh=row["name_zh"],
            name_en=row["name_en"] or None,
            population=row["population"],
            area_km2=row["area_km2"],
            request=request,
        )
        return outcome
