"""Demo teams, organisations and partners, culture households and talents, and residential
developments for the synthetic district.

Called by ``manage.py seed_demo`` after the org tree (and, when present, the venues) exist:
``seed_teams(rng=..., stdout=...)``. Everything goes through the services (validated and
audited, ``actor=None``) and is deterministic given ``rng``; running it again on the same day
changes nothing (the services answer "unchanged").

Nothing here is tuned to produce a wanted result: how many teams a community has follows its
population and a per-subdistrict liveliness factor; each subdistrict has its own taste in kinds,
and a kind of the 三团三社 is missing from a subdistrict with some probability, so some
subdistricts lack a kind (S43) and some communities lack households or talents (S44); the
fitness space of each development is drawn around the S36 standard, so some fall short.

``seed_demo --scale N`` adds ``N - 1`` copies of the teams for benchmarks (``team_copy``, one per
copy, each from its own seeded generator). Those extra teams are the one exception to "writes
through services": they are inserted with ``bulk_create``, without audit entries.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from culture.org.models import OrgLevel, OrgUnit, ResidentialDevelopment
from culture.org.services import development_upsert
from culture.teams.models import (
    CORE_KINDS,
    CulturalOrganisation,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
    TeamKind,
)
from culture.teams.services import (
    culture_household_upsert,
    culture_talent_upsert,
    organisation_upsert,
    team_upsert,
)
from culture.venues.models import Venue

RESIDENTS_PER_TEAM = 1450  # about one grassroots team per 1,450 residents
DEVELOPMENTS = 40
KIND_WEIGHTS = {
    TeamKind.CHOIR: 3.0,
    TeamKind.FOLK_ORCHESTRA: 1.4,
    TeamKind.ART_TROUPE: 1.5,
    TeamKind.LITERATURE: 0.7,
    TeamKind.PHOTOGRAPHY: 1.0,
    TeamKind.CALLIGRAPHY_PAINTING: 1.6,
    TeamKind.DANCE: 4.0,
    TeamKind.XIQU: 1.3,
    TeamKind.DRAMA: 0.4,
    TeamKind.BAND: 0.6,
    TeamKind.OTHER: 0.5,
}
CORE_KIND_MISSING_P = 0.12  # chance that a subdistrict has no team of a given 三团三社 kind
NAME_PREFIXES = ["", "", "夕阳红", "运河", "银龄", "青春", "和美", "雅韵", "星火", "阳光", "桑榆"]
PLACES = [
    "社区文化家园",
    "社区活动室",
    "老年活动中心",
    "小区会所",
    "街道综合文化站",
    "社区党群服务中心",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹孟熊秦邱江尹薛"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力斌宇浩凯鹏俊晨婷雪琳慧颖"
ROLES = ["团长", "副团长", "指挥", "声部长", "队员", "队员", "队员"]
SPECIALITIES = [
    "书法",
    "国画",
    "剪纸",
    "越剧",
    "京剧",
    "摄影",
    "诗词",
    "太极",
    "广场舞",
    "民乐",
    "合唱",
    "手工编织",
    "茶艺",
    "篆刻",
    "评话",
    "杭州小热昏",
    "竹编",
    "皮影",
]
HOUSEHOLD_SUFFIXES = ["书香之家", "文化示范户", "艺术之家", "墨香人家", "诗书人家"]
DEV_NAMES = [
    "运河",
    "拱宸",
    "北城",
    "丽水",
    "星河",
    "桃源",
    "和睦",
    "康桥",
    "半山",
    "上塘",
    "祥符",
    "融创",
    "锦绣",
    "天阳",
    "润达",
    "万科",
    "绿城",
    "滨江",
    "金隅",
    "香积寺",
]
DEV_SUFFIXES = ["府", "苑", "花园", "里", "公馆", "雅苑", "新村", "未来社区"]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10)}{rng.randrange(10**8):08d}"


def _short(unit: OrgUnit) -> str:
    return unit.name_zh.removesuffix("社区").removesuffix("街道")


class _Say:
    def __init__(self, stdout: Any) -> None:
        self.stdout = stdout

    def __call__(self, msg: str) -> None:
        if self.stdout is not None:
            self.stdout.write(msg if msg.endswith("\n") else msg + "\n")


def _kind_weights(rng: random.Random) -> dict[str, float]:
    """One subdistrict's taste: the base weights times a random factor; some 三团三社 kinds are
    absent altogether."""
    weights = {}
    for kind, base in KIND_WEIGHTS.items():
        if kind in CORE_KINDS and rng.random() < CORE_KIND_MISSING_P:
            weights[kind] = 0.0
        else:
            weights[kind] = base * rng.lognormvariate(0, 0.5)
    return weights


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method (small lambdas), so the count depends only on ``rng``."""
    if lam <= 0:
        return 0
    threshold, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def _team_values(
    rng: random.Random, unit: OrgUnit, kind: str, today: date, venues: list[Venue]
) -> dict[str, Any]:
    founded = date(1995, 1, 1) + timedelta(days=rng.randrange(365 * 29))
    is_active = rng.random() < 0.88
    last_active = None
    if is_active:
        last_active = today - timedelta(days=int(rng.expovariate(1 / 120)))
        if last_active < founded:
            last_active = founded
    members_count = max(5, int(rng.gauss(28, 12)))
    members = None
    if rng.random() < 0.12:
        members = [
            {"name": _name(rng), "role": "团长" if i == 0 else rng.choice(ROLES[1:])}
            for i in range(rng.randint(3, 8))
        ]
    venue = rng.choice(venues) if venues and rng.random() < 0.5 else None
    label = TeamKind(kind).label
    return {
        "name": f"{_short(unit)}{rng.choice(NAME_PREFIXES)}{label}",
        "kind": kind,
        "org_unit": unit,
        "members_count": members_count,
        "leader_name": _name(rng),
        "rehearsal_venue": venue,
        "rehearsal_place": "" if venue else f"{_short(unit)}{rng.choice(PLACES)}",
        "founded_on": founded,
        "is_active": is_active,
        "last_active_on": last_active,
        "members": members,
    }


