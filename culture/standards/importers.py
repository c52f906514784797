"""Spreadsheet import of reported figures (统计填报, ``reported_figures``) on the spreadsheets
framework.

Columns: 指标编号, 填报项, 单位代码, 年度, 数值, 说明 (and, so that an export re-imports, the
export's 审核状态, 审核意见, 更新日期, which an import ignores). The template has drop-downs for the indicator
(the indicators that accept reports) and the report field (every field's Chinese label; the key or
the English label are accepted too). Every row goes through ``reported_figure_submit``, so the
rules of the form hold here: scope, the indicator's fields and levels, the year, the value and
the validation rules. Rules between two figures use the value in the same file when the file has
it: checked while validating when both rows are in the file, and against the stored figure when
saving (a failure there stops the whole import, naming the row). All rows or none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from culture.core.errors import FieldErrors
from culture.core.scope import viewer_scope
from culture.org.models import OrgUnit
from culture.spreadsheets.framework import INT, TEXT, Column, Importer, register_importer
from culture.standards import catalogue
from culture.standards.services.reporting import (
    find_field,
    report_indicators,
    reported_figure_check,
    reported_figure_submit,
)


class LazyChoices:
    """Choices computed when read, from the catalogue as it is then."""

    def __init__(self, make: Callable[[], list[tuple[str, str]]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.make())


def indicator_choices() -> list[tuple[str, str]]:
    return [(i.id, f"{i.id} {i.title_zh}") for i in report_indicators()]


def field_choices() -> list[tuple[str, str]]:
    labels: dict[str, None] = {}
    for indicator in report_indicators():
        for f in indicator.report_fields:
            labels.setdefault(f.label_zh, None)
    return [(label, label) for label in labels]


class FieldColumn(Column):
    """A drop-down of every report field's label; the text is resolved per indicator later."""

    def _to_choice(self, raw: Any) -> str:
        return self._to_text(raw)


COLUMNS = (
    Column(
        "indicator_id",
        "指标编号",
        "Indicator",
        choices=LazyChoices(indicator_choices),
        required=True,
        help_zh="从下拉列表选择，或只填编号（如 T10）",
    ),
    FieldColumn(
        "field_key",
        "填报项",
        "Field",
        choices=LazyChoices(field_choices),
        required=True,
        help_zh="该指标的填报项名称（见下拉列表）或英文键",
    ),
    Column(
        "org_unit", "单位代码", "Unit code", TEXT, required=True, help_zh="区6位、街道9位或社区12位"
    ),
    Column("year", "年度", "Year", INT, required=True, help_zh="2023 年起，不能是将来的年度"),
    Column(
        "value",
        "数值",
        "Value",
        TEXT,
        required=True,
        help_zh="数字，不能为负；占比填 0 到 1 的小数或百分数（如 85%）",
    ),
    Column("note", "说明", "Note", TEXT, help_zh="数据来源或口径说明，最多500字"),
    # Written by the export so a file re-imports; ignored on import.
    Column("status", "审核状态", "Status", TEXT, help_zh="导出时附带，导入时忽略，可留空"),
    Column("review_reason", "审核意见", "Review note", TEXT, help_zh="导出时附带，导入时忽略"),
    Column("updated", "更新日期", "Updated", TEXT, help_zh="导出时附带，导入时忽略"),
)
IGNORED = ("status", "review_reason", "updated")


@register_importer
class ReportedFigureImporter(Importer):
    name = "reported_figures"
    title_zh = "统计填报"
    title_en = "Reported figures"
    columns = COLUMNS
    key_columns = ("indicator_id", "field_key", "org_unit", "year")
    description_zh = (
        "每行一个单位一个年度的一项填报数值；导入后为“待审核”，由上级单位审核通过后计入评估。"
        "已通过的数值改动后重新进入审核；数值和说明都相同的行不作改动。"
    )

    def __init__(self) -> None:
        self.units: dict[str, OrgUnit | None] = {}
        # (indicator, field, unit id, year) -> value, for the rules between two figures.
        self.batch: dict[tuple[str, str, int, int], Decimal] = {}

    def _unit(self, code: str) -> OrgUnit | None:
        if code not in self.units:
            self.units[code] = OrgUnit.objects.filter(code=code).first()
        return self.units[code]

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        for key in IGNORED:
            row.pop(key, None)
        unit = self._unit(row["org_unit"])
        if unit is None:
            raise FieldErrors({"org_unit": [_("单位代码 %(c)s 不存在") % {"c": row["org_unit"]}]})
        if not viewer_scope(viewer).can_write_path(unit.path):
            raise FieldErrors(
                {"org_unit": [_("单位 %(name)s 不在您的管辖范围内") % {"name": unit.name_zh}]}
            )
        indicator = catalogue.get_indicator(row["indicator_id"])
        field = find_field(indicator, row["field_key"]) if indicator is not None else None
        indicator, field, amount = reported_figure_check(
            actor=viewer,
            indicator_id=row["indicator_id"],
            field_key=field.key if field is not None else row["field_key"],
            org_unit=unit,
            year=row["year"],
            value=row["value"],
            batch=self.batch,
            stored_counterparts=False,
        )
        row.update(indicator_id=indicator.id, field_key=field.key, value=amount, _unit=unit)
        self.batch[(indicator.id, field.key, unit.pk, row["year"])] = amount
        return row

    def natural_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return (row.get("indicator_id"), row.get("field_key"), row.get("org_unit"), row.get("year"))

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _figure, outcome = reported_figure_submit(
            actor=actor,
            indicator_id=row["indicator_id"],
            field_key=row["field_key"],
            org_unit=row["_unit"],
            year=row["year"],
            value=row["value"],
            note=row["note"],
            request=request,
            batch=self.batch,
        )
        return outcome
