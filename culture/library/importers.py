"""Spreadsheet import of the library catalogue (titles, keyed by 记录号) and of its copies (keyed
by 条码号), through the one framework (culture.spreadsheets). Every row is checked by the same
rules as the services (``title_check``, ``copy_check``) before anything is saved; the services
keep the search index. MARC files (ISO 2709, MARC21/CNMARC) are a third upload format: the
``library_marc`` importer below reads titles and copies from them (mapping in culture.library.marc).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.core.errors import FieldErrors, OutOfScope
from culture.core.scope import viewer_scope
from culture.library.marc import CNMARC, MARC21, TITLE_KEYS, marc_rows
from culture.library.models import Copy, ItemType, Title
from culture.library.services.catalogue import (
    clean_isbn,
    copy_check,
    copy_upsert,
    title_check,
    title_upsert,
)
from culture.library.services.common import normalise_barcode
from culture.spreadsheets.framework import DATE, INT, TEXT, Column, Importer, register_importer
from culture.venues.access import can_write
from culture.venues.models import Venue

TITLE_COLUMNS = (
    Column("source_id", "记录号", "Record number", TEXT, required=True,
           help_zh="书目在原系统中的编号（MARC 001）；重复导入按记录号更新"),
    Column("isbn", "ISBN", "ISBN", TEXT, validator=clean_isbn,
           help_zh="10 位或 13 位，可带连字符；保存为 13 位"),
    Column("title", "题名", "Title", TEXT, required=True),
    Column("author", "责任者", "Author", TEXT),
    Column("publisher", "出版者", "Publisher", TEXT),
    Column("pub_year", "出版年", "Year published", INT),
    Column("clc", "中图分类号", "CLC number", TEXT, help_zh="《中国图书馆分类法》分类号，如 I247.55"),
    Column("subject", "主题词", "Subject", TEXT),
)  # fmt: skip

COPY_COLUMNS = (
    Column("barcode", "条码号", "Barcode", TEXT, required=True, validator=normalise_barcode,
           help_zh="唯一；空格忽略，字母不分大小写；重复导入按条码号更新"),
    Column("source_id", "记录号", "Record number", TEXT, required=True,
           help_zh="所属书目的记录号（须已导入）"),
    Column("venue_code", "所属馆", "Home branch", TEXT, required=True,
           help_zh="所属图书馆、分馆、城市书房或阅览室的场馆编码"),
    Column("item_type", "文献类型", "Item type", choices=ItemType),
    Column("call_number", "索书号", "Call number", TEXT),
    Column("acquired_on", "入藏日期", "Date acquired", DATE),
)  # fmt: skip


def _blank_to_none(row: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """An empty optional cell keeps the stored value (the framework's rule)."""
    return {k: (None if row.get(k) in ("", None) else row[k]) for k in keys}


@register_importer
class TitleImporter(Importer):
    name = "library_titles"
    title_zh = "图书书目"
    title_en = "Library catalogue"
    description_zh = (
        "按记录号新增或更新书目（全区总分馆共用一个书目库），保存时更新检索索引。"
        "ISBN 须校验正确；可选列留空表示保持原值。"
    )
    columns = TITLE_COLUMNS
    key_columns = ("source_id",)

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        """The catalogue is shared by every branch: district-wide staff who write."""
        scope = viewer_scope(viewer)
        return scope.is_staff_user and scope.writes_all

    @classmethod
    def require_allowed(cls, viewer: Any) -> None:
        if cls.allowed(viewer):
            return
        super().require_allowed(viewer)
        raise OutOfScope(gettext_lazy("书目由全区共用，只有区级工作人员可以导入"))

    def _fields(self, row: dict[str, Any]) -> dict[str, Any]:
        return _blank_to_none(
            row, ("isbn", "title", "author", "publisher", "pub_year", "clc", "subject")
        )

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        fields = ("isbn", "title", "author", "publisher", "pub_year", "clc", "subject")
        stored = dict(
            Title.objects.filter(source_id=row["source_id"]).values(*fields).first() or {}
        )
        given = {k: v for k, v in self._fields(row).items() if v is not None}
        title_check(**{**stored, **given})
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _title, outcome = title_upsert(
            actor=actor, source_id=row["source_id"], request=request, **self._fields(row)
        )
        return outcome


@register_importer
class CopyImporter(Importer):
    name = "library_copies"
    title_zh = "图书馆藏（复本）"
    title_en = "Library copies"
    description_zh = (
        "按条码号新增或更新馆藏；书目须已导入，所属馆须是您可管理的图书馆、分馆、城市书房或"
        "阅览室。新馆藏在所属馆在架；借阅状态和所在馆不由导入修改。"
    )
    columns = COPY_COLUMNS
    key_columns = ("barcode",)

    def __init__(self) -> None:
        self.titles: dict[str, Title | None] = {}
        self.venues: dict[str, Venue | None] = {}

    def _title(self, source_id: str) -> Title | None:
        if source_id not in self.titles:
            self.titles[source_id] = Title.objects.filter(source_id=source_id).first()
        return self.titles[source_id]

    def _venue(self, code: str) -> Venue | None:
        if code not in self.venues:
            self.venues[code] = (
                Venue.objects.select_related("operator_unit").filter(code=code).first()
            )
        return self.venues[code]

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        title = self._title(row["source_id"])
        branch = self._venue(row["venue_code"])
        errors: dict[str, list[Any]] = {}
        if title is None:
            errors["source_id"] = [
                _("没有记录号为 %(id)s 的书目（请先导入书目）") % {"id": row["source_id"]}
            ]
        if branch is None:
            errors["venue_code"] = [_("没有编码为 %(code)s 的场馆") % {"code": row["venue_code"]}]
        try:
            code = copy_check(
                barcode=row["barcode"], title=title, home_branch=branch, item_type=None
            )
        except FieldErrors as exc:
            if "home_branch" in exc.errors and branch is not None:
                errors["venue_code"] = exc.errors["home_branch"]
            if "barcode" in exc.errors:
                errors["barcode"] = exc.errors["barcode"]
        else:
            assert branch is not None
            if not can_write(viewer, branch):
                errors["venue_code"] = [_("不在您的管辖范围内")]
            existing = Copy.objects.select_related("home_branch__operator_unit").filter(
                barcode=code
            )
            copy = existing.first()
            if copy is not None and not can_write(viewer, copy.home_branch):
                errors["barcode"] = [_("该条码号的馆藏属于您无权管理的场馆")]
        if errors:
            raise FieldErrors(errors)
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        title = self._title(row["source_id"])
        branch = self._venue(row["venue_code"])
        assert title is not None and branch is not None  # checked in validate_row
        _copy, outcome = copy_upsert(
            actor=actor,
            barcode=row["barcode"],
            title=title,
            home_branch=branch,
            request=request,
            **_blank_to_none(row, ("item_type", "call_number", "acquired_on")),
        )
        return outcome


MARC_COLUMNS = (
    Column("record_no", "记录序号", "Record position", INT, required=True,
           help_zh="记录在 MARC 文件中的位置（第几条），由文件自动得出"),
    Column("marc_format", "MARC 格式", "MARC format", TEXT,
           help_zh="有 245 字段为 MARC21，有 200 字段为 CNMARC"),
    Column("source_id", "记录号（001）", "Record number (001)", TEXT, required=True,
           help_zh="001 字段；重复导入按记录号更新书目"),
    Column("isbn", "ISBN（020/010 $a）", "ISBN (020/010 $a)", TEXT),
    Column("title", "题名（245/200）", "Title (245/200)", TEXT),
    Column("author", "责任者（100/200 $f）", "Author (100/200 $f)", TEXT),
    Column("publisher", "出版者（264/210）", "Publisher (264/210)", TEXT),
    Column("pub_year", "出版年（264/210）", "Year published (264/210)", INT),
    Column("clc", "中图分类号（093/690）", "CLC number (093/690)", TEXT),
    Column("subject", "主题词（650/606）", "Subject (650/606)", TEXT),
    Column("barcode", "条码号（952/852 $p、905 $b）", "Barcode (952/852 $p, 905 $b)", TEXT,
           validator=normalise_barcode, help_zh="每个馆藏字段一行；没有馆藏的记录只导入书目"),
    Column("call_number", "索书号（952 $o、852 $h、905 $d/$e）",
           "Call number (952 $o, 852 $h, 905 $d/$e)", TEXT),
    Column("venue_code", "所属馆（952/852/905 $a）", "Home branch (952/852/905 $a)", TEXT,
           help_zh="馆藏字段 $a 中的场馆编码；带馆藏而没有 $a 的记录不予导入"),
)  # fmt: skip

_OUTCOME_ORDER = ("created", "updated", "unchanged")


@register_importer
class MarcImporter(Importer):
    """Titles and their copies from a MARC file (ISO 2709, MARC21 or CNMARC), one row per copy."""

    name = "library_marc"
    title_zh = "MARC 书目与馆藏"
    title_en = "MARC records (catalogue and copies)"
    description_zh = (
        "上传 ISO 2709 格式的 MARC21 或 CNMARC 文件（.mrc/.iso/.marc）：按记录号（001）新增或更新"
        "书目，按条码号新增或更新馆藏；馆藏的所属馆取自馆藏字段（952/852/905）的 $a 场馆编码，"
        "带馆藏而没有 $a 的记录不予导入。任何一条记录有错误则全部不导入，错误报告按记录序号列出。"
    )
    columns = MARC_COLUMNS
    key_columns = ("record_no", "barcode")
    accepts_marc = True

    def __init__(self, branch: Venue | None = None) -> None:
        self.branch = branch  # import_marc --branch: every copy goes there
        self.venues: dict[str, Venue | None] = {}
        self.record_of_id: dict[str, int] = {}
        self.record_of_barcode: dict[str, int] = {}
        self.checked: set[int] = set()
        self.titles: dict[int, Title] = {}
        self.counts: dict[str, dict[str, int]] = {
            "titles": dict.fromkeys(_OUTCOME_ORDER, 0),
            "copies": dict.fromkeys(_OUTCOME_ORDER, 0),
        }

    @classmethod
    def marc_rows(cls, record: Any, number: int) -> list[dict[str, Any]]:
        return marc_rows(record, number)

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        return TitleImporter.allowed(viewer)

    @classmethod
    def require_allowed(cls, viewer: Any) -> None:
        TitleImporter.require_allowed(viewer)

    def _venue(self, code: str) -> Venue | None:
        if self.branch is not None:
            return self.branch
        if code not in self.venues:
            self.venues[code] = (
                Venue.objects.select_related("operator_unit").filter(code=code).first()
            )
        return self.venues[code]

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        if row["marc_format"] not in (MARC21, CNMARC):
            raise FieldErrors(
                {"marc_format": [_("既没有 245（MARC21）也没有 200（CNMARC）题名字段")]}
            )
        number = row["record_no"]
        errors: dict[str, list[Any]] = {}
        if number not in self.checked:  # the title: once per record
            self.checked.add(number)
            first = self.record_of_id.setdefault(row["source_id"], number)
            if first != number:
                errors["source_id"] = [_("与第 %(n)d 条记录的记录号重复") % {"n": first}]
            try:
                title_check(**{k: row[k] for k in TITLE_KEYS})
            except FieldErrors as exc:
                for key, messages in exc.errors.items():
                    errors.setdefault(key, []).extend(messages)
        if row["barcode"]:
            self._validate_copy(row, viewer, errors)
        if errors:
            raise FieldErrors(errors)
        return row

    def _validate_copy(
        self, row: dict[str, Any], viewer: Any, errors: dict[str, list[Any]]
    ) -> None:
        code = row["barcode"]
        first = self.record_of_barcode.setdefault(code, row["record_no"])
        if first != row["record_no"]:
            errors.setdefault("barcode", []).append(
                _("条码号 %(code)s 与第 %(n)d 条记录重复") % {"code": code, "n": first}
            )
            return
        if self.branch is None and not row["venue_code"]:
            errors.setdefault("venue_code", []).append(_("记录带有馆藏，但没有指定所属馆"))
            return
        branch = self._venue(row["venue_code"])
        if branch is None:
            errors.setdefault("venue_code", []).append(
                _("没有编码为 %(code)s 的场馆") % {"code": row["venue_code"]}
            )
            return
        try:
            copy_check(barcode=code, title=Title(), home_branch=branch)
        except FieldErrors as exc:
            for key, target in (("home_branch", "venue_code"), ("barcode", "barcode")):
                errors.setdefault(target, []).extend(exc.errors.get(key, []))
            return
        if viewer is None or isinstance(viewer, str):  # a management command: no viewer scope
            return
        if not can_write(viewer, branch):
            errors.setdefault("venue_code", []).append(_("不在您的管辖范围内"))
        copy = (
            Copy.objects.select_related("home_branch__operator_unit").filter(barcode=code).first()
        )
        if copy is not None and not can_write(viewer, copy.home_branch):
            errors.setdefault("barcode", []).append(_("该条码号的馆藏属于您无权管理的场馆"))

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        outcomes = []
        number = row["record_no"]
        title = self.titles.get(number)
        if title is None:
            title, outcome = title_upsert(
                actor=actor,
                source_id=row["source_id"],
                request=request,
                **{k: row[k] for k in TITLE_KEYS},
            )
            self.titles[number] = title
            self.counts["titles"][outcome] += 1
            outcomes.append(outcome)
        if row["barcode"]:
            branch = self._venue(row["venue_code"])
            assert branch is not None  # checked in validate_row
            _copy, outcome = copy_upsert(
                actor=actor,
                barcode=row["barcode"],
                title=title,
                home_branch=branch,
                call_number=row["call_number"] or None,
                request=request,
            )
            self.counts["copies"][outcome] += 1
            outcomes.append(outcome)
        return next((o for o in _OUTCOME_ORDER if o in outcomes), "unchanged")