def _venues_by_community() -> dict[int, list[Venue]]:
    out: dict[int, list[Venue]] = {}
    for venue in Venue.objects.filter(location_community__isnull=False).order_by("code"):
        out.setdefault(venue.location_community_id, []).append(venue)
    return out


def _plan_teams(
    rng: random.Random, venues_by_community: dict[int, list[Any]], tag: str = ""
) -> list[tuple[str, dict[str, Any]]]:
    today = timezone.localdate()
    plan = []
    subdistricts = OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT).order_by("code")
    for sub in subdistricts:
        weights = _kind_weights(rng)
        kinds, w = list(weights), list(weights.values())
        liveliness = rng.uniform(0.7, 1.3)
        units = [sub, *sub.children.filter(level=OrgLevel.COMMUNITY).order_by("code")]
        for unit in units:
            if unit.level == OrgLevel.SUBDISTRICT:
                n = rng.randint(1, 6)  # the culture station's own teams
            else:
                n = _poisson(rng, unit.population / RESIDENTS_PER_TEAM * liveliness)
            for i in range(1, n + 1):
                kind = rng.choices(kinds, weights=w)[0]
                values = _team_values(rng, unit, kind, today, venues_by_community.get(unit.pk, []))
                plan.append((f"T{unit.code}-{tag}{i:03d}", values))
    return plan


def _seed_teams(rng: random.Random, say: _Say) -> int:
    plan = _plan_teams(rng, _venues_by_community())
    say(f"  {len(plan)} cultural teams ...")
    for i, (code, values) in enumerate(plan, start=1):
        team_upsert(actor=None, code=code, **values)
        if i % 200 == 0:
            say(f"    {i}/{len(plan)} teams")
    return len(plan)


def team_copy(*, seed: int, copy: int, venues_by_community: dict[int, list[int]]) -> int:
    """Insert extra copy ``copy`` (1, 2, ...) of the teams for ``--scale`` (see the module
    docstring); ``venues_by_community`` maps a community's pk to the pks of the venues in it.
    Codes are fixed by the copy number, so a copy already (partly) there is only completed.
    Returns the number of teams inserted."""
    plan = _plan_teams(random.Random(f"{seed}:teams:x{copy}"), venues_by_community, f"x{copy}-")
    existing = set(
        CulturalTeam.objects.filter(code__in=[code for code, _v in plan]).values_list(
            "code", flat=True
        )
    )
    rows = []
    for code, values in plan:
        if code in existing:
            continue
        values = {**values, "members": values["members"] or []}
        values["rehearsal_venue_id"] = values.pop("rehearsal_venue")
        rows.append(CulturalTeam(code=code, **values))
    CulturalTeam.objects.bulk_create(rows)
    return len(rows)


