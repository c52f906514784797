"""The one spreadsheet import/export framework every app uses (public API).

An app declares its importers and exporters in ``culture/<app>/importers.py`` and
``culture/<app>/exporters.py``; the spreadsheets app imports those modules when Django is ready.

Example::

    from culture.spreadsheets.framework import Column, Exporter, Importer, register_exporter, register_importer

    COLUMNS = [
        Column("code", "区划代码", "Code", "text", required=True),
        Column("population", "常住人口", "Population", "int"),
    ]

    @register_importer
    class UnitImporter(Importer):
        name = "org_units"
        title_zh = "组织单位"
        title_en = "Org units"
        columns = COLUMNS
        key_columns = ("code",)

        def validate_row(self, row, *, viewer):
            ...  # raise FieldErrors({"code": ["..."]}) or return the (possibly enriched) row
            return row

        def save_row(self, row, *, actor, request):
            unit, status = org_unit_upsert(actor=actor, request=request, **...)
            return status  # "created" | "updated" | "unchanged"

Rules the framework enforces (see docs/spreadsheets.md): the file is checked before parsing
(size, zip bombs, macros, renamed files, XML entities), every row is converted and validated
before anything is saved, and the rows are saved in one transaction or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.core.errors import FieldErrors, OutOfScope, ValidationFailed
from culture.core.scope import viewer_scope

# ----- column types ------------------------------------------------------------------------
TEXT = "text"
INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
DATE = "date"
CHOICE = "choice"
TYPES = (TEXT, INT, DECIMAL, BOOL, DATE, CHOICE)

TYPE_LABELS = {
    TEXT: gettext_lazy("文本"),
    INT: gettext_lazy("整数"),
    DECIMAL: gettext_lazy("数字"),
    BOOL: gettext_lazy("是/否"),
    DATE: gettext_lazy("日期（如 2024-03-01）"),
    CHOICE: gettext_lazy("从下拉列表中选择"),
}

TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "不"}

# Characters that make a spreadsheet program treat a cell as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def normalize_header(text: Any) -> str:
    """Header comparison: NFKC (full-width brackets = half-width), no spaces, case-insensitive,
    a trailing required marker ``*`` ignored."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip().rstrip("*").strip()
    return re.sub(r"\s+", "", value).lower()


