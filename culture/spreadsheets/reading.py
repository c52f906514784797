"""Reading a checked upload into a header row and data rows (raw cell values).

xlsx through openpyxl in read-only mode (which parses with defusedxml); CSV decoded as UTF-8
(with or without BOM) and otherwise GB18030, a superset of GBK; comma or tab delimited.
Row numbers are those a user sees in Excel: the header is row 1.

A MARC file (ISO 2709, MARC21 or CNMARC; only for importers with ``accepts_marc``) is read with
pymarc; the importer's ``marc_rows(record)`` maps each record to rows (a library record gives one
row per copy), the headers are the importer's column headers, and a row's number is the record's
position in the file (record 1, 2, ...), which is what the error report shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from culture.spreadsheets.safety import (
    CSV,
    MARC,
    XLSX,
    MarcUnreadable,
    UnsafeFile,
    check_marc,
    decode_csv,
)

# Sheets of our templates that hold no data.
NON_DATA_SHEETS = {"说明", "选项", "instructions", "choices"}
ERROR_HEADER = "错误说明"  # the column the marked file adds; ignored when re-uploaded
MAX_COLUMNS = 256  # no importer has more; columns further right are not read
MAX_LEADING_BLANK_ROWS = 100
EXCEL_MAX_ROWS = 1_048_576


@dataclass
class Table:
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]  # (excel row number, raw values)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _collect(rows: Iterator[list[Any]]) -> Table:
    headers: list[Any] | None = None
    out: list[tuple[int, list[Any]]] = []
    limit = settings.SPREADSHEET_MAX_ROWS
    for number, values in enumerate(rows, start=1):
        if number > EXCEL_MAX_ROWS:
            raise UnsafeFile(_("文件超过 %(limit)d 行数据，请拆分后分批导入") % {"limit": limit})
        if headers is None:
            if all(_blank(v) for v in values):
                continue  # blank lines above the header
            headers = list(values)
            continue
        if all(_blank(v) for v in values):
            continue
        if len(out) >= limit:
            raise UnsafeFile(_("文件超过 %(limit)d 行数据，请拆分后分批导入") % {"limit": limit})
        out.append((number, list(values)))
    if headers is None:
        raise UnsafeFile(_("文件中没有找到表头行（第一行应为列名）"))
    return Table(headers, out)


def _sheet_rows(sheet: Any) -> Iterator[list[Any]]:
    """Rows as lists, only as wide as the header row: a cell planted in column XFD cannot make
    every row 16,384 cells long."""
    header_row, headers = 0, None
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
        if any(not _blank(v) for v in values):
            header_row, headers = number, list(values)
            break
        if number >= MAX_LEADING_BLANK_ROWS:
            break
    if headers is None:
        return
    width = max(i for i, v in enumerate(headers) if not _blank(v)) + 1
    for _blank_line in range(header_row - 1):
        yield []
    yield headers[:width]
    for values in sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True):
        yield list(values)


def read_xlsx(stream: Any) -> Table:
    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except UnsafeFile:
        raise
    except Exception as exc:  # openpyxl raises many types for broken files
        raise UnsafeFile(
            _("无法读取 Excel 文件：%(error)s") % {"error": type(exc).__name__}
        ) from None
    try:
        sheet = None
        for ws in workbook.worksheets:
            if ws.sheet_state != "visible" or ws.title.strip().lower() in NON_DATA_SHEETS:
                continue
            sheet = ws
            break
        if sheet is None:
            raise UnsafeFile(_("Excel 文件中没有数据工作表"))
        # reset_dimensions: files from some programs declare a wrong used range.
        sheet.reset_dimensions()
        return _collect(_sheet_rows(sheet))
    finally:
        workbook.close()


def read_csv(stream: Any) -> Table:
    stream.seek(0)
    text = decode_csv(stream.read())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _collect(reader)
    except csv.Error as exc:
        raise UnsafeFile(_("CSV 文件格式错误：%(error)s") % {"error": str(exc)}) from None


def read_marc(stream: Any, importer: Any) -> Table:
    """ISO 2709 records -> the importer's columns, one row per ``importer.marc_rows`` item."""
    from pymarc import MARCReader  # only MARC uploads need it

    stream.seek(0)
    data = stream.read()
    count = check_marc(data)  # well-formed records only reach pymarc
    limit = settings.SPREADSHEET_MAX_ROWS
    if count > limit:
        raise UnsafeFile(_("文件超过 %(limit)d 条记录，请拆分后分批导入") % {"limit": limit})
    keys = [c.key for c in importer.columns]
    rows: list[tuple[int, list[Any]]] = []
    reader = MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True, utf8_handling="strict")
    for number, record in enumerate(reader, start=1):
        if record is None:
            raise MarcUnreadable(
                _("第 %(n)d 条记录无法读取（目次区或字段不符合 ISO 2709，或不是 UTF-8 编码）")
                % {"n": number},
                number,
            )
        for values in importer.marc_rows(record, number):
            if len(rows) >= limit:
                raise UnsafeFile(
                    _("文件超过 %(limit)d 行数据，请拆分后分批导入") % {"limit": limit}
                )
            rows.append((number, [values.get(k) for k in keys]))
    return Table([c.header_zh for c in importer.columns], rows)


def read_table(stream: Any, kind: str, importer: Any = None) -> Table:
    if kind == XLSX:
        return read_xlsx(stream)
    if kind == CSV:
        return read_csv(stream)
    if kind == MARC and importer is not None and getattr(importer, "accepts_marc", False):
        return read_marc(stream, importer)
    raise ValueError(kind)
