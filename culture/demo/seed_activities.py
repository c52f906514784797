"""Demo activities: the current and the previous year of plausible activities for the district,
every subdistrict and every community.

``seed_activities(rng=..., stdout=..., scale=1)`` builds the base volume (a few thousand rows for
the synthetic district) through ``activity_upsert``, so each row is validated and audited like
real data. More volume for benchmarks comes in copies of the base plan, each from its own seeded
generator (``seed_demo --scale N`` adds ``N - 1`` copies, one transaction per copy, through
``activity_copy``; ``scale > 1`` here adds them in batches of ``BATCH_SIZE``): those rows are
written with ``bulk_create``, generated copy by copy so memory stays flat. That bulk path is the
documented exception to "writes through services": the rows are built by the same generator and
satisfy the same rules (tested), and re-running is safe (rows carry unique external ids
``DEMO-<year>-<unit>-x<copy>-...``; existing ones are skipped).

Volumes are drawn from the generator, not tuned to the targets: some units fall short of the
standards, as in life.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import reset_queries, transaction
from django.utils import timezone

from culture.activities.kinds import TARGET_GROUP_FIELDS, BranchSystem, Brand
from culture.activities.models import Activity
from culture.activities.services import activity_upsert, compute_natural_key
from culture.activities.summaries import summaries_rebuild
from culture.core.audit import audit_record
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.models import Venue, VenueKind, VenueStatus

BATCH_SIZE = 10_000
EXTERNAL_PREFIX = "DEMO-"

# (kind, mean number per unit per year, attendance range) by the organiser's level.
PLAN: dict[str, list[tuple[str, float, tuple[int, int]]]] = {
    OrgLevel.DISTRICT: [
        ("exhibition", 8, (300, 5000)),
        ("training_class", 30, (20, 60)),
        ("lecture", 24, (50, 300)),
        ("online_service", 90, (2000, 20000)),
        ("digital_project", 22, (1000, 30000)),
        ("joint_service", 12, (100, 800)),
        ("mobile_performance", 22, (200, 1500)),
        ("mobile_exhibition", 11, (200, 2000)),
        ("books_to_grassroots", 16, (30, 300)),
        ("exchange_visit", 9, (100, 800)),
        ("international_exchange", 2, (50, 500)),
        ("theatre_public_benefit", 13, (400, 1200)),
        ("mass_activity", 20, (500, 5000)),
        ("science", 6, (50, 400)),
    ],
    OrgLevel.SUBDISTRICT: [
        ("performance_delivered", 5, (150, 800)),
        ("mass_activity", 11, (200, 2000)),
        ("exhibition", 2, (100, 1000)),
        ("training_class", 3, (15, 50)),
        ("lecture", 5, (30, 200)),
        ("patriotic_screening", 3, (80, 400)),
        ("books_to_grassroots", 2, (20, 150)),
        ("exchange_visit", 0.4, (100, 500)),
        ("online_service", 2, (200, 3000)),
        ("science", 2, (40, 200)),
    ],
    OrgLevel.COMMUNITY: [
        ("mass_activity", 4, (30, 300)),
        ("performance", 3, (50, 400)),
        ("lecture", 2, (15, 80)),
        ("training_class", 0.6, (10, 40)),
        ("film_screening", 2.5, (30, 150)),
        ("science", 0.8, (20, 100)),
        ("online_service", 0.3, (100, 1000)),
    ],
}

TITLES = {
    "performance_delivered": [
        "送戏进社区",
        "越剧名段送基层",
        "文艺轻骑兵送演出",
        "曲艺专场送到家门口",
    ],
    "performance": ["邻里文艺汇演", "社区合唱展演", "广场舞展示", "少儿才艺秀", "戏曲票友专场"],
    "mass_activity": ["邻里节", "运河市集", "端午民俗体验", "中秋游园会", "新春写春联送福"],
    "exhibition": ["运河记忆图片展", "书画作品展", "非遗手作展", "摄影作品展", "老物件展"],
    "training_class": ["书法培训班", "太极拳培训班", "智能手机培训班", "少儿美术班", "合唱培训班"],
    "lecture": ["运河文化讲座", "健康养生讲座", "家风家训讲座", "读书分享会", "非遗知识讲座"],
    "film_screening": ["露天电影放映", "周末电影场", "红色经典电影放映"],
    "patriotic_screening": ["爱国主义教育影片进校园", "红色电影进课堂"],
    "online_service": ["云上展厅", "线上公益课", "直播讲座", "数字阅读推广"],
    "digital_project": ["运河数字记忆", "非遗数字化专题", "云上文化地图"],
    "joint_service": ["总分馆图书流转日", "总分馆联合阅读推广", "分馆文艺培训联动"],
    "mobile_performance": ["流动舞台进社区", "流动演出下基层"],
    "mobile_exhibition": ["流动展览进社区", "流动博物馆"],
    "books_to_grassroots": ["送书下基层", "图书漂流进社区"],
    "exchange_visit": ["文化走亲交流演出", "跨区文化走亲"],
    "international_exchange": ["国际友城文化交流", "运河城市国际对话"],
    "theatre_public_benefit": ["运河大剧院公益演出", "惠民专场演出"],
    "science": ["科普进社区", "青少年科学实验课", "防诈骗科普"],
}
DOMESTIC_SHARE = 0.6


@dataclass
class Planned:
    external_id: str
    title: str
    kind: str
    organiser: OrgUnit
    venue_id: int | None
    start_at: datetime
    end_at: datetime
    fields: dict[str, Any]


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-ish draw around ``mean`` (a binomial of 2*mean halves)."""
    trials = max(1, int(round(mean * 2)))
    p = mean / trials
    return sum(1 for _ in range(trials) if rng.random() < p)


