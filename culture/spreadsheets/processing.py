"""Header matching and row validation: every row is checked before anything is saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from culture.core.errors import FieldErrors, OutOfScope, ServiceError
from culture.spreadsheets.framework import CellError, Column, Importer, normalize_header
from culture.spreadsheets.reading import ERROR_HEADER, Table

Progress = Callable[[int], None]


@dataclass
class Validated:
    headers: list[str]
    col_index: dict[str, int]  # column key -> position in the file
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def match_headers(
    importer: type[Importer], headers: list[Any]
) -> tuple[dict[str, int], list[CellError]]:
    """Map each column key to its position; unknown, duplicate and missing required columns are
    errors (reported against row 1)."""
    lookup: dict[str, Column] = {}
    for column in importer.columns:
        for name in column.header_names():
            lookup[name] = column
    positions: dict[str, int] = {}
    errors: list[CellError] = []
    ignored = {normalize_header(ERROR_HEADER)}
    for index, raw in enumerate(headers):
        name = normalize_header(raw)
        if not name or name in ignored:
            continue
        found = lookup.get(name)
        if found is None:
            errors.append(
                CellError(
                    1,
                    str(raw),
                    "",
                    raw,
                    _("未知的列“%(name)s”：请使用模板中的列名，或删除这一列") % {"name": raw},
                    index,
                )
            )
        elif found.key in positions:
            errors.append(
                CellError(
                    1,
                    str(raw),
                    found.key,
                    raw,
                    _("列“%(name)s”出现了两次") % {"name": found.header_zh},
                    index,
                )
            )
        else:
            positions[found.key] = index
    for column in importer.columns:
        if column.required and column.key not in positions:
            errors.append(
                CellError(
                    1,
                    column.header_zh,
                    column.key,
                    "",
                    _("缺少必填列“%(name)s”") % {"name": column.header_zh},
                )
            )
    return positions, errors


def _row_errors(
    exc: ServiceError,
    number: int,
    importer: Importer,
    raw_row: list[Any],
    positions: dict[str, int],
) -> list[CellError]:
    columns = importer.column_map()
    if isinstance(exc, FieldErrors):
        items: list[tuple[str | None, Any]] = [
            (k, m) for k, msgs in exc.errors.items() for m in msgs
        ]
    else:
        key = exc.field
        if key is None and isinstance(exc, OutOfScope):
            key = (importer.key_columns or (importer.columns[0].key,))[0]
        items = [(key, exc.message)]
    out = []
    for key, message in items:
        column = columns.get(key or "")
        if column is None or column.key not in positions:
            out.append(CellError(number, "", key or "", "", str(message)))
            continue
        index = positions[column.key]
        value = raw_row[index] if index < len(raw_row) else None
        out.append(CellError(number, column.header_zh, column.key, value, str(message), index))
    return out


def validate_table(
    importer: Importer, table: Table, *, viewer: Any, progress: Progress | None = None
) -> Validated:
    positions, header_errors = match_headers(type(importer), table.headers)
    result = Validated(
        [("" if h is None else str(h)) for h in table.headers], positions, errors=header_errors
    )
    if header_errors:
        return result
    seen: dict[tuple[Any, ...], int] = {}
    key_columns = importer.key_columns or (importer.columns[0].key,)
    for done, (number, raw_row) in enumerate(table.rows, start=1):
        row: dict[str, Any] = {}
        cell_errors = []
        for column in importer.columns:
            index = positions.get(column.key)
            raw = raw_row[index] if index is not None and index < len(raw_row) else None
            try:
                row[column.key] = column.convert(raw)
            except ServiceError as exc:
                cell_errors.append(
                    CellError(number, column.header_zh, column.key, raw, str(exc.message), index)
                )
        if not cell_errors:
            try:
                row = importer.validate_row(row, viewer=viewer)
            except ServiceError as exc:
                cell_errors.extend(_row_errors(exc, number, importer, raw_row, positions))
        if not any(e.key in key_columns for e in cell_errors):
            key = importer.natural_key(row)
            first = seen.get(key)
            if first is not None:
                k = key_columns[0]
                index = positions.get(k)
                column = importer.column_map()[k]
                cell_errors.append(
                    CellError(
                        number,
                        column.header_zh,
                        k,
                        raw_row[index] if index is not None and index < len(raw_row) else "",
                        _("与第 %(row)d 行重复") % {"row": first},
                        index,
                    )
                )
            else:
                seen[key] = number
        if cell_errors:
            result.errors.extend(cell_errors)
        else:
            result.rows.append((number, row))
        if progress is not None:
            progress(done)
    return result
