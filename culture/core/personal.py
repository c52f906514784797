"""Personal numbers (ID / social security / phone): validation, encryption, look-up hash, masking.

Stored as three columns per number (see ``PersonalNumberFields``): the Fernet ciphertext, a keyed
HMAC-SHA256 for exact look-ups, and the masked form for display. The plaintext is only ever
returned by ``decrypt``, which callers use for a logged reveal.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from culture.core.errors import ValidationFailed

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def _fernet() -> Fernet:
    return Fernet(settings.PERSONAL_DATA_KEY.encode())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key rotation gone wrong must be loud, not silent
        raise RuntimeError("personal number cannot be decrypted with the configured key") from exc


def lookup_hash(value: str) -> str:
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """330105199001011234 -> 330105********1234 (first 6, last 4)."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def _region_known(code: str) -> bool:
    """Whether python-stdnum's region table knows the 6-digit code (in any year)."""
    return any(props.get("county") for _part, props in numdb.get("cn/loc").info(code))


def _check_birth_date(value: str, *, field: str) -> None:
    try:
        born = ric.get_birth_date(value)
    except StdnumValidationError:  # an impossible date such as 30 February
        raise ValidationFailed(
            _("身份证号中的出生日期（第7-14位）不是有效日期"), field=field
        ) from None
    if born > timezone.localdate() or born < datetime.date(1890, 1, 1):
        raise ValidationFailed(
            _("身份证号中的出生日期（第7-14位）不合理（晚于今天或早于1890年）"), field=field
        )


def normalize_id_number(raw: str, *, field: str = "id_number") -> str:
    """Validate a mainland citizen ID (= social security number) with python-stdnum's cn.ric
    parts, naming what is wrong: length, characters, birth date, check digit, region code.

    ``ric.validate`` itself is not used as the last word: its birth-place rule asks whether the
    region code existed *in the birth year*, and Gongshu's 330105 dates from 1983, so it refuses
    every resident born before 1983 although their numbers are real. Here a region code counts
    when python-stdnum knows it at all; and unlike python-stdnum, a birth date in the future is
    refused.
    """
    value = (raw or "").strip().replace(" ", "").upper()
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


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    value = re.sub(r"[\s-]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    if not value:
        raise ValidationFailed(_("手机号不能为空"), field=field)
    if not PHONE_RE.match(value):
        raise ValidationFailed(_("手机号应为以1开头的11位数字"), field=field)
    return value


@dataclass(frozen=True)
class StoredNumber:
    encrypted: str
    hash: str
    masked: str


def protect_id_number(raw: str, *, field: str = "id_number") -> StoredNumber:
    value = normalize_id_number(raw, field=field)
    return StoredNumber(encrypt(value), lookup_hash(value), mask_id_number(value))


def protect_phone(raw: str, *, field: str = "phone") -> StoredNumber:
    value = normalize_phone(raw, field=field)
    return StoredNumber(encrypt(value), lookup_hash(value), mask_phone(value))


def encrypted_column(**kwargs) -> models.TextField:
    return models.TextField(blank=True, default="", editable=False, **kwargs)


def hash_column(**kwargs) -> models.CharField:
    return models.CharField(
        max_length=64, blank=True, default="", db_index=True, editable=False, **kwargs
    )


def masked_column(**kwargs) -> models.CharField:
    return models.CharField(max_length=32, blank=True, default="", editable=False, **kwargs)
