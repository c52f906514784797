"""Writes of the catalogue: titles (with their n-gram index) and copies.

``title_upsert`` keeps ``Title.search_text`` and the title's ``TitleGram`` rows in step with the
record on every write (culture.library.search says what they hold).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError as StdnumError

from culture.core.audit import audit_record
from culture.core.errors import FieldErrors, ValidationFailed
from culture.library.models import Copy, ItemType, Title, TitleGram
from culture.library.search import grams_of, title_search_text
from culture.library.services.common import normalise_barcode
from culture.standards.catalogue.types import POLICY_FIRST_YEAR
from culture.standards.refresh import request_evaluation
from culture.venues.models import LIBRARY_KINDS, Venue

TITLE_FIELDS = ("isbn", "title", "author", "publisher", "pub_year", "clc", "subject")
COPY_FIELDS = ("title_id", "item_type", "home_branch_id", "call_number", "acquired_on")


def clean_isbn(raw: Any) -> str:
    """An ISBN-10 or ISBN-13 (hyphens, spaces, full-width digits allowed) as ISBN-13 digits;
    blank stays blank. A wrong ISBN raises ValidationFailed on ``isbn``."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    if not text:
        return ""
    try:
        return stdnum_isbn.to_isbn13(stdnum_isbn.validate(text)).replace("-", "")
    except StdnumError:
        raise ValidationFailed(
            _("ISBN“%(isbn)s”无效（应为 10 位或 13 位且校验位正确）") % {"isbn": text},
            field="isbn",
        ) from None


def _clean_title(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}
    data: dict[str, Any] = {k: fields.get(k) for k in TITLE_FIELDS}
    for key in ("title", "author", "publisher", "clc", "subject"):
        data[key] = " ".join(str(data[key] or "").split())
    if not data["title"]:
        errors.setdefault("title", []).append(_("题名不能为空"))
    for key in ("title", "author", "publisher", "clc", "subject"):
        limit = getattr(Title._meta.get_field(key), "max_length", None)
        if limit and len(data[key]) > limit:
            errors.setdefault(key, []).append(_("不能超过 %(n)s 个字符") % {"n": limit})
    try:
        data["isbn"] = clean_isbn(data["isbn"])
    except ValidationFailed as exc:
        errors.setdefault("isbn", []).append(exc.message)
    year = data["pub_year"]
    if year in ("", None):
        data["pub_year"] = None
    elif not isinstance(year, int) or not 1000 <= year <= 2100:
        errors.setdefault("pub_year", []).append(_("出版年应为四位年份"))
    if errors:
        raise FieldErrors(errors)
    return data


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def title_check(**fields: Any) -> dict[str, Any]:
    """The cleaned fields of a title, or FieldErrors (what importers check before saving)."""
    return _clean_title(fields)


@transaction.atomic
def title_upsert(
    *, actor: Any, source_id: str, request: Any = None, **fields: Any
) -> tuple[Title, str]:
    """Create the title with ``source_id`` (记录号) or bring it up to date, with its n-gram index
    (a field given as ``None`` keeps the stored value; a new title has it blank). Returns the title and "created", "updated" or "unchanged". A bad ISBN or a blank title
    raises FieldErrors and nothing is saved."""
    source_id = " ".join(str(source_id or "").split())
    if not source_id:
        raise FieldErrors({"source_id": [_("记录号不能为空")]})
    title = Title.objects.select_for_update().filter(source_id=source_id).first()
    if title is not None:  # None keeps what is stored
        fields = {**{k: getattr(title, k) for k in TITLE_FIELDS}, **_given(fields)}
    data = _clean_title(fields)
    data["search_text"] = title_search_text(
        title=data["title"], author=data["author"], subject=data["subject"], isbn=data["isbn"]
    )
    if title is None:
        title = Title.objects.create(source_id=source_id, **data)
        outcome = "created"
        before = None
    else:
        before = {k: getattr(title, k) for k in TITLE_FIELDS}
        if (
            before == {k: data[k] for k in TITLE_FIELDS}
            and title.search_text == data["search_text"]
        ):
            return title, "unchanged"
        for key, value in data.items():
            setattr(title, key, value)
        title.save(update_fields=[*data, "updated_at"])
        TitleGram.objects.filter(title=title).delete()
        outcome = "updated"
    TitleGram.objects.bulk_create(
        [TitleGram(gram=g, title=title) for g in sorted(grams_of(title.search_text))]
    )
    audit_record(
        actor=actor,
        action=f"library.title_{outcome}",
        target=title,
        before=before,
        after={k: data[k] for k in TITLE_FIELDS},
        request=request,
    )
    return title, outcome


