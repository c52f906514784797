"""docs/spreadsheets.md lists every column of every importer: its reference part is generated
from the registry and must be up to date."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from culture.spreadsheets.docs import BEGIN, END, columns_reference, with_reference
from culture.spreadsheets.framework import EXPORTERS, IMPORTERS

DOC = Path(settings.BASE_DIR) / "docs" / "spreadsheets.md"


def test_the_document_is_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    assert with_reference(text) == text, (
        "docs/spreadsheets.md is out of date: run "
        "`manage.py spreadsheets_columns --write docs/spreadsheets.md`"
    )


def test_every_importer_and_column_is_in_the_document():
    text = DOC.read_text(encoding="utf-8")
    reference = text[text.index(BEGIN) : text.index(END)]
    assert len(IMPORTERS) >= 11  # venues, rooms, activities, teams, ... users, staff
    for name, importer in IMPORTERS.items():
        assert f"(`{name}`)" in reference, name
        for column in importer.columns:
            assert f"| {column.header_zh} | `{column.key}` |" in reference, (name, column.key)
    for name in EXPORTERS:
        assert f"(`{name}`" in reference, name


def test_the_command_prints_writes_and_checks(tmp_path):
    out = io.StringIO()
    call_command("spreadsheets_columns", stdout=out)
    assert out.getvalue() == columns_reference()
    assert "| 经度 | `lon` | Longitude | number | yes |" in out.getvalue()
    stale = tmp_path / "doc.md"
    stale.write_text(f"# Doc\n\n{BEGIN}\nold table\n{END}\n\nmore\n", encoding="utf-8")
    with pytest.raises(CommandError, match="out of date"):
        call_command("spreadsheets_columns", "--check", str(stale), stdout=io.StringIO())
    call_command("spreadsheets_columns", "--write", str(stale), stdout=io.StringIO())
    written = stale.read_text(encoding="utf-8")
    assert "old table" not in written and written.endswith(f"{END}\n\nmore\n")
    assert "### 场馆与空间 · Venues and spaces (`venues`)" in written
    call_command("spreadsheets_columns", "--check", str(stale), stdout=io.StringIO())
    (tmp_path / "bare.md").write_text("no markers", encoding="utf-8")
    with pytest.raises(CommandError, match="markers"):
        call_command("spreadsheets_columns", "--check", str(tmp_path / "bare.md"))
