"""Demo venues and spaces: the named district venues, a culture station per subdistrict, community
culture centres in most communities, ~45 city bookrooms, culture posts, performance spots, branch
libraries, reading rooms, sports facilities, school grounds, news boards, bases...

Placement is random (seeded) inside the org boundaries, so coverage gaps arise from the generator
and are not hand-tuned. Everything goes through ``venue_create``/``room_add`` (validated, audited,
hours figures computed). Called by ``manage.py seed_demo`` after the org tree and people exist;
running it again on the same database changes nothing (it stops when the district library exists).

``seed_demo --scale N`` does not copy the venues: they are the district's facilities, and the
copies of the teams and activities use them (``culture.demo.scale``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from shapely.geometry import Point, shape

from culture.accounts.models import User
from culture.core import geo
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import Venue, VenueKind
from culture.venues.services import room_add, venue_create, venue_manager_bind

K = VenueKind

# Opening-hours patterns by kind (OpenStreetMap syntax), one picked at random.
HOURS: dict[str, list[str]] = {
    "district_library": ["Mo-Su 08:30-20:30", "Tu-Su 09:00-21:00; Mo 13:00-21:00"],
    "culture_centre": ["Mo-Su 09:00-21:00", "Tu-Su 09:00-20:30"],
    "museum": ["Tu-Su 09:00-17:00; PH 09:00-17:00", "Tu-Su 09:00-16:30"],
    "theatre": ["Tu-Su 10:00-22:00", "We-Su 13:00-22:00"],
    "station": ["Mo-Fr 08:30-17:00; Sa 09:00-17:00", "Mo-Fr 08:30-20:30; Sa,Su 09:00-17:00",
                "Mo-Su 08:30-17:30"],
    "community": ["Mo-Fr 08:30-17:00", "Mo-Fr 08:30-17:00; Sa 09:00-12:00",
                  "Mo-Fr 08:30-20:00; Sa,Su 09:00-17:00", "Mo-Sa 08:30-17:30"],
    "bookroom": ["Mo-Su 08:30-21:00", "Mo-Su 09:00-21:00", "Tu-Su 09:00-21:00", "24/7",
                 "Mo-Fr 10:00-20:00; Sa,Su 09:00-21:00", "Mo-Su 09:00-17:00"],
    "post": ["Mo-Su 09:00-18:00", "Tu-Su 09:00-20:00", "Mo-Fr 09:00-17:00"],
    "sports": ["Mo-Su 06:00-22:00", "Mo-Su 06:30-21:30", "Mo-Fr 17:00-21:00; Sa,Su 08:00-21:00",
               "Mo-Su 08:00-20:00"],
    "school": ["Sa,Su 07:00-19:00; Mo-Fr 17:30-20:30", "Sa,Su 08:00-17:00"],
    "always": ["24/7"],
}  # fmt: skip

NAMED = (
    # code, name_zh, name_en, kind, grade, area, hours key, extras
    ("GS-LIB", "拱墅区图书馆", "Gongshu District Library", K.LIBRARY, "national_1", 12000,
     "district_library", {"has_blind_reading": True, "is_satisfying_library": True,
                          "on_national_smart_library": True, "on_one_click_borrowing": True,
                          "on_media_platform": True, "has_board_of_trustees": True}),
    ("GS-CC", "拱墅区文化馆", "Gongshu District Culture Centre", K.CULTURE_CENTRE, "national_1",
     9000, "culture_centre", {"is_happy_culture_centre": True, "theatre_seats": 420,
                              "has_board_of_trustees": True}),
    ("GS-MUS", "京杭大运河博物院", "Grand Canal Museum", K.MUSEUM, "", 36000, "museum",
     {"has_board_of_trustees": True, "free_days": ["heritage_day", "museum_day"]}),
    ("GS-THE", "运河大剧院", "Grand Canal Theatre", K.THEATRE, "", 28000, "theatre",
     {"theatre_seats": 1200, "state_owned": True, "fee_policy": "low",
      "ticket_price": Decimal("120"), "market_price": Decimal("180"),
      "waiver_groups": ["servicemen", "disabled"]}),
    ("GS-ICH", "拱墅区非遗文献馆", "Gongshu Intangible Heritage Literature Hall", K.HERITAGE_HALL,
     "", 3200, "museum", {"free_days": ["heritage_day"]}),
)  # fmt: skip

# How many of each space kind at scale 1 (placed in random communities).
SPACES: tuple[tuple[str, str, int, str], ...] = (
    (K.CITY_BOOKROOM, "城市书房", 45, "bookroom"),
    (K.CULTURE_POST, "文化驿站", 24, "post"),
    (K.PERFORMANCE_SPOT, "文艺星火赋美演艺点", 20, "always"),
    (K.READING_ROOM, "社区阅览室", 30, "community"),
    (K.GALLERY, "美术馆", 3, "museum"),
    (K.MUSEUM, "博物馆", 6, "museum"),
    (K.SPORTS_COURT, "笼式球场", 20, "sports"),
    (K.SPORTS_GROUND, "社区运动场", 40, "sports"),
    (K.GYM, "健身房", 8, "sports"),
    (K.PUBLIC_GYM, "百姓健身房", 25, "sports"),
    (K.SCHOOL_GROUND, "学校运动场", 35, "school"),
    (K.NEWS_BOARD, "阅报栏", 30, "always"),
    (K.E_SCREEN, "电子阅报屏", 20, "always"),
    (K.ARTS_EDUCATION_BASE, "美育基地", 11, "post"),
    (K.EXCHANGE_BASE, "国际文化交流基地", 2, "museum"),
)
PREFIX = {
    K.CITY_BOOKROOM: "SF", K.CULTURE_POST: "WY", K.PERFORMANCE_SPOT: "YY", K.READING_ROOM: "YL",
    K.GALLERY: "MS", K.MUSEUM: "BW", K.SPORTS_COURT: "QC", K.SPORTS_GROUND: "YD", K.GYM: "JS",
    K.PUBLIC_GYM: "BX", K.SCHOOL_GROUND: "XX", K.NEWS_BOARD: "YB", K.E_SCREEN: "DP",
    K.ARTS_EDUCATION_BASE: "MY", K.EXCHANGE_BASE: "JL",
}  # fmt: skip
ROOMS = ("多功能厅", "排练厅", "书画室", "阅览区", "培训教室", "舞蹈房", "棋牌室")
EQUIPMENT = ("投影仪", "音响", "钢琴", "书画桌", "舞蹈把杆", "电子白板", "空调")


def _random_point(rng: random.Random, boundary: dict[str, Any]) -> tuple[float, float]:
    return _random_point_in(rng, shape(boundary))


def _random_point_in(rng: random.Random, poly: Any) -> tuple[float, float]:
    minx, miny, maxx, maxy = poly.bounds
    for _ in range(500):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if poly.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    c = poly.representative_point()
    return round(c.x, 6), round(c.y, 6)


def _flags(rng: random.Random, kind: str, p: float) -> dict[str, Any]:
    """Plausible service flags: ``p`` is the venue's general "how complete" probability."""
    out = {
        "has_wifi": rng.random() < p + 0.15,
        "has_signage": rng.random() < p + 0.1,
        "is_accessible": rng.random() < p,
        "has_special_group_area": rng.random() < p - 0.2,
        "has_culture_steward": rng.random() < p - 0.1,
        "social_operation": rng.random() < 0.3,
        "accepts_ssc_card": rng.random() < p - 0.15,
        "on_zheli_platform": rng.random() < p - 0.05,
        "on_culture_cloud": rng.random() < p - 0.1,
    }
    if out["social_operation"]:
        out["social_operator"] = rng.choice(["杭州悦读文化服务有限公司", "拱墅区文化发展中心",
                                             "浙江文创运营有限公司"])  # fmt: skip
    if kind in (K.LIBRARY, K.BRANCH_LIBRARY, K.READING_ROOM, K.CITY_BOOKROOM):
        out["on_one_click_borrowing"] = rng.random() < p
        out["on_national_smart_library"] = rng.random() < p - 0.2
    return out