def copy_check(
    *, barcode: Any, title: Title | None, home_branch: Venue | None, item_type: Any = None
) -> str:
    """The normalised barcode, or FieldErrors for what is wrong with a copy's fields."""
    errors: dict[str, list[Any]] = {}
    code = normalise_barcode(barcode)
    if not code:
        errors["barcode"] = [_("条码号不能为空")]
    elif len(code) > getattr(Copy._meta.get_field("barcode"), "max_length", 32):
        errors["barcode"] = [_("条码号过长")]
    if title is None:
        errors["title"] = [_("书目不存在")]
    if home_branch is None:
        errors["home_branch"] = [_("所属馆不存在")]
    elif home_branch.kind not in LIBRARY_KINDS:
        errors["home_branch"] = [
            _("场馆“%(name)s”不是图书馆、分馆、城市书房或农家书屋/阅览室")
            % {"name": home_branch.name_zh}
        ]
    if item_type not in (None, "") and item_type not in ItemType.values:
        errors["item_type"] = [_("文献类型无效")]
    if errors:
        raise FieldErrors(errors)
    return code


@transaction.atomic
def stock_changed(*acquired: date | None) -> None:
    """The library's stock changed (S17): recompute the years from the earliest acquisition
    concerned to this one (an undated copy counts in every year). One request per year, however
    many copies an import writes (``request_evaluation`` does not enqueue a year twice)."""
    this_year = timezone.localdate().year
    known = [d.year for d in acquired if d is not None]
    first = min(known) if known and len(known) == len(acquired) else POLICY_FIRST_YEAR
    request_evaluation(years=range(max(first, POLICY_FIRST_YEAR), this_year + 1),
                       trigger="library")  # fmt: skip


def copy_upsert(
    *,
    actor: Any,
    barcode: str,
    title: Title,
    home_branch: Venue,
    item_type: str | None = None,
    call_number: str | None = None,
    acquired_on: date | None = None,
    request: Any = None,
) -> tuple[Copy, str]:
    """Create the copy with ``barcode`` (standing at its home branch) or update its catalogue
    fields (its status and where it stands now are circulation's, never changed here). ``None``
    for item type, call number or acquisition date keeps what is stored."""
    code = copy_check(barcode=barcode, title=title, home_branch=home_branch, item_type=item_type)
    copy = Copy.objects.select_for_update().filter(barcode=code).first()
    data: dict[str, Any] = {
        "title_id": title.pk,
        "item_type": item_type or (copy.item_type if copy else ItemType.BOOK),
        "home_branch_id": home_branch.pk,
        "call_number": " ".join(str(call_number).split())
        if call_number is not None
        else (copy.call_number if copy else ""),
        "acquired_on": acquired_on
        if acquired_on is not None
        else (copy.acquired_on if copy else None),
    }
    if copy is None:
        copy = Copy.objects.create(barcode=code, current_branch_id=home_branch.pk, **data)
        audit_record(
            actor=actor, action="library.copy_created", target=copy, after=data, request=request
        )
        stock_changed(data["acquired_on"])
        return copy, "created"
    before = {k: getattr(copy, k) for k in COPY_FIELDS}
    if before == data:
        return copy, "unchanged"
    stock_changed(before["acquired_on"], data["acquired_on"])
    for key, value in data.items():
        setattr(copy, key, value)
    copy.save(update_fields=[*data, "updated_at"])
    audit_record(
        actor=actor,
        action="library.copy_updated",
        target=copy,
        before=before,
        after=data,
        request=request,
    )
    return copy, "updated"
