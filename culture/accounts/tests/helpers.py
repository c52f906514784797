"""Small builders for the accounts tests (valid ID numbers are written out by hand)."""

from __future__ import annotations

from culture.accounts import services
from culture.accounts.tests.factories import PASSWORD

# Valid cn.ric check digits, born 1950-1999, region 330105.
IDS = [
    "330105199001011233",
    "330105194506070041",
    "330105198808080059",
    "330105197012310061",
    "330105200002290022",
]


def id_number(n: int) -> str:
    """A distinct valid ID number for any n >= 0 (330105 + 1980-01-01 + n days + sequence)."""
    from datetime import date, timedelta

    from stdnum.cn import ric

    born = date(1980, 1, 1) + timedelta(days=n // 900)
    body = f"330105{born:%Y%m%d}{n % 900 + 100:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_residents(count: int, *, community=None, start: int = 0):
    out = []
    for i in range(start, start + count):
        out.append(
            services.resident_register(
                actor=None,
                name=f"居民{i}",
                phone=f"136{i:08d}",
                password=PASSWORD,
                id_number=id_number(i),
                community=community,
            )
        )
    return out


def make_staff(count: int, unit, *, start: int = 0):
    return [
        services.staff_member_upsert(
            actor=None,
            staff_number=f"N{unit.code}{i:04d}",
            name=f"员工{i}",
            org_unit=unit,
            training={2025: "3", 2026: "5"},
        )[0]
        for i in range(start, start + count)
    ]
