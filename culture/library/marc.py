"""MARC (ISO 2709, MARC21 or CNMARC) records as rows of the import framework.

A MARC file is a third upload format of culture.spreadsheets: the ``library_marc`` importer
(culture.library.importers.MarcImporter) accepts it, the framework's safety check walks the
records' leaders, its reader turns the records into a Table with ``marc_rows`` below (one row per
copy; a record without copies is one row without a barcode; the row number is the record's
position in the file), and the rows are validated and saved all or nothing like any spreadsheet.
``manage.py import_marc`` calls the same path through ``marc_import``.

The two formats put the same things in different fields; a record with a 245 is read as
MARC21, one with a 200 as CNMARC:

| what | MARC21 | CNMARC |
|---|---|---|
| record number | 001 | 001 |
| ISBN | 020 $a | 010 $a |
| title | 245 $a, $n (part number), $b/$p (other title, part name) | 200 $a, $h (part number), $e/$i |
| author | 100 $a, else 700 $a, else 245 $c | 200 $f, else 701/702 $a |
| publisher, year | 264 (or 260) $b, $c | 210 (or 214) $c, $d |
| CLC number | 093 $a, else 084 $a | 690 $a |
| subject | 650 $a | 606 $a |
| copies | 952 $p barcode, $o call number, $a home branch (Koha); 852 $p, $h, $a | 905 $b barcode, $d/$e call number, $a home branch |

The home branch of a copy is the venue code in its holdings field's $a; ``import_marc --branch``
puts every copy at that branch instead.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from pymarc import Record

from culture.core.audit import audit_record
from culture.core.errors import ValidationFailed
from culture.venues.models import LIBRARY_KINDS, Venue

MARC21 = "MARC21"
CNMARC = "CNMARC"
# Where each title field comes from, per format (for error messages).
SOURCE_TAGS = {
    MARC21: {"isbn": "020", "title": "245", "author": "100", "publisher": "264",
             "pub_year": "264", "clc": "093", "subject": "650"},
    CNMARC: {"isbn": "010", "title": "200", "author": "200", "publisher": "210",
             "pub_year": "210", "clc": "690", "subject": "606"},
}  # fmt: skip
ITEM_TAGS = {MARC21: "952/852", CNMARC: "905"}
TITLE_KEYS = ("isbn", "title", "author", "publisher", "pub_year", "clc", "subject")
_ISBD_END = " /:;,.=+"
_ISBN_TEXT = re.compile(r"[0-9][0-9Xx\- ]{8,16}[0-9Xx]")
_YEAR = re.compile(r"(1[0-9]{3}|20[0-9]{2})")


@dataclass
class MarcError:
    record: int  # 1-based position in the file
    source_id: str
    tag: str
    reason: str

    def __str__(self) -> str:
        where = _("第 %(n)d 条记录") % {"n": self.record}
        if self.source_id:
            where += f"（001 = {self.source_id}）"
        if self.tag:
            where += _("字段 %(tag)s") % {"tag": self.tag}
        return f"{where}：{self.reason}"


class MarcImportRefused(ValidationFailed):
    """Some records have problems; nothing was saved. ``errors`` lists each one."""

    def __init__(self, errors: list[MarcError]):
        super().__init__(
            _("%(n)d 处错误，没有导入任何记录：%(first)s")
            % {"n": len(errors), "first": str(errors[0])}
        )
        self.errors = errors


def _clean(value: str | None) -> str:
    return " ".join((value or "").split()).rstrip(_ISBD_END).strip()


def _first(record: Record, tags: tuple[str, ...], code: str) -> str:
    for tag in tags:
        for f in record.get_fields(tag):
            for value in f.get_subfields(code):
                if _clean(value):
                    return _clean(value)
    return ""


def _all(record: Record, tag: str, code: str) -> list[str]:
    return [_clean(v) for f in record.get_fields(tag) for v in f.get_subfields(code) if _clean(v)]


def _isbn(record: Record, tag: str) -> str:
    raw = _first(record, (tag,), "a")
    found = _ISBN_TEXT.search(raw)
    return found[0] if found else raw


def _year(text: str) -> int | None | str:
    if not text:
        return None
    found = _YEAR.search(text)
    return int(found[0]) if found else text  # text: title_check says what is wrong


def _title(record: Record, tag: str, part: str, others: tuple[str, ...]) -> str:
    f = record.get_fields(tag)[0]
    title = _clean(next(iter(f.get_subfields("a")), ""))
    title += "".join(_clean(v) for v in f.get_subfields(part))
    rest = [_clean(v) for v in f.get_subfields(*others) if _clean(v)]
    return "：".join([title, *rest]) if title else ""


Item = tuple[str, str, str]  # (barcode, call number, home branch code)


def _marc21(record: Record) -> tuple[dict[str, Any], list[Item]]:
    pub_tags = ("264", "260")
    fields = {
        "isbn": _isbn(record, "020"),
        "title": _title(record, "245", "n", ("b", "p")),
        "author": _first(record, ("100", "700"), "a") or _first(record, ("245",), "c"),
        "publisher": _first(record, pub_tags, "b"),
        "pub_year": _year(_first(record, pub_tags, "c")),
        "clc": _first(record, ("093", "084"), "a"),
        "subject": "；".join(_all(record, "650", "a")),
    }
    items = [
        (_first_of(f, "p"), _first_of(f, "o"), _first_of(f, "a")) for f in record.get_fields("952")
    ] + [
        (_first_of(f, "p"), _first_of(f, "h"), _first_of(f, "a")) for f in record.get_fields("852")
    ]
    return fields, [i for i in items if i[0]]


def _cnmarc(record: Record) -> tuple[dict[str, Any], list[Item]]:
    pub_tags = ("210", "214")
    fields = {
        "isbn": _isbn(record, "010"),
        "title": _title(record, "200", "h", ("e", "i")),
        "author": _first(record, ("200",), "f") or _first(record, ("701", "702"), "a"),
        "publisher": _first(record, pub_tags, "c"),
        "pub_year": _year(_first(record, pub_tags, "d")),
        "clc": _first(record, ("690",), "a"),
        "subject": "；".join(_all(record, "606", "a")),
    }
    items = []
    for f in record.get_fields("905"):
        call = "/".join(p for p in (_first_of(f, "d"), _first_of(f, "e")) if p)
        items.append((_first_of(f, "b"), call, _first_of(f, "a")))
    return fields, [i for i in items if i[0]]


def _first_of(f: Any, code: str) -> str:
    return next((_clean(v) for v in f.get_subfields(code) if _clean(v)), "")


def marc_rows(record: Record, number: int) -> list[dict[str, Any]]:
    """The import rows of one record (keys: the MarcImporter columns): one per copy, or one
    without a barcode when the record has no copies. A record with neither 245 nor 200 gives one
    row without a format, which the importer reports."""
    source_id = _clean(record["001"].data if record.get("001") else "")
    base: dict[str, Any] = {"record_no": number, "source_id": source_id, "marc_format": ""}
    if record.get_fields("245"):
        fmt, (fields, items) = MARC21, _marc21(record)
    elif record.get_fields("200"):
        fmt, (fields, items) = CNMARC, _cnmarc(record)
    else:
        return [base]
    base.update(fields, marc_format=fmt)
    if not items:
        return [base]
    return [
        {**base, "barcode": barcode, "call_number": call, "venue_code": branch}
        for barcode, call, branch in items
    ]


def marc_import(
    *, actor: Any, data: bytes, branch: Venue | None = None, request: Any = None
) -> dict[str, dict[str, int]]:
    """Import every record of ``data`` through the import framework (the ``library_marc``
    importer: the same checks, reading, validation and one-transaction save as an upload), with
    every copy at ``branch`` when given (else at its holdings field's $a), all or nothing.
    Returns the counts ``{"titles": {...}, "copies": {...}}`` of "created", "updated" and
    "unchanged". Raises MarcImportRefused listing every problem."""
    from culture.library.importers import MarcImporter
    from culture.spreadsheets.processing import validate_table
    from culture.spreadsheets.reading import read_marc
    from culture.spreadsheets.safety import MarcUnreadable, UnsafeFile
    from culture.spreadsheets.services import RowSaveFailed, import_rows_save

    if actor is not None and not isinstance(actor, str):
        MarcImporter.require_allowed(actor)
    if branch is not None and branch.kind not in LIBRARY_KINDS:
        raise ValidationFailed(
            _("场馆“%(name)s”不是图书馆、分馆、城市书房或农家书屋/阅览室")
            % {"name": branch.name_zh},
            field="branch",
        )
    try:
        table = read_marc(io.BytesIO(data), MarcImporter)
    except MarcUnreadable as exc:
        raise MarcImportRefused([MarcError(exc.record, "", "", str(exc.message))]) from None
    except UnsafeFile as exc:
        raise MarcImportRefused([MarcError(0, "", "", str(exc.message))]) from None
    importer = MarcImporter(branch=branch)
    result = validate_table(importer, table, viewer=actor)
    if not result.ok:
        raise MarcImportRefused(_marc_errors(result.errors, table))
    try:
        with transaction.atomic():
            import_rows_save(
                importer,
                result.rows,
                actor=actor,
                request=request,
                audit={"target": branch, "target_label": "import_marc"},
                audit_after={"importer": MarcImporter.name, "file": "import_marc"},
            )
            audit_record(
                actor=actor,
                action="library.marc_imported",
                target=branch,
                after={"records": len({n for n, _r in table.rows}),
                       **{f"{k}_{o}": n for k, c in importer.counts.items()
                          for o, n in c.items()}},
                request=request,
            )  # fmt: skip
    except RowSaveFailed as exc:
        raise MarcImportRefused([MarcError(exc.row, "", "", exc.reason)]) from None
    return importer.counts


def _marc_errors(errors: list[Any], table: Any) -> list[MarcError]:
    """The framework's cell errors as MarcErrors naming the record, its 001 and the MARC tag."""
    keys = [c.key for c in _importer_columns()]
    by_record: dict[int, tuple[str, str]] = {}
    for number, values in table.rows:
        row = dict(zip(keys, values, strict=False))
        by_record.setdefault(number, (row.get("source_id") or "", row.get("marc_format") or ""))
    out = []
    for e in errors:
        source_id, fmt = by_record.get(e.row or 0, ("", ""))
        if e.key == "source_id":
            tag = "001"
        elif e.key in ("barcode", "call_number", "venue_code"):
            tag = ITEM_TAGS.get(fmt, "")
        else:
            tag = SOURCE_TAGS.get(fmt, {}).get(e.key, "")
        out.append(MarcError(e.row or 0, str(source_id), tag, e.reason))
    return out


def _importer_columns() -> Any:
    from culture.library.importers import MarcImporter

    return MarcImporter.columns