class _Seeder:
    def __init__(self, rng: random.Random, stdout: Any):
        self.rng = rng
        self.stdout = stdout
        self.locator = geo.CommunityIndex.load()
        self.n = 0

    def make(
        self,
        *,
        code: str,
        name_zh: str,
        kind: str,
        operator: OrgUnit,
        at: OrgUnit,
        hours: str,
        name_en: str = "",
        rooms: int = 0,
        **fields: Any,
    ) -> Venue | None:
        if not at.boundary:
            return None
        lon, lat = _random_point(self.rng, at.boundary)
        venue = venue_create(
            actor=None,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            kind=kind,
            operator_unit=operator,
            lon=lon,
            lat=lat,
            opening_hours=self.rng.choice(HOURS[hours]),
            locator=self.locator,
            **fields,
        )
        for name in self.rng.sample(ROOMS, k=min(rooms, len(ROOMS))):
            room_add(
                actor=None,
                venue=venue,
                name=name,
                capacity=self.rng.choice([12, 20, 30, 40, 60, 80, 120]),
                equipment="、".join(self.rng.sample(EQUIPMENT, k=self.rng.randint(1, 3))),
            )
        self.n += 1
        return venue


def _communities() -> list[OrgUnit]:
    units = OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, is_active=True).select_related(
        "parent"
    )
    return [c for c in units.order_by("code") if c.boundary]


