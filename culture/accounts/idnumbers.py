"""Mainland ID numbers (= social security numbers): validation with a clear reason, and storage.

``culture.core.personal.normalize_id_number`` (python-stdnum ``cn.ric``) is the first check. Its
birth-place rule asks whether the region code existed *in the birth year*; Gongshu's 330105 dates
from 1983, so it refuses every resident of the district born before 1983 although their numbers
are real (numbers were issued from 1984 with the then-current code). When that rule is the only
objection, the number is accepted if its region code is one python-stdnum knows at all.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from culture.core.errors import ValidationFailed
from culture.core.personal import (
    StoredNumber,
    encrypt,
    lookup_hash,
    mask_id_number,
    normalize_id_number,
)


def _region_known(code: str) -> bool:
    results = numdb.get("cn/loc").info(code)
    return any(props.get("county") for _part, props in results)


def clean_id_number(raw: str, *, field: str = "id_number") -> str:
    """The normalised number, or ValidationFailed naming what is wrong (length, characters,
    birth date, region code or check digit)."""
    value = (raw or "").strip().replace(" ", "").upper()
    try:
        value = normalize_id_number(value, field=field)
    except ValidationFailed:
        return _diagnose(value, field=field)
    _check_birth_date(value, field=field)  # python-stdnum accepts dates in the future
    return value


def _check_birth_date(value: str, *, field: str) -> None:
    try:
        born = ric.get_birth_date(value)
    except StdnumValidationError:  # InvalidComponent: an impossible date
        raise ValidationFailed(
            _("身份证号中的出生日期（第7-14位）不是有效日期"), field=field
        ) from None
    if born > timezone.localdate() or born < datetime.date(1890, 1, 1):
        raise ValidationFailed(
            _("身份证号中的出生日期（第7-14位）不合理（晚于今天或早于1890年）"), field=field
        )


def _diagnose(value: str, *, field: str) -> str:
    """Why python-stdnum refused ``value`` (or accept it when only its birth-place rule did)."""
    if not value:
        raise ValidationFailed(_("身份证号不能为空"), field=field)
    if len(value) != 18:
        raise ValidationFailed(_("身份证号应为18位，现为%(n)d位") % {"n": len(value)}, field=field)
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationFailed(_("身份证号前17位应为数字，最后一位为数字或X"), field=field)
    _check_birth_date(value, field=field)
    if ric.calc_check_digit(value) != value[17]:
        raise ValidationFailed(_("身份证号校验位不正确（最后一位），请核对号码"), field=field)
    if not _region_known(value[:6]):
        raise ValidationFailed(_("身份证号前6位地区码无效：%(c)s") % {"c": value[:6]}, field=field)
    return value


def protect_id(raw: str, *, field: str = "id_number") -> StoredNumber:
    value = clean_id_number(raw, field=field)
    return StoredNumber(encrypt(value), lookup_hash(value), mask_id_number(value))
