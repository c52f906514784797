"""Personal numbers: validated with clear messages, encrypted at rest, found by a keyed hash,
masked for display; the database never holds the plaintext."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from stdnum.cn import ric

from culture.accounts.models import Resident, User
from culture.accounts.services import resident_register
from culture.core.errors import ValidationFailed
from culture.core.personal import (
    decrypt,
    encrypt,
    lookup_hash,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    protect_id_number,
    protect_phone,
)

ID_NUMBER = "330105199001011233"
PHONE = "13957112345"
RESIDENT_PASSWORD = "a-long-resident-password-7"


# ----- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,message",
    [
        ("", "身份证号不能为空"),
        ("33010519900101123", "身份证号应为18位，现为17位"),
        ("3301051990010112333", "身份证号应为18位，现为19位"),
        ("330105199001011234", "身份证号校验位不正确（最后一位），请核对号码"),
        ("330105199013011230", "身份证号中的出生日期（第7-14位）不是有效日期"),  # month 13
        ("330105199002301232", "身份证号中的出生日期（第7-14位）不是有效日期"),  # 30 February
        ("999999199001011238", "身份证号前6位地区码无效：999999"),  # no such region
        (
            "3301051990O1011233",
            "身份证号前17位应为数字，最后一位为数字或X",
        ),  # a letter O, not a zero
    ],
)
def test_id_number_validation_says_what_is_wrong(raw, message):
    with pytest.raises(ValidationFailed) as err:
        normalize_id_number(raw)
    assert str(err.value.message) == message
    assert err.value.field == "id_number"


def test_valid_id_numbers_are_normalised():
    assert normalize_id_number(" 330105 1990 0101 1233 ") == ID_NUMBER
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    "raw,expected",
    [("13957112345", PHONE), ("+86 139-5711-2345", PHONE), ("139 5711 2345", PHONE)],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw,message",
    [
        ("", "手机号不能为空"),
        ("1395711234", "手机号应为以1开头的11位数字"),
        ("23957112345", "手机号应为以1开头的11位数字"),
        ("1295711234x", "手机号应为以1开头的11位数字"),
    ],
)
def test_phone_validation_says_what_is_wrong(raw, message):
    with pytest.raises(ValidationFailed) as err:
        normalize_phone(raw)
    assert str(err.value.message) == message


# ----- encryption, hash, masks ------------------------------------------------------------------


def test_encryption_round_trip_and_fresh_ciphertext_each_time():
    first, second = encrypt(ID_NUMBER), encrypt(ID_NUMBER)
    assert first != second  # Fernet uses a random IV
    assert ID_NUMBER not in first
    assert decrypt(first) == decrypt(second) == ID_NUMBER


def test_decrypting_with_another_key_fails_loudly():
    token = encrypt(PHONE)
    other_key = "b3RoZXIta2V5LW5vdC10aGUtcmlnaHQtb25lLTAxMjM="
    with (
        override_settings(PERSONAL_DATA_KEY=other_key),
        pytest.raises(RuntimeError, match="cannot be decrypted"),
    ):
        decrypt(token)


def test_lookup_hash_is_keyed_and_stable():
    assert lookup_hash(ID_NUMBER) == lookup_hash(ID_NUMBER)
    assert lookup_hash(ID_NUMBER) != hashlib.sha256(ID_NUMBER.encode()).hexdigest()
    with override_settings(PERSONAL_DATA_HASH_KEY="another-key"):
        other = lookup_hash(ID_NUMBER)
    assert other != lookup_hash(ID_NUMBER)


def test_masks():
    assert mask_id_number(ID_NUMBER) == "330105********1233"
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone(PHONE) == "139****2345"
    assert protect_id_number(ID_NUMBER).masked == "330105********1233"
    assert protect_phone("+86 13957112345").masked == "139****2345"
    stored = protect_phone(PHONE)
    assert decrypt(stored.encrypted) == PHONE
    assert stored.hash == lookup_hash(PHONE)


# ----- at rest --------------------------------------------------------------------------------


def _raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a model's table name)
        return cursor.fetchall()


@pytest.mark.django_db
def test_database_rows_never_hold_the_plaintext(tree):
    resident = resident_register(
        actor=None,
        name="落库居民",
        phone=PHONE,
        password=RESIDENT_PASSWORD,
        id_number=ID_NUMBER,
        community=tree["c11"],
        ssc_card_no="A12345678",
    )
    for table in (Resident._meta.db_table, User._meta.db_table):
        dump = repr(_raw_rows(table))
        assert ID_NUMBER not in dump, table
        assert PHONE not in dump, table
    assert "A12345678" not in repr(_raw_rows(Resident._meta.db_table))

    resident = Resident.objects.get(pk=resident.pk)
    assert resident.id_number_masked == "330105********1233"
    assert decrypt(resident.id_number_enc) == ID_NUMBER
    assert resident.user.phone_masked == "139****2345"
    assert decrypt(resident.user.phone_enc) == PHONE


@pytest.mark.django_db
def test_a_resident_is_found_by_the_hash_of_the_number(tree):
    resident = resident_register(
        actor=None,
        name="查找居民",
        phone=PHONE,
        password=RESIDENT_PASSWORD,
        id_number=ID_NUMBER,
        community=tree["c11"],
    )
    assert Resident.objects.get(id_number_hash=lookup_hash(ID_NUMBER)) == resident
    assert (
        User.objects.get(phone_hash=lookup_hash(normalize_phone("139-5711-2345"))) == resident.user
    )


@pytest.mark.django_db
def test_a_resident_signs_in_with_the_phone_number(tree):
    resident = resident_register(
        actor=None,
        name="登录居民",
        phone=PHONE,
        password=RESIDENT_PASSWORD,
        id_number=ID_NUMBER,
        community=tree["c11"],
    )
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "139 5711 2345", "password": RESIDENT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.user.pk)


@pytest.mark.parametrize("number", ["330105195003150028", "330105198201011233"])
def test_gongshu_residents_born_before_1983_are_accepted(number):
    # Regression: python-stdnum's ric.validate refuses 330105 for births before 1983 (the year the
    # code was created), which would shut out every elderly resident of the district.
    assert normalize_id_number(number) == number


def test_a_birth_date_in_the_future_is_refused():
    body = "33010520990101123"
    with pytest.raises(ValidationFailed) as err:
        normalize_id_number(body + ric.calc_check_digit(body + "0"))
    assert "晚于今天" in str(err.value.message)
