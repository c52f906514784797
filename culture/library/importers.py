"""Spreadsheet import of the library catalogue (titles, keyed by 记录号) and of its copies (keyed
by 条码号), through the one framework (culture.spreadsheets). Every row is checked by the same
rules as the services (``title_check``, ``copy_check``) before anything is saved; the services
keep the search index. MARC records are imported by culture.library.marc.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.core.errors import FieldErrors, OutOfScope
from culture.core.scope import viewer_scope
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
