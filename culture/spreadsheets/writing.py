"""Writing workbooks: import templates, marked copies of bad uploads, and exports.

All text cells go through ``escape_formula`` so nothing we write runs as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from culture.spreadsheets.framework import (
    CHOICE,
    TYPE_LABELS,
    CellError,
    Column,
    Exporter,
    Importer,
    escape_formula,
)
from culture.spreadsheets.reading import ERROR_HEADER

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RED = PatternFill("solid", fgColor="FFC7CE")
HEADER_FILL = PatternFill("solid", fgColor="F0F2F5")
BOLD = Font(bold=True)
COMMENT_AUTHOR = "拱墅区公共文化服务平台"


def sheet_title(text: str) -> str:
    """Excel forbids []:*?/\\ in sheet names and allows 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", text or "")[:31] or "数据"


def _width(text: str) -> int:
    return min(40, max(10, sum(2 if ord(ch) > 127 else 1 for ch in text) + 4))


def template_workbook(importer: type[Importer]) -> bytes:
    """The import template: a data sheet with Chinese headers (each with a comment giving the
    English key and help), drop-downs for choice columns, and an instructions sheet 说明."""
    with translation.override("zh-hans"):
        wb = Workbook()
        data = wb.active
        data.title = sheet_title(importer.title_zh)
        choices_ws = None
        for index, column in enumerate(importer.columns, start=1):
            cell = data.cell(row=1, column=index, value=column.header_zh)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            note = f"{column.key} · {TYPE_LABELS[column.type]}" + (
                " · 必填" if column.required else ""
            )
            if column.help_zh:
                note += f"\n{column.help_zh}"
            cell.comment = Comment(note, COMMENT_AUTHOR, width=260, height=110)
            letter = get_column_letter(index)
            data.column_dimensions[letter].width = _width(column.header_zh)
            if column.type == CHOICE:
                if choices_ws is None:
                    choices_ws = wb.create_sheet("选项")
                    choices_ws.sheet_state = "hidden"
                labels = column.choice_labels_zh()
                for r, label in enumerate(labels, start=1):
                    choices_ws.cell(row=r, column=index, value=label)
                dv = DataValidation(
                    type="list",
                    formula1=f"'选项'!${letter}$1:${letter}${max(len(labels), 1)}",
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle="取值不正确",
                    error="请从下拉列表中选择",
                )
                dv.add(f"{letter}2:{letter}100000")
                data.add_data_validation(dv)
        data.freeze_panes = "A2"

        info = wb.create_sheet("说明")
        info.append([f"{importer.title_zh} 导入模板说明"])
        info["A1"].font = Font(bold=True, size=14)
        rules = [
            "在第一个工作表中从第 2 行起每行填写一条记录，不要修改第 1 行的列名（列的顺序可以调整）。",
            "文件中任何一行有错误时，整个文件都不会导入；请按错误报告修改后重新上传。",
            "按标识列更新已有记录、新增不存在的记录；重复上传同一文件不会产生重复数据。",
            "也可上传 CSV 文件（UTF-8 或 GBK 编码，逗号分隔），第一行为列名。",
        ]
        if importer.description_zh:
            rules.insert(0, importer.description_zh)
        for rule in rules:
            info.append([rule])
        info.append([])
        header = ["列名", "英文键", "类型", "是否必填", "允许的值", "说明"]
        info.append(header)
        for cell in info[info.max_row]:
            cell.font = BOLD
            cell.fill = HEADER_FILL
        for column in importer.columns:
            info.append(
                [
                    column.header_zh,
                    column.key,
                    str(TYPE_LABELS[column.type]),
                    "是" if column.required else "否",
                    "、".join(column.choice_labels_zh()) if column.type == CHOICE else "",
                    column.help_zh,
                ]
            )
        for letter, width in zip("ABCDEF", (22, 16, 22, 10, 30, 50), strict=True):
            info.column_dimensions[letter].width = width
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def _cell_value(value: Any) -> Any:
    return escape_formula(value) if isinstance(value, str) else value


def marked_workbook(
    headers: list[str], rows: list[tuple[int, list[Any]]], errors: list[CellError]
) -> bytes:
    """A copy of the upload with every bad cell filled red and commented with the reason, plus an
    error column. Written from the parsed values (CSV uploads become xlsx)."""
    by_cell: dict[tuple[int, int], list[str]] = {}
    by_row: dict[int, list[str]] = {}
    for e in errors:
        if e.row is None:
            continue
        by_row.setdefault(e.row, []).append(f"{e.column}：{e.reason}" if e.column else e.reason)
        if e.col_index is not None:
            by_cell.setdefault((e.row, e.col_index), []).append(e.reason)
    width = max([len(headers)] + [len(r) for _n, r in rows])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("数据"))
    for index in range(width + 1):
        ws.column_dimensions[get_column_letter(index + 1)].width = 16
    ws.column_dimensions[get_column_letter(width + 1)].width = 50

    def line(number: int, values: list[Any]) -> list[WriteOnlyCell]:
        cells = []
        for index in range(width):
            value = values[index] if index < len(values) else None
            cell = WriteOnlyCell(ws, value=_cell_value(value))
            if number == 1:
                cell.font = BOLD
            reasons = by_cell.get((number, index))
            if reasons:
                cell.fill = RED
                cell.comment = Comment("\n".join(reasons), COMMENT_AUTHOR, width=260, height=90)
            cells.append(cell)
        summary = WriteOnlyCell(ws, value=_cell_value("；".join(by_row.get(number, []))))
        summary.alignment = Alignment(wrap_text=True)
        if number == 1:
            summary.value = ERROR_HEADER
            summary.font = BOLD
            if by_row.get(1):
                summary.comment = Comment(
                    "\n".join(by_row[1]), COMMENT_AUTHOR, width=260, height=90
                )
        elif by_row.get(number):
            summary.fill = RED
        cells.append(summary)
        return cells

    ws.append(line(1, list(headers)))
    for number, values in rows:
        ws.append(line(number, values))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_xlsx(
    exporter: Exporter, *, columns: list[Column], cells: Iterator[list[Any]]
) -> tuple[bytes, int]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(exporter.title_zh))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _width(column.header_zh)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header_zh)
        cell.font = BOLD
        header.append(cell)
    ws.append(header)
    count = 0
    for values in cells:
        ws.append([_cell_value(v) for v in values])
        count += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv_lines(
    columns: list[Column], cells: Iterator[list[Any]], counter: list[int]
) -> Iterator[bytes]:
    """CSV in UTF-8 with BOM (Excel opens it correctly), streamed line by line."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow([c.header_zh for c in columns]).encode("utf-8")
    for values in cells:
        counter[0] += 1
        yield writer.writerow([_csv_value(v) for v in values]).encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)