def escape_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """Undo ``escape_formula`` so an exported file imports back to the same text."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _choice_pairs(choices: Any) -> list[tuple[str, Any]]:
    if choices is None:
        return []
    if hasattr(choices, "choices"):  # a TextChoices class
        choices = choices.choices
    pairs = []
    for item in choices:
        if isinstance(item, (tuple, list)):
            pairs.append((str(item[0]), item[1]))
        else:
            pairs.append((str(item), str(item)))
    return pairs


@dataclass
class Column:
    """One column of an importer/exporter.

    ``type``: "text", "int", "decimal", "bool", "date" or "choice". ``choices``: a TextChoices
    class or ``(value, label)`` pairs; the file holds the Chinese label (the value and the English
    label are accepted too). ``validator``: ``f(value) -> value`` raising ``ValidationFailed``.
    """

    key: str
    header_zh: str
    header_en: str
    type: str = TEXT
    required: bool = False
    choices: Any = None
    help_zh: str = ""
    validator: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.choices is not None and self.type == TEXT:
            self.type = CHOICE
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r} for column {self.key!r}")

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])

    # ----- choices -----------------------------------------------------------------------
    def choice_pairs(self) -> list[tuple[str, Any]]:
        return _choice_pairs(self.choices)

    def choice_labels_zh(self) -> list[str]:
        with translation.override("zh-hans"):
            return [str(label) for _v, label in self.choice_pairs()]

    def label_for(self, value: Any) -> str:
        """The Chinese label of a stored choice value (what exports write)."""
        with translation.override("zh-hans"):
            for v, label in self.choice_pairs():
                if v == str(value):
                    return str(label)
        return "" if value is None else str(value)

    def header_names(self) -> set[str]:
        return {
            normalize_header(self.header_zh),
            normalize_header(self.header_en),
            normalize_header(self.key),
        }

    # ----- conversion --------------------------------------------------------------------
    def is_blank(self, raw: Any) -> bool:
        return raw is None or (isinstance(raw, str) and not raw.strip())

    def convert(self, raw: Any) -> Any:
        """Raw cell value (text from CSV, typed from xlsx) -> Python value. Raises ValidationFailed."""
        if self.is_blank(raw):
            if self.required:
                raise ValidationFailed(_("必填项不能为空"), field=self.key)
            value: Any = "" if self.type == TEXT else None
        else:
            value = getattr(self, f"_to_{self.type}")(raw)
        if self.validator is not None and not (value is None or value == ""):
            value = self.validator(value)
        return value

    def _to_text(self, raw: Any) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, datetime):
            raw = raw.date() if raw.time() == datetime.min.time() else raw
        if isinstance(raw, date):
            return raw.isoformat()
        return unescape_formula(str(raw).strip())

    def _to_int(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValidationFailed(_("应为整数"), field=self.key)
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float):
            if raw.is_integer():
                return int(raw)
            raise ValidationFailed(_("应为整数，不能有小数"), field=self.key)
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed(_("应为整数"), field=self.key) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationFailed(_("应为整数，不能有小数"), field=self.key)
        return int(number)

    def _to_decimal(self, raw: Any) -> Decimal:
        if isinstance(raw, bool):
            raise ValidationFailed(_("应为数字"), field=self.key)
        text = raw if isinstance(raw, str) else repr(raw) if isinstance(raw, float) else str(raw)
        text = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationFailed(_("应为数字"), field=self.key) from None
        if not number.is_finite():
            raise ValidationFailed(_("应为数字"), field=self.key)
        return number

    def _to_bool(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = unicodedata.normalize("NFKC", str(raw)).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValidationFailed(_("应填写“是”或“否”"), field=self.key)

    def _to_date(self, raw: Any) -> date:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        raise ValidationFailed(_("日期格式应为 2024-03-01"), field=self.key)

    def choice_lookup(self) -> dict[str, str]:
        """Normalised name -> value: the value, the Chinese and the English label, and a label
        without its bracketed note ("GCJ-02" for "GCJ-02（高德/腾讯地图）") when no other choice
        has that short name."""
        lookup: dict[str, str] = {}
        short: dict[str, set[str]] = {}
        for value, label in self.choice_pairs():
            names = [normalize_header(value)]
            for lang in ("zh-hans", "en"):
                with translation.override(lang):
                    names.append(normalize_header(str(label)))
            for name in names:
                lookup.setdefault(name, value)
                bare = re.sub(r"\([^)]*\)", "", name)
                if bare and bare != name:
                    short.setdefault(bare, set()).add(value)
        for bare, values in short.items():
            if len(values) == 1 and bare not in lookup:
                lookup[bare] = values.pop()
        return lookup

    def _to_choice(self, raw: Any) -> str:
        text = normalize_header(self._to_text(raw))
        value = self.choice_lookup().get(text)
        if value is not None:
            return value
        raise ValidationFailed(
            _("应为以下之一：%(choices)s") % {"choices": "、".join(self.choice_labels_zh())},
            field=self.key,
        )

    # ----- output ------------------------------------------------------------------------
    def to_cell(self, value: Any) -> Any:
        """Python value -> what an export writes (choices as Chinese labels, bools as 是/否)."""
        if value is None:
            return ""
        if self.type == CHOICE:
            return escape_formula(self.label_for(value))
        if isinstance(value, bool) or self.type == BOOL:
            return _("是") if value else _("否")
        if isinstance(value, datetime):
            return (
                timezone.localtime(value).replace(tzinfo=None)
                if timezone.is_aware(value)
                else value
            )
        if isinstance(value, (int, Decimal, float, date)):
            return value
        return escape_formula(str(value))


# ----- importers ---------------------------------------------------------------------------
class Importer:
    """Base class. One instance is made per import run, so ``validate_row`` may remember the rows
    it has seen (e.g. a parent created earlier in the same file)."""

    name: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    columns: ClassVar[Sequence[Column]] = ()
    # Columns that identify a row (duplicates inside a file are errors); default: the first.
    key_columns: ClassVar[Sequence[str]] = ()
    description_zh: ClassVar[str] = ""
    do_not_call_in_templates: ClassVar[bool] = True  # templates receive the class
    # Also takes ISO 2709 (MARC21/CNMARC) files: then ``marc_rows`` maps a pymarc record to
    # rows (dicts keyed by column key, raw values) and the file is checked and read as MARC.
    accepts_marc: ClassVar[bool] = False

    @classmethod
    def marc_rows(cls, record: Any, number: int) -> list[dict[str, Any]]:
        raise NotImplementedError(f"{cls.__name__}.marc_rows")

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        """May ``viewer`` use this importer at all? (Row-level scope is in ``validate_row``.)"""
        scope = viewer_scope(viewer)
        return scope.is_staff_user and not scope.is_read_only

    @classmethod
    def require_allowed(cls, viewer: Any) -> None:
        scope = viewer_scope(viewer)
        if scope.is_staff_user and scope.is_read_only:
            raise OutOfScope(gettext_lazy("您的角色只能查看，不能导入数据"))
        if not cls.allowed(viewer):
            raise OutOfScope(gettext_lazy("您的角色无权使用此导入"))

    @classmethod
    def title(cls) -> str:
        if (translation.get_language() or "").startswith("en") and cls.title_en:
            return cls.title_en
        return cls.title_zh

    @classmethod
    def column_map(cls) -> dict[str, Column]:
        return {c.key: c for c in cls.columns}

    def natural_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        keys = self.key_columns or (self.columns[0].key,)
        return tuple(row.get(k) for k in keys)

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        raise NotImplementedError(f"{type(self).__name__}.save_row")


# ----- exporters ---------------------------------------------------------------------------
class Exporter:
    """Base class: ``rows`` yields dicts keyed by column key, already limited to the viewer's
    scope; the base writes xlsx/csv with formula-injection escaping (culture.spreadsheets.writing)."""

    name: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    columns: ClassVar[Sequence[Column]] = ()
    do_not_call_in_templates: ClassVar[bool] = True  # templates receive the class

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        return viewer_scope(viewer).is_staff_user

    @classmethod
    def require_allowed(cls, viewer: Any) -> None:
        if not cls.allowed(viewer):
            raise OutOfScope(gettext_lazy("您的角色无权导出此数据"))

    @classmethod
    def title(cls) -> str:
        if (translation.get_language() or "").startswith("en") and cls.title_en:
            return cls.title_en
        return cls.title_zh

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterable[dict[str, Any]]:
        raise NotImplementedError(f"{type(self).__name__}.rows")

    def cells(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[list[Any]]:
        for row in self.rows(viewer=viewer, filters=filters):
            yield [c.to_cell(row.get(c.key)) for c in self.columns]


# ----- registries --------------------------------------------------------------------------
IMPORTERS: dict[str, type[Importer]] = {}
EXPORTERS: dict[str, type[Exporter]] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.accepts_marc and cls.marc_rows.__func__ is Importer.marc_rows.__func__:  # type: ignore[attr-defined]
        # Said when the app loads, not on the first MARC upload.
        raise ValueError(f"{cls.__name__} accepts MARC files but has no marc_rows")
    existing = IMPORTERS.get(cls.name)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"importer name {cls.name!r} is used twice")
    IMPORTERS[cls.name] = cls
    return cls


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    existing = EXPORTERS.get(cls.name)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise ValueError(f"exporter name {cls.name!r} is used twice")
    EXPORTERS[cls.name] = cls
    return cls


def get_importer(name: str) -> type[Importer] | None:
    return IMPORTERS.get(name)


def get_exporter(name: str) -> type[Exporter] | None:
    return EXPORTERS.get(name)


def importers_for(viewer: Any) -> list[type[Importer]]:
    return [cls for _n, cls in sorted(IMPORTERS.items()) if cls.allowed(viewer)]


def exporters_for(viewer: Any) -> list[type[Exporter]]:
    return [cls for _n, cls in sorted(EXPORTERS.items()) if cls.allowed(viewer)]


@dataclass
class CellError:
    """One problem found in an upload; ``row`` is the Excel row number (header = 1)."""

    row: int | None
    column: str  # the header as the user sees it ("" for a whole-row or file problem)
    key: str
    value: Any
    reason: str
    col_index: int | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "key": self.key,
            "value": "" if self.value is None else str(self.value)[:200],
            "reason": self.reason,
            "col_index": self.col_index,
        }


__all__ = [
    "BOOL",
    "CHOICE",
    "DATE",
    "DECIMAL",
    "EXPORTERS",
    "IMPORTERS",
    "INT",
    "TEXT",
    "CellError",
    "Column",
    "Exporter",
    "FieldErrors",
    "Importer",
    "ValidationFailed",
    "escape_formula",
    "exporters_for",
    "get_exporter",
    "get_importer",
    "importers_for",
    "normalize_header",
    "register_exporter",
    "register_importer",
    "unescape_formula",
]