def _seed_households_and_talents(rng: random.Random, say: _Say) -> tuple[int, int]:
    n_house = n_talent = 0
    for community in OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code"):
        houses = rng.choices([0, 1, 2, 3], weights=[0.1, 0.45, 0.3, 0.15])[0]
        for i in range(1, houses + 1):
            culture_household_upsert(
                actor=None,
                code=f"H{community.code}-{i:02d}",
                name=f"{rng.choice(SURNAMES)}家{rng.choice(HOUSEHOLD_SUFFIXES)}",
                community=community,
                speciality=rng.choice(SPECIALITIES),
            )
            n_house += 1
        talents = rng.choices([0, 1, 2, 3, 4, 5], weights=[0.05, 0.12, 0.3, 0.28, 0.15, 0.1])[0]
        for i in range(1, talents + 1):
            culture_talent_upsert(
                actor=None,
                code=f"R{community.code}-{i:02d}",
                name=_name(rng),
                community=community,
                speciality=rng.choice(SPECIALITIES),
                is_active=rng.random() < 0.95,
            )
            n_talent += 1
    say(f"  {n_house} culture households, {n_talent} culture talents")
    return n_house, n_talent


def _seed_organisations(rng: random.Random, say: _Say) -> int:
    district = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()
    if district is None:
        return 0
    plan: list[tuple[str, str, str, OrgUnit]] = [
        ("O-WP-01", "拱墅区工人文化宫", "workers_palace", district),
        ("O-WC-01", "拱墅区妇女儿童活动中心", "women_centre", district),
        ("O-YC-01", "拱墅区青少年活动中心", "youth_centre", district),
        ("O-AS-01", "拱墅区文学艺术界联合会", "association", district),
        ("O-AS-02", "拱墅区书法家协会", "association", district),
        ("O-AS-03", "拱墅区摄影家协会", "association", district),
    ]
    social = ["文化发展促进会", "社区文化服务中心", "公益文化服务社", "非遗传习社", "阅读推广会"]
    for sub in OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT).order_by("code"):
        for i in range(1, rng.randint(1, 4) + 1):
            kind = rng.choices(
                ["social_organisation", "enterprise", "school", "association"],
                weights=[0.6, 0.15, 0.15, 0.1],
            )[0]
            name = {
                "social_organisation": f"{_short(sub)}{rng.choice(social)}",
                "enterprise": f"{_short(sub)}{rng.choice(['文化传媒有限公司', '文创园'])}",
                "school": f"{_short(sub)}{rng.choice(['小学', '中学', '实验学校'])}",
                "association": f"{_short(sub)}{rng.choice(['老年书画协会', '戏曲爱好者协会'])}",
            }[kind]
            plan.append((f"O{sub.code}-{i:02d}", name, kind, sub))
    for code, name, kind, unit in plan:
        organisation_upsert(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            org_unit=unit,
            contact_name=_name(rng) if rng.random() < 0.8 else "",
            phone=_phone(rng) if rng.random() < 0.4 else "",
            address=f"杭州市拱墅区{_short(unit)}{rng.randint(1, 400)}号",
        )
    say(f"  {len(plan)} cultural organisations and partners")
    return len(plan)


def _seed_developments(rng: random.Random, say: _Say) -> int:
    communities = list(OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code"))
    if not communities:
        return 0
    chosen = rng.sample(communities, min(DEVELOPMENTS, len(communities)))
    for i, community in enumerate(chosen, start=1):
        population = rng.randint(8, 60) * 100
        future = rng.random() < 0.25
        # Per-person areas drawn around the S36 standard (0.1 indoor or 0.3 outdoor).
        indoor = Decimal(str(round(population * rng.uniform(0.02, 0.16), 1)))
        outdoor = Decimal(str(round(population * rng.uniform(0.05, 0.45), 1)))
        culture = Decimal(str(round(population * rng.uniform(0.03, 0.25), 1)))
        suffix = "未来社区" if future else rng.choice(DEV_SUFFIXES[:-1])
        development_upsert(
            actor=None,
            code=f"D{i:03d}",
            name=f"{rng.choice(DEV_NAMES)}{suffix}",
            community=community,
            population=population,
            indoor_fitness_m2=indoor,
            outdoor_fitness_m2=outdoor,
            culture_space_m2=culture,
            is_future_community=future,
            completion_year=rng.randint(2015, 2025),
        )
    say(f"  {len(chosen)} residential developments")
    return len(chosen)


@transaction.atomic
def seed_teams(*, rng: random.Random, stdout: Any = None) -> None:
    say = _Say(stdout)
    say("Creating demo teams, organisations, culture households and talents, developments ...")
    n = _seed_teams(rng, say)
    _seed_households_and_talents(rng, say)
    _seed_organisations(rng, say)
    _seed_developments(rng, say)
    say(f"  done: {n} teams")


@transaction.atomic
def delete_demo_teams() -> dict[str, int]:
    """Remove what ``seed_teams`` made (``seed_demo --reset`` must call this before deleting
    the org units, which these records protect)."""
    counts = {}
    for model in (
        CulturalTeam,
        CultureHousehold,
        CultureTalent,
        CulturalOrganisation,
        ResidentialDevelopment,
    ):
        counts[model._meta.label] = model.objects.all().delete()[0]
    return counts