def _space_specs(
    rng: random.Random, comms: list[OrgUnit], district: OrgUnit, numbers: dict[str, int]
) -> Iterator[dict[str, Any]]:
    """One round of the SPACES (what ``_Seeder.make`` takes), numbered on from ``numbers``."""
    for kind, label, count, hours in SPACES:
        for _ in range(count):
            at = rng.choice(comms)
            operator = at if rng.random() < 0.5 else at.parent
            numbers[kind] = numbers.get(kind, 0) + 1
            n = numbers[kind]
            extra: dict[str, Any] = {}
            if kind == K.CITY_BOOKROOM:
                extra["bookroom_certification"] = rng.choice(
                    ["district", "district", "district", "city", "provincial", ""]
                )
            if kind == K.SCHOOL_GROUND:
                eligible = rng.random() < 0.8
                extra["school_open_eligible"] = eligible
                extra["school_open_to_public"] = eligible and rng.random() < 0.85
            if kind in (K.GALLERY, K.MUSEUM, K.EXCHANGE_BASE):
                operator = district if rng.random() < 0.4 else operator
            short = at.name_zh.removesuffix("社区")
            yield dict(code=f"{PREFIX[kind]}-{n:04d}", name_zh=f"{short}{label}{n}",
                       kind=kind, operator=operator, at=at, hours=hours,
                       rooms=1 if kind in (K.CITY_BOOKROOM, K.CULTURE_POST) and rng.random() < 0.3 else 0,
                       **_flags(rng, kind, 0.6), **extra)  # fmt: skip


