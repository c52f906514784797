"""MARC import: ISO 2709 records (MARC21 or CNMARC) read with pymarc into titles and copies.

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
| copies | 952 $p barcode, $o call number (Koha); 852 $p, $h | 905 $b barcode, $d/$e call number |

The same all-or-nothing rule as spreadsheet imports: every record is read and checked first
(``title_check``, barcodes, duplicates in the file); if any record has a problem nothing is
saved and every problem is reported with its record number, field and reason. Otherwise all
titles and copies are saved in one transaction through ``title_upsert`` and ``copy_upsert``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from pymarc import MARCReader, Record

from culture.core.audit import audit_record
from culture.core.errors import FieldErrors, ValidationFailed
from culture.library.importers import TitleImporter
from culture.library.services.catalogue import (
    copy_upsert,
    title_check,
    title_upsert,
)
from culture.library.services.common import normalise_barcode
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


@dataclass
class MarcTitle:
    number: int
    format: str
    source_id: str
    fields: dict[str, Any]
    items: list[tuple[str, str]] = field(default_factory=list)  # (barcode, call number)


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


def _marc21(record: Record) -> tuple[dict[str, Any], list[tuple[str, str]]]:
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
    items = [(_first_of(f, "p"), _first_of(f, "o")) for f in record.get_fields("952")] + [
        (_first_of(f, "p"), _first_of(f, "h")) for f in record.get_fields("852")
    ]
    return fields, [i for i in items if i[0]]


def _cnmarc(record: Record) -> tuple[dict[str, Any], list[tuple[str, str]]]:
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
        items.append((_first_of(f, "b"), call))
    return fields, [i for i in items if i[0]]


def _first_of(f: Any, code: str) -> str:
    return next((_clean(v) for v in f.get_subfields(code) if _clean(v)), "")


def read_marc(data: bytes) -> tuple[list[MarcTitle], list[MarcError]]:
    """Every record of ``data`` as a title with its items, and the problems found."""
    titles: list[MarcTitle] = []
    errors: list[MarcError] = []
    reader = MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True, utf8_handling="strict")
    for number, record in enumerate(reader, start=1):
        if record is None:
            errors.append(MarcError(number, "", "", _("记录无法读取（不是有效的 ISO 2709 记录）")))
            continue
        source_id = _clean(record["001"].data if record.get("001") else "")
        if record.get_fields("245"):
            fmt, (fields, items) = MARC21, _marc21(record)
        elif record.get_fields("200"):
            fmt, (fields, items) = CNMARC, _cnmarc(record)
        else:
            errors.append(
                MarcError(
                    number, source_id, "", _("既没有 245（MARC21）也没有 200（CNMARC）题名字段")
                )
            )
            continue
        if not source_id:
            errors.append(MarcError(number, "", "001", _("缺少记录号")))
        titles.append(MarcTitle(number, fmt, source_id, fields, items))
    if not titles and not errors:
        errors.append(MarcError(0, "", "", _("文件中没有 MARC 记录")))
    return titles, errors


def _check(titles: list[MarcTitle], branch: Venue | None) -> list[MarcError]:
    errors: list[MarcError] = []
    first_of_id: dict[str, int] = {}
    first_of_barcode: dict[str, int] = {}
    for t in titles:
        tags = SOURCE_TAGS[t.format]
        if t.source_id:
            if t.source_id in first_of_id:
                errors.append(MarcError(t.number, t.source_id, "001", _(
                    "与第 %(n)d 条记录的记录号重复") % {"n": first_of_id[t.source_id]}))  # fmt: skip
            first_of_id.setdefault(t.source_id, t.number)
        try:
            title_check(**t.fields)
        except FieldErrors as exc:
            for key, messages in exc.errors.items():
                for message in messages:
                    errors.append(MarcError(t.number, t.source_id, tags.get(key, ""), str(message)))
        item_tag = "952/852" if t.format == MARC21 else "905"
        if t.items and branch is None:
            errors.append(
                MarcError(t.number, t.source_id, item_tag, _("记录带有馆藏，但没有指定所属馆"))
            )
        for barcode, _call in t.items:
            code = normalise_barcode(barcode)
            if code in first_of_barcode:
                errors.append(MarcError(t.number, t.source_id, item_tag, _(
                    "条码号 %(code)s 与第 %(n)d 条记录重复")
                    % {"code": code, "n": first_of_barcode[code]}))  # fmt: skip
            first_of_barcode.setdefault(code, t.number)
    return errors


def marc_import(
    *, actor: Any, data: bytes, branch: Venue | None = None, request: Any = None
) -> dict[str, dict[str, int]]:
    """Import every record of ``data`` (titles, and copies at ``branch`` from the records'
    holdings fields), all or nothing. Returns the counts ``{"titles": {...}, "copies": {...}}``
    of "created", "updated" and "unchanged". Raises MarcImportRefused listing every problem."""
    if actor is not None and not isinstance(actor, str):
        TitleImporter.require_allowed(actor)
    if branch is not None and branch.kind not in LIBRARY_KINDS:
        raise ValidationFailed(
            _("场馆“%(name)s”不是图书馆、分馆、城市书房或农家书屋/阅览室")
            % {"name": branch.name_zh},
            field="branch",
        )
    titles, errors = read_marc(data)
    errors += _check(titles, branch)
    if errors:
        raise MarcImportRefused(errors)
    counts: dict[str, dict[str, int]] = {
        "titles": dict.fromkeys(("created", "updated", "unchanged"), 0),
        "copies": dict.fromkeys(("created", "updated", "unchanged"), 0),
    }
    with transaction.atomic():
        for t in titles:
            title, outcome = title_upsert(
                actor=actor, source_id=t.source_id, request=request, **t.fields
            )
            counts["titles"][outcome] += 1
            for barcode, call_number in t.items:
                assert branch is not None  # checked in _check
                _copy, outcome = copy_upsert(
                    actor=actor,
                    barcode=barcode,
                    title=title,
                    home_branch=branch,
                    call_number=call_number or None,
                    request=request,
                )
                counts["copies"][outcome] += 1
        audit_record(
            actor=actor,
            action="library.marc_imported",
            target=branch,
            after={"records": len(titles), **{f"{k}_{o}": n for k, c in counts.items()
                                               for o, n in c.items()}},
            request=request,
        )  # fmt: skip
    return counts
