"""The social-security card as the reader card (社保卡一卡通): no registration, no deposit."""

from __future__ import annotations

import unicodedata
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from culture.accounts.models import Resident
from culture.core.errors import NotFound
from culture.core.personal import lookup_hash, normalize_id_number
from culture.library.errors import CirculationRefused
from culture.library.models import Reader


def normalise_card(raw: str) -> str:
    """A card number as scanned or typed, validated (python-stdnum cn.ric): full-width digits
    and letters made half-width, every space removed, a lower-case x upper-case. A bad number
    raises ValidationFailed naming what is wrong."""
    text = "".join(unicodedata.normalize("NFKC", raw or "").split())
    return normalize_id_number(text, field="card")


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
    reader = Reader.objects.filter(resident=resident).first()
    if reader is not None:
        return reader
    try:
        with transaction.atomic():
            return Reader.objects.create(resident=resident)
    except IntegrityError:  # created at the same moment by another desk
        return Reader.objects.get(resident=resident)


def check_not_suspended(reader: Reader, today: date) -> None:
    if reader.blocked_until is not None and reader.blocked_until >= today:
        raise CirculationRefused(
            _("该读者证已暂停借阅至 %(d)s") % {"d": reader.blocked_until.isoformat()},
            code="suspended",
        )