def _start(rng: random.Random, year: int, kind: str) -> datetime:
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    if kind in ("online_service", "digital_project"):
        hour = rng.choice((10, 15, 19, 20))
    elif day.weekday() >= 5:
        hour = rng.choice((9, 10, 14, 15, 19))
    else:
        hour = rng.choice((9, 14, 14, 15, 19, 19))
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _extra(rng: random.Random, kind: str, year: int, level: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if kind in ("film_screening", "patriotic_screening"):
        out["film_domestic"] = rng.random() < DOMESTIC_SHARE
        out["film_release_date"] = date(year - rng.choice((0, 0, 1, 2, 5)), 1, 1) + timedelta(
            days=rng.randrange(300)
        )
    elif kind == "online_service":
        out["sessions"] = rng.randint(1, 12) if level == OrgLevel.DISTRICT else 1
    elif kind == "books_to_grassroots":
        out["books_count"] = rng.randrange(200, 1500, 50)
    elif kind == "joint_service":
        out["branch_system"] = rng.choice(BranchSystem.values)
    return out


def _groups(rng: random.Random, kind: str) -> dict[str, bool]:
    odds = {
        "for_elderly": 0.35,
        "for_minors": 0.9 if kind == "patriotic_screening" else 0.3,
        "for_disabled": 0.06,
        "for_migrant_workers": 0.08,
        "for_servicemen": 0.05,
    }
    return {f: rng.random() < odds[f] for f in TARGET_GROUP_FIELDS}


def _plan_unit_year(
    rng: random.Random, unit: OrgUnit, year: int, venues: list[tuple[int, str]], tag: str
) -> Iterator[Planned]:
    n = 0
    signature_done = False
    for kind, mean, (lo, hi) in PLAN[OrgLevel(unit.level)]:
        for _ in range(_count(rng, mean)):
            n += 1
            start = _start(rng, year, kind)
            online = kind in ("online_service", "digital_project")
            fields: dict[str, Any] = {
                "attendance": rng.randint(lo, hi),
                **_groups(rng, kind),
                **_extra(rng, kind, year, unit.level),
            }
            if online:
                fields["online"] = True
            month = start.month
            if unit.level == OrgLevel.COMMUNITY and month == 10 and rng.random() < 0.5:
                fields["brand"] = Brand.COMMUNITY_CULTURE_MONTH
            elif kind in ("mass_activity", "performance_delivered") and rng.random() < 0.15:
                fields["brand"] = Brand.CANAL_FOUR_SEASONS
            if (
                unit.level == OrgLevel.SUBDISTRICT
                and kind == "mass_activity"
                and not signature_done
                and rng.random() < 0.85
            ):
                fields["is_signature"] = True
                signature_done = True
            yield Planned(
                external_id=f"{EXTERNAL_PREFIX}{year}-{unit.code}-{tag}{n:03d}",
                title=f"{unit.name_zh}{rng.choice(TITLES.get(kind, ['文化活动']))}",
                kind=kind,
                organiser=unit,
                venue_id=None if online else _venue_for(rng, kind, venues),
                start_at=start,
                end_at=start + timedelta(minutes=rng.choice((60, 90, 120, 150, 180))),
                fields=fields,
            )


K = VenueKind
_STAGES = (
    K.THEATRE,
    K.CULTURE_CENTRE,
    K.CULTURE_STATION,
    K.COMMUNITY_CENTRE,
    K.PERFORMANCE_SPOT,
    K.CULTURE_POST,
    K.CULTURE_CENTRE_BRANCH,
)
_ROOMS = (
    K.CULTURE_CENTRE,
    K.CULTURE_STATION,
    K.COMMUNITY_CENTRE,
    K.LIBRARY,
    K.BRANCH_LIBRARY,
    K.CULTURE_CENTRE_BRANCH,
    K.READING_ROOM,
    K.CITY_BOOKROOM,
    K.CULTURE_POST,
    K.ARTS_EDUCATION_BASE,
)
_HALLS = (
    K.MUSEUM,
    K.GALLERY,
    K.HERITAGE_HALL,
    K.CULTURE_CENTRE,
    K.CULTURE_STATION,
    K.LIBRARY,
    K.BRANCH_LIBRARY,
    K.CITY_BOOKROOM,
    K.CULTURE_POST,
    K.COMMUNITY_CENTRE,
)
_BOOKS = (K.LIBRARY, K.BRANCH_LIBRARY, K.READING_ROOM, K.CITY_BOOKROOM, K.COMMUNITY_CENTRE)
# Where each kind of activity plausibly takes place (an activity of a kind with no such venue
# among the organiser's is held elsewhere: outdoors, in a school, at a partner's).
VENUE_KINDS_FOR: dict[str, tuple[str, ...]] = {
    "theatre_public_benefit": (K.THEATRE,),
    "performance": _STAGES,
    "performance_delivered": _STAGES,
    "mass_activity": (*_STAGES, K.SPORTS_GROUND, K.SPORTS_CENTRE),
    "mobile_performance": _STAGES,
    "exhibition": _HALLS,
    "mobile_exhibition": _HALLS,
    "training_class": _ROOMS,
    "lecture": (*_ROOMS, K.MUSEUM, K.HERITAGE_HALL),
    "science": (*_ROOMS, K.MUSEUM),
    "film_screening": (K.CULTURE_STATION, K.COMMUNITY_CENTRE, K.CULTURE_CENTRE, K.THEATRE),
    "patriotic_screening": (K.CULTURE_STATION, K.COMMUNITY_CENTRE, K.CULTURE_CENTRE, K.THEATRE),
    "joint_service": (
        K.LIBRARY,
        K.CULTURE_CENTRE,
        K.BRANCH_LIBRARY,
        K.CULTURE_CENTRE_BRANCH,
        K.READING_ROOM,
        K.CITY_BOOKROOM,
    ),
    "books_to_grassroots": _BOOKS,
    "exchange_visit": (*_STAGES, K.MUSEUM, K.HERITAGE_HALL),
    "international_exchange": (K.EXCHANGE_BASE, K.MUSEUM, K.THEATRE, K.CULTURE_CENTRE),
    "other": (*_ROOMS, *_STAGES),
}


def _venue_for(rng: random.Random, kind: str, venues: list[tuple[int, str]]) -> int | None:
    fitting = [pk for pk, vkind in venues if vkind in VENUE_KINDS_FOR.get(kind, ())]
    return rng.choice(fitting) if fitting else None


def units_and_venues(
    order_by: str = "code",
) -> tuple[list[OrgUnit], dict[int, list[tuple[int, str]]]]:
    """The active units (by code) and, per unit pk, the open venues (pk, kind) it runs or that
    stand in it (in ``order_by`` order): what the plan draws organisers and venues from."""
    units = list(OrgUnit.objects.filter(is_active=True).order_by("code"))
    venues: dict[int, list[tuple[int, str]]] = {}
    open_venues = Venue.objects.filter(status=VenueStatus.OPEN).values_list(
        "pk", "kind", "operator_unit_id", "location_community_id"
    )
    for pk, kind, operator_id, location_id in open_venues.order_by(order_by):
        venues.setdefault(operator_id, []).append((pk, kind))
        if location_id and location_id != operator_id:
            venues.setdefault(location_id, []).append((pk, kind))
    return units, venues


def _years() -> list[int]:
    this = timezone.localdate().year
    return [this - 1, this]


UnitsAndVenues = tuple[list[OrgUnit], dict[int, list[tuple[int, str]]]]


def _plan(
    rng: random.Random, tag: str = "", units_venues: UnitsAndVenues | None = None
) -> Iterator[Planned]:
    units, venues = units_venues or units_and_venues()
    for year in _years():
        for unit in units:
            yield from _plan_unit_year(rng, unit, year, venues.get(unit.pk, []), tag)


def base_seed(rng: random.Random) -> int:
    """The seed of the base plan; copy ``n`` is drawn from ``Random(f"{base_seed}:{n}")``."""
    return rng.getrandbits(64)


def seed_activities(*, rng: random.Random, stdout: Any, scale: int = 1) -> None:
    """Seed the demo activities (see the module docstring). Deterministic given ``rng``."""

    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(msg + "\n")

    seed = base_seed(rng)
    say("Creating demo activities (base volume, through the services) ...")
    outcomes = {"created": 0, "updated": 0, "unchanged": 0}
    venue_by_pk = {v.pk: v for v in Venue.objects.all()}
    for i, p in enumerate(_plan(random.Random(seed)), start=1):
        _a, outcome = activity_upsert(
            actor=None,
            external_id=p.external_id,
            title=p.title,
            kind=p.kind,
            organiser=p.organiser,
            venue=venue_by_pk.get(p.venue_id) if p.venue_id else None,
            start_at=p.start_at,
            end_at=p.end_at,
            **p.fields,
        )
        outcomes[outcome] += 1
        if i % 1000 == 0:
            say(f"  {i} activities")
    say("  activities: " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))
    if scale > 1:
        seed_activities_bulk(base_seed=seed, copies=range(1, scale), say=say)


