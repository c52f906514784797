"""The social-security card as the reader card (社保卡一卡通): no registration, no deposit."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import Resident
from culture.core.audit import audit_record
from culture.core.errors import NotFound, ValidationFailed
from culture.core.personal import decrypt, lookup_hash, normalize_id_number
from culture.library.errors import CirculationRefused
from culture.library.models import Reader, ReaderCategory
from culture.library.services.common import require_desk_staff
from culture.venues.models import Venue


def normalise_card(raw: str) -> str:
    """A card number as scanned or typed, validated (python-stdnum cn.ric): full-width digits
    and letters made half-width, every space removed, a lower-case x upper-case. A bad number
    raises ValidationFailed naming what is wrong."""
    text = "".join(unicodedata.normalize("NFKC", raw or "").split())
    return normalize_id_number(text, field="card")


def age_category(number: str, today: date) -> str:
    """The reader category a citizen ID number's birth date gives on ``today``: 少儿 under
    CULTURE_LIBRARY_CHILD_UNDER years, 老年 from CULTURE_LIBRARY_ELDERLY_FROM, else 成人."""
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < settings.CULTURE_LIBRARY_CHILD_UNDER:
        return ReaderCategory.CHILD
    if age >= settings.CULTURE_LIBRARY_ELDERLY_FROM:
        return ReaderCategory.ELDERLY
    return ReaderCategory.ADULT


def _with_category(reader: Reader, number: str) -> Reader:
    """Keep the category the card's birth date gives (a child becomes an adult on a birthday);
    a category staff set (残障读者) is kept."""
    if reader.category == ReaderCategory.DISABLED or not number:
        return reader
    category = age_category(number, timezone.localdate())
    if category != reader.category:
        Reader.objects.filter(pk=reader.pk).update(category=category)
        reader.category = category
    return reader


def reader_for_card(*, card: str) -> Reader:
    """The Reader of the resident whose ID number (the social security number) is ``card``,
    created on first use. An unknown number or a deactivated account is refused clearly."""
    number = normalise_card(card)
    resident = (
        Resident.objects.select_related("user").filter(id_number_hash=lookup_hash(number)).first()
    )
    if resident is None:
        raise NotFound(
            _("社保卡（身份证号）%(c)s 未登记为本区居民，请先在平台实名登记")
            % {"c": number[:6] + "********" + number[-4:]},
            field="card",
        )
    return reader_for_resident(resident=resident)


def reader_for_resident(*, resident: Resident) -> Reader:
    """The resident's Reader, created on first use (no registration, no deposit). A
    deactivated account is refused ("suspended")."""
    if not resident.user.is_active:
        raise CirculationRefused(_("该读者的账号已停用，社保卡不能借阅"), code="suspended")
    number = decrypt(resident.id_number_enc) if resident.id_number_enc else ""
    reader = Reader.objects.filter(resident=resident).first()
    if reader is None:
        try:
            with transaction.atomic():
                reader = Reader.objects.create(resident=resident)
        except IntegrityError:  # created at the same moment by another desk
            reader = Reader.objects.get(resident=resident)
    return _with_category(reader, number)


@transaction.atomic
def reader_update(
    *,
    actor: Any,
    reader: Reader,
    branch: Venue,
    category: str | None = None,
    blocked_until: date | None | str = "",
    reason: str = "",
) -> Reader:
    """Library staff (desk staff of ``branch``) set what the card cannot tell: a 残障读者
    (disabled reader) category, or back to the one the birth date gives (any other category
    given), and a suspension until a date (``None`` lifts it; ``""`` leaves it). A reason is
    required; the change is in the audit log."""
    require_desk_staff(actor, branch)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("请填写原因"), field="reason")
    if category is not None and category not in ReaderCategory.values:
        raise ValidationFailed(_("读者类型“%(c)s”不存在") % {"c": category}, field="category")
    reader = Reader.objects.select_for_update().select_related("resident").get(pk=reader.pk)
    before = {"category": reader.category, "blocked_until": reader.blocked_until}
    if category is not None:
        reader.category = category
        enc = reader.resident.id_number_enc
        if category != ReaderCategory.DISABLED and enc:
            reader.category = age_category(decrypt(enc), timezone.localdate())
    if blocked_until != "":
        reader.blocked_until = blocked_until or None
    reader.save(update_fields=["category", "blocked_until", "updated_at"])
    audit_record(
        actor=actor,
        action="library.reader_update",
        target=reader,
        target_label=str(reader.resident),
        org_path=branch.operator_unit.path,
        before=before,
        after={
            "category": reader.category,
            "blocked_until": reader.blocked_until,
            "reason": reason,
        },
    )
    return reader


def check_not_suspended(reader: Reader, today: date) -> None:
    if reader.blocked_until is not None and reader.blocked_until >= today:
        raise CirculationRefused(
            _("该读者证已暂停借阅至 %(d)s") % {"d": reader.blocked_until.isoformat()},
            code="suspended",
        )
