"""Properties every registered importer/exporter and every column type must have."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from culture.core.errors import ValidationFailed
from culture.spreadsheets.framework import (
    BOOL,
    DATE,
    DECIMAL,
    EXPORTERS,
    IMPORTERS,
    INT,
    TEXT,
    Column,
    escape_formula,
)
from culture.spreadsheets.processing import match_headers
from culture.spreadsheets.writing import template_workbook


def test_the_contracted_names_are_registered():
    assert {"org_units", "staff", "users"} <= set(IMPORTERS)
    assert {"org_units", "staff", "users"} <= set(EXPORTERS)


@pytest.mark.parametrize("name", sorted(set(IMPORTERS) & set(EXPORTERS)))
def test_an_export_has_the_columns_of_the_import_template(name):
    assert [c.key for c in EXPORTERS[name].columns] == [c.key for c in IMPORTERS[name].columns]
    assert [c.header_zh for c in EXPORTERS[name].columns] == [
        c.header_zh for c in IMPORTERS[name].columns
    ]


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_every_template_header_row_is_accepted(name):
    importer = IMPORTERS[name]
    data = load_workbook(io.BytesIO(template_workbook(importer))).worksheets[0]
    headers = [c.value for c in data[1]]
    positions, errors = match_headers(importer, headers)
    assert errors == []
    assert list(positions) == [c.key for c in importer.columns]


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_english_keys_are_accepted_as_headers(name):
    importer = IMPORTERS[name]
    positions, errors = match_headers(importer, [c.key for c in reversed(importer.columns)])
    assert errors == []
    assert positions[importer.columns[0].key] == len(importer.columns) - 1


@given(st.text(max_size=30))
def test_exported_text_never_starts_a_formula_and_imports_back_unchanged(text):
    column = Column("t", "文本", "Text", TEXT)
    cell = column.to_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    if text.strip() == text and text:
        assert column.convert(cell) == text


@pytest.mark.parametrize(
    ("type_", "raw", "expected"),
    [
        (INT, "1,234", 1234),
        (INT, 42.0, 42),
        (INT, " ４２ ", 42),  # full-width digits
        (DECIMAL, "0.125", Decimal("0.125")),
        (DECIMAL, 0.1, Decimal("0.1")),
        (BOOL, "是", True),
        (BOOL, "否", False),
        (BOOL, "Y", True),
        (DATE, "2024/3/1", date(2024, 3, 1)),
        (DATE, "2024年3月1日", date(2024, 3, 1)),
        (TEXT, 330105001.0, "330105001"),
        (TEXT, "'=1+1", "=1+1"),
    ],
)
def test_cell_conversion(type_, raw, expected):
    assert Column("k", "列", "Col", type_).convert(raw) == expected


@pytest.mark.parametrize(
    ("type_", "raw", "message"),
    [
        (INT, "1.5", "应为整数，不能有小数"),
        (INT, "abc", "应为整数"),
        (DECIMAL, "1,2x", "应为数字"),
        (DECIMAL, "NaN", "应为数字"),
        (BOOL, "也许", "应填写“是”或“否”"),
        (DATE, "2024-02-30", "日期格式应为 2024-03-01"),
    ],
)
def test_cell_conversion_errors(type_, raw, message):
    with pytest.raises(ValidationFailed) as caught:
        Column("k", "列", "Col", type_).convert(raw)
    assert str(caught.value.message) == message


def test_required_blank_cell():
    with pytest.raises(ValidationFailed) as caught:
        Column("k", "列", "Col", TEXT, required=True).convert("  ")
    assert str(caught.value.message) == "必填项不能为空"


def test_escape_formula_leaves_numbers_alone():
    assert escape_formula(-5) == -5
    assert escape_formula("-5") == "'-5"


def test_an_importer_that_accepts_marc_without_reading_it_is_refused_at_registration():
    """Its first MARC upload would otherwise fail on NotImplementedError (a 500)."""
    from culture.spreadsheets.framework import IMPORTERS, Column, Importer, register_importer

    class NoMarc(Importer):
        name = "test_no_marc_rows"
        accepts_marc = True
        columns = (Column("code", "编码", "Code"),)

    with pytest.raises(ValueError, match="no marc_rows"):
        register_importer(NoMarc)
    assert "test_no_marc_rows" not in IMPORTERS
    assert IMPORTERS["library_marc"].accepts_marc  # the real one registers