def _row(p: Planned) -> Activity:
    return Activity(
        external_id=p.external_id,
        natural_key=compute_natural_key(
            organiser_id=p.organiser.pk, venue_id=p.venue_id, start_at=p.start_at, title=p.title
        ),
        title=p.title,
        kind=p.kind,
        organiser=p.organiser,
        organiser_path=p.organiser.path,
        venue_id=p.venue_id,
        start_at=p.start_at,
        end_at=p.end_at,
        **p.fields,
    )


def _copy_rows(
    seed: int, copy: int, units_venues: UnitsAndVenues | None = None
) -> Iterator[Activity]:
    for p in _plan(random.Random(f"{seed}:{copy}"), tag=f"x{copy}-", units_venues=units_venues):
        yield _row(p)


def _insert(rows: list[Activity]) -> None:
    # Batches of 2,000 rows keep each INSERT's parameter list reasonable on PostgreSQL (Django
    # already splits further for SQLite's limit).
    Activity.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def activity_copy(*, base_seed: int, copy: int, units_venues: UnitsAndVenues) -> int:
    """Insert copy ``copy`` (1, 2, ...) of the base plan; ``units_venues`` is what
    ``units_and_venues()`` returns (loaded once by the caller, plus the venues added since).
    The caller holds the transaction. Returns the rows sent (existing external ids skipped)."""
    rows = list(_copy_rows(base_seed, copy, units_venues))
    _insert(rows)
    reset_queries()  # under DEBUG, Django keeps the (huge) INSERT statements otherwise
    return len(rows)