@transaction.atomic
def seed_venues(*, rng: random.Random, stdout: Any) -> None:
    if Venue.objects.filter(code="GS-LIB").exists():
        stdout.write("Venues already seeded.")
        return
    district = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).first()
    if district is None:
        stdout.write("No org tree: seed the org units first.")
        return
    subs = list(OrgUnit.objects.filter(level=OrgLevel.SUBDISTRICT, is_active=True).order_by("code"))
    comms = _communities()
    by_sub: dict[int, list[OrgUnit]] = {}
    for c in comms:
        by_sub.setdefault(c.parent_id, []).append(c)
    s = _Seeder(rng, stdout)

    # The five district venues, somewhere along the middle of the district.
    for code, zh, en, kind, grade, area, hours, extras in NAMED:
        at = rng.choice(comms)
        s.make(code=code, name_zh=zh, name_en=en, kind=kind, operator=district, at=at,
               hours=hours, grade=grade, floor_area_m2=Decimal(area), rooms=rng.randint(3, 6),
               has_wifi=True, has_signage=True, is_accessible=True, has_special_group_area=True,
               accepts_ssc_card=rng.random() < 0.8, on_zheli_platform=True,
               on_culture_cloud=True, **extras)  # fmt: skip

    # One culture station per subdistrict, a district library branch and a culture-centre
    # branch in most subdistricts.
    for sub in subs:
        members = by_sub.get(sub.pk, [])
        if not members:
            continue
        short = sub.name_zh.removesuffix("街道")
        grade = rng.choice(["provincial_special", "provincial_1", "provincial_1", "provincial_2",
                            "provincial_3"])  # fmt: skip
        s.make(code=f"{sub.code}-ST", name_zh=f"{short}街道综合文化站", kind=K.CULTURE_STATION,
               operator=sub, at=rng.choice(members), hours="station", grade=grade,
               floor_area_m2=Decimal(rng.randint(600, 3000)), rooms=rng.randint(2, 5),
               theatre_seats=rng.choice([None, 120, 200, 300]),
               **_flags(rng, K.CULTURE_STATION, 0.8))  # fmt: skip
        if rng.random() < 0.85:
            s.make(code=f"{sub.code}-BL", name_zh=f"拱墅区图书馆{short}分馆", kind=K.BRANCH_LIBRARY,
                   operator=district, at=rng.choice(members), hours="station",
                   floor_area_m2=Decimal(rng.randint(200, 1200)), rooms=1,
                   has_blind_reading=rng.random() < 0.4, **_flags(rng, K.BRANCH_LIBRARY, 0.75))  # fmt: skip
        if rng.random() < 0.7:
            s.make(code=f"{sub.code}-CB", name_zh=f"拱墅区文化馆{short}分馆",
                   kind=K.CULTURE_CENTRE_BRANCH, operator=district, at=rng.choice(members),
                   hours="station", rooms=rng.randint(1, 3),
                   **_flags(rng, K.CULTURE_CENTRE_BRANCH, 0.7))  # fmt: skip

    # Community culture centres in most communities (some too small, some missing).
    for c in comms:
        if rng.random() < 0.88:
            s.make(code=f"{c.code}-JY", name_zh=f"{c.name_zh}文化家园", kind=K.COMMUNITY_CENTRE,
                   operator=c, at=c, hours="community",
                   floor_area_m2=Decimal(rng.choice([60, 80, 120, 150, 200, 300, 450])),
                   rooms=rng.randint(1, 4), **_flags(rng, K.COMMUNITY_CENTRE, 0.65))  # fmt: skip

    # Spaces placed in random communities (run by the community or its subdistrict).
    for spec in _space_specs(rng, comms, district, numbers={}):
        s.make(**spec)

    # A sports centre and a five-a-side court in most subdistricts.
    for sub in subs:
        members = by_sub.get(sub.pk, [])
        if members and rng.random() < 0.75:
            s.make(code=f"{sub.code}-SC", name_zh=f"{sub.name_zh.removesuffix('街道')}全民健身中心",
                   kind=K.SPORTS_CENTRE, operator=sub, at=rng.choice(members), hours="sports",
                   **_flags(rng, K.SPORTS_CENTRE, 0.7))  # fmt: skip
    # The demo venue manager ("venue") runs the district library.
    manager = User.objects.filter(username="venue").first()
    library = Venue.objects.filter(code="GS-LIB").first()
    if manager is not None and library is not None:
        venue_manager_bind(actor=None, user=manager, venue=library)
    stdout.write(f"Venues: {s.n} venues and spaces.")
