"""Demo people: one sign-in per role, staff records with training days, and residents.

Called by ``manage.py seed_demo`` after the org tree exists. Everything goes through the accounts
services (so it is validated and audited) and is deterministic given ``rng``. Running it again on
the same database changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum.cn import ric

from culture.accounts.models import Resident, User
from culture.accounts.services import (
    resident_register,
    staff_member_upsert,
    user_set_reveal_permission,
    user_upsert,
)
from culture.core.personal import lookup_hash
from culture.core.roles import Role
from culture.demo.logins import DEMO_PASSWORD
from culture.org.models import OrgLevel, OrgUnit

RESIDENT_COUNT = 300
DEMO_RESIDENT_PHONE = "13800000001"
DEMO_RESIDENT_ID = "330105195803150026"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏俊晨婷雪琳慧颖倩欣怡佳宁梅晓海波林峰志"
POSITIONS_DISTRICT = [
    "馆员",
    "副研究馆员",
    "群文干部",
    "图书管理员",
    "文物保护",
    "演出策划",
    "信息技术",
]
POSITIONS_STATION = ["文化站站长", "文化站干事", "宣传文体干事", "图书管理员"]
POSITIONS_COMMUNITY = ["社区文化专干", "社区文化志愿者联络员", "文体活动管理员"]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def synthetic_id_number(rng: random.Random, *, region: str = "330105") -> str:
    """A valid (cn.ric checksum) synthetic ID number born 1940-2010."""
    start, end = date(1940, 1, 1), date(2010, 12, 31)
    born = start + timedelta(days=rng.randrange((end - start).days + 1))
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _training(rng: random.Random, *, low: float, high: float) -> dict[int, Decimal]:
    year = timezone.now().year
    return {y: Decimal(str(round(rng.uniform(low, high) * 2) / 2)) for y in (year - 1, year)}


def _phone(rng: random.Random, prefix: str, used: set[str]) -> str:
    while True:
        phone = prefix + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone


def _demo_logins(*, district: OrgUnit, hushu: OrgUnit, first_community: OrgUnit) -> User:
    logins: list[tuple[str, str, str, OrgUnit]] = [
        ("district", "区文旅局演示干部", Role.DISTRICT_OFFICER, district),
        ("hushu", "湖墅街道演示干部", Role.SUBDISTRICT_OFFICER, hushu),
        ("community", "社区演示专干", Role.COMMUNITY_WORKER, first_community),
        # Bound to the district for now; the venue registry binds the manager to a venue.
        ("venue", "场馆演示管理员", Role.VENUE_MANAGER, district),
        # The librarian: the library step binds them to the district library and its branches.
        ("library", "图书馆演示馆员", Role.VENUE_MANAGER, district),
        ("evaluator", "第三方演示评估员", Role.EVALUATOR, district),
    ]
    officer = None
    for username, display, role, unit in logins:
        user, _status = user_upsert(
            actor=None,
            username=username,
            display_name=display,
            password=DEMO_PASSWORD,
            roles=[(role, unit)],
        )
        if username == "district":
            officer = user
    assert officer is not None
    user_set_reveal_permission(actor=None, user=officer, granted=True)
    return officer


def _staff(rng: random.Random, units: list[OrgUnit], stdout: Any) -> int:
    used_phones: set[str] = set()
    count = 0
    for unit in units:
        if unit.level == OrgLevel.DISTRICT:
            n, positions, low, high = rng.randint(18, 22), POSITIONS_DISTRICT, 10.0, 24.0
            prof_share, fulltime_share = 0.9, 0.3
        elif unit.level == OrgLevel.SUBDISTRICT:
            n, positions, low, high = rng.randint(6, 15), POSITIONS_STATION, 2.0, 10.0
            prof_share, fulltime_share = 0.5, 0.7
        else:
            n, positions, low, high = rng.randint(1, 4), POSITIONS_COMMUNITY, 1.0, 8.0
            prof_share, fulltime_share = 0.3, 0.6
        for i in range(1, n + 1):
            staff_member_upsert(
                actor=None,
                staff_number=f"G{unit.code}{i:02d}",
                name=_name(rng),
                org_unit=unit,
                position=rng.choice(positions),
                is_professional=rng.random() < prof_share,
                is_fulltime_culture=rng.random() < fulltime_share,
                phone=_phone(rng, "139", used_phones) if rng.random() < 0.8 else "",
                training=_training(rng, low=low, high=high),
            )
            count += 1
    stdout.write(f"  staff records: {count}")
    return count


def _residents(
    rng: random.Random, communities: list[OrgUnit], first_community: OrgUnit, stdout: Any
) -> int:
    encoded = make_password(DEMO_PASSWORD)
    existing_phones = set(User.objects.exclude(phone_hash="").values_list("phone_hash", flat=True))
    existing_ids = set(Resident.objects.values_list("id_number_hash", flat=True))
    used_phones: set[str] = {DEMO_RESIDENT_PHONE}
    used_ids: set[str] = {DEMO_RESIDENT_ID}
    people = [(DEMO_RESIDENT_PHONE, DEMO_RESIDENT_ID, "王建国", first_community)]
    for _i in range(RESIDENT_COUNT - 1):
        id_number = synthetic_id_number(rng)
        while id_number in used_ids:
            id_number = synthetic_id_number(rng)
        used_ids.add(id_number)
        people.append(
            (_phone(rng, "137", used_phones), id_number, _name(rng), rng.choice(communities))
        )
    created = 0
    for phone, id_number, name, community in people:
        if lookup_hash(phone) in existing_phones or lookup_hash(id_number) in existing_ids:
            continue
        resident_register(
            actor=None,
            name=name,
            phone=phone,
            password=DEMO_PASSWORD,
            id_number=id_number,
            community=community,
            encoded_password=encoded,
        )
        created += 1
    stdout.write(f"  residents: {created} new, {len(people)} in the demo set")
    return created


def seed_people(*, rng: random.Random, stdout: Any) -> None:
    district = OrgUnit.objects.get(level=OrgLevel.DISTRICT, parent__isnull=True, code="330105")
    hushu = OrgUnit.objects.get(level=OrgLevel.SUBDISTRICT, name_zh="湖墅街道")
    first_community = OrgUnit.objects.filter(parent=hushu).order_by("code").first()
    if first_community is None:
        raise RuntimeError("湖墅街道 has no community: build the org tree first")
    stdout.write("People: demo sign-ins")
    _demo_logins(district=district, hushu=hushu, first_community=first_community)
    units = list(OrgUnit.objects.filter(is_active=True).order_by("code"))
    _staff(rng, units, stdout)
    communities = [u for u in units if u.level == OrgLevel.COMMUNITY]
    _residents(rng, communities, first_community, stdout)