def seed_activities_bulk(*, base_seed: int, copies: range, say: Any) -> int:
    """Copies ``copies`` of the base plan (each from its own seeded generator), bulk-inserted in
    transactions of ``BATCH_SIZE`` rows; rows whose external id exists are skipped. Returns
    rows sent."""
    sent = 0
    batch: list[Activity] = []
    total_copies = len(copies)
    units_venues = units_and_venues()

    def flush(copies_done: int) -> None:
        nonlocal sent
        with transaction.atomic():
            _insert(batch)
        sent += len(batch)
        batch.clear()
        reset_queries()
        say(f"  bulk: {sent:,} rows ({copies_done}/{total_copies} copies)")

    for index, copy in enumerate(copies):
        for row in _copy_rows(base_seed, copy, units_venues):
            batch.append(row)
            if len(batch) >= BATCH_SIZE:
                flush(index)
    if batch:
        flush(total_copies)
    summaries_rebuild()  # the bulk rows bypassed the services, which keep the summaries current
    audit_record(
        actor="system",
        action="activities.demo_bulk_seeded",
        target_label="demo activities",
        after={"rows": sent, "copies": total_copies},
    )
    return sent


def demo_activities_delete() -> int:
    """Delete the demo activities (before the demo org tree can be deleted)."""
    deleted, _by_model = Activity.objects.filter(external_id__startswith=EXTERNAL_PREFIX).delete()
    return deleted
