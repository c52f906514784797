"""The column reference in docs/spreadsheets.md, generated from the importer and exporter
registries, so the document cannot drift from the code: ``manage.py spreadsheets_columns
--write docs/spreadsheets.md`` rewrites the part between the markers, and a test
(``test_docs_columns``) fails when it is out of date."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.utils import translation

from culture.spreadsheets.framework import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    EXPORTERS,
    IMPORTERS,
    INT,
    TEXT,
    Column,
)

BEGIN = "<!-- columns:begin (generated: manage.py spreadsheets_columns --write; do not edit) -->"
END = "<!-- columns:end -->"
TYPE_WORDS = {
    TEXT: "text",
    INT: "whole number",
    DECIMAL: "number",
    BOOL: "是/否 (yes/no)",
    DATE: "date (2024-03-01)",
    CHOICE: "one of the values",
}
MAX_LISTED = 30  # longer choice lists are cut (the template's 选项 sheet has them all)


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _notes(column: Column) -> str:
    parts = []
    if column.type == CHOICE:
        labels = column.choice_labels_zh()
        labels = [label for label in labels if label] or labels
        shown = " / ".join(labels[:MAX_LISTED])
        if len(labels) > MAX_LISTED:
            shown += f" / ... ({len(labels)} in all)"
        parts.append(shown)
    if column.help_zh:
        parts.append(column.help_zh)
    return _cell("; ".join(parts))


def _table(columns: Sequence[Column]) -> list[str]:
    lines = [
        "| header | key | English header | type | required | values, notes |",
        "|---|---|---|---|---|---|",
    ]
    for c in columns:
        lines.append(
            f"| {_cell(c.header_zh)} | `{c.key}` | {_cell(c.header_en)} | {TYPE_WORDS[c.type]} "
            f"| {'yes' if c.required else ''} | {_notes(c)} |"
        )
    return lines


def _keys(columns: Sequence[Column]) -> tuple[tuple[str, str], ...]:
    return tuple((c.key, c.header_zh) for c in columns)


def columns_reference() -> str:
    """The Markdown of every registered importer's columns, then the exports that have no
    importer (or other columns)."""
    lines: list[str] = []
    with translation.override("zh-hans"):
        for name, imp in sorted(IMPORTERS.items()):
            lines += ["", f"### {imp.title_zh} · {imp.title_en} (`{name}`)", ""]
            if imp.description_zh:
                lines += [_cell(imp.description_zh), ""]
            by_key = {c.key: c for c in imp.columns}
            keys = imp.key_columns or (imp.columns[0].key,)
            lines.append(
                "Rows are matched on: "
                + " + ".join(_cell(by_key[k].header_zh) for k in keys if k in by_key)
                + "."
            )
            exp = EXPORTERS.get(name)
            if exp is not None and _keys(exp.columns) == _keys(imp.columns):
                lines[-1] += " The export has the same columns."
            if imp.accepts_marc:
                lines += [
                    "",
                    "Also takes MARC files (ISO 2709, MARC21 or CNMARC; .mrc, .iso, .marc): the "
                    "fields of each record fill these columns, one row per copy, and the error "
                    "report's row is the record's position in the file.",
                ]
            lines += ["", *_table(imp.columns)]
        others = [
            (name, exp)
            for name, exp in sorted(EXPORTERS.items())
            if name not in IMPORTERS or _keys(exp.columns) != _keys(IMPORTERS[name].columns)
        ]
        if others:
            lines += ["", "### Exports without a matching importer"]
        for name, exp in others:
            lines += ["", f"#### {exp.title_zh} · {exp.title_en} (`{name}`, export only)", ""]
            lines += _table(exp.columns)
    return "\n".join(lines).strip() + "\n"


def with_reference(document: str) -> str:
    """``document`` with the generated reference between its markers."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN!r} and {END!r} are missing")
    return document[: start + len(BEGIN)] + "\n\n" + columns_reference() + "\n" + document[end:]


def write_reference(path: Path) -> bool:
    """Rewrite the reference in the file at ``path``; True if it changed."""
    old = path.read_text(encoding="utf-8")
    new = with_reference(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
