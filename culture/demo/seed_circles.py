"""Demo circles (创建/验收): one circle per community, created and accepted through the circle
services, as the district would.

Each community's circle takes its culture centre (社区文化家园, the demo's ``<code>-JY``) as the
essential venue when the community has an open one, and the nearest open public-welfare spaces
within the circle's radius of its centre (a scipy ``cKDTree`` over every space, EPSG:4549
metres): up to three of those that already meet the service items (signage, free or low fee,
online), else the nearest two, as a community picks its best spaces. The theme (一圈一韵), the
information board and the demand channel are drawn from the seeded generator.

Most circles (``PROGRAMME_SHARE``) run a weekly programme (一圈一韵 activities at their essential
venue, or their first space run by or standing in the community, like every demo activity): one
offline activity in each of the last weeks and the next three, through ``activity_upsert``
(external ids ``DEMO-CIRCLE-<code>-<date>``), since the activities step alone holds about one
community activity a month. Then every circle whose checklist passes
today is accepted (the system accepts: ``actor=None``, as in the other demo steps); the others
stay in creation, showing what they lack. ``scale`` adds nothing: one circle per community.

Two communities (the first and the last by code) get imported residential points instead of the
generated ones: a few compounds each, at drawn places inside the community, their residents
adding up to its population, some in GCJ-02 (as copied from a web map), imported through the
circles' own spreadsheet importer (``residential_points``) as a file from the district would be.
The coverage page then shows "imported" beside "generated".

Running it again changes nothing (it stops when circles exist).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from scipy.spatial import cKDTree
from shapely.geometry import Point, shape

from culture.activities.services import activity_upsert
from culture.circles.checklist import (
    activity_weeks,
    check_circles,
    circle_centre,
    radius_m,
    space_kinds,
)
from culture.circles.importers import POINT_COLUMNS, ResidentialPointImporter
from culture.circles.models import Circle
from culture.circles.registry import circle_accept, circle_create
from culture.core import geo
from culture.org.models import OrgLevel, OrgUnit
from culture.spreadsheets.processing import validate_table
from culture.spreadsheets.reading import Table
from culture.venues.models import FeePolicy, Venue, VenueKind, VenueStatus

MAX_SPACES = 3
NEAREST = 12  # spaces looked at per circle
PROGRAMME_SHARE = 0.7
PROGRAMME_AHEAD = 3  # weeks of programme after today
PROGRAMME_TITLES = (
    "{theme}·邻里分享会",
    "{theme}·周末文化沙龙",
    "{theme}·周周乐",
    "{theme}·公益课堂",
)
THEMES = (
    "运河书香", "非遗传承", "戏曲曲艺", "书画雅集", "邻里乐音", "运河记忆", "少儿美育",
    "银龄乐学", "红色印记", "市井烟火", "工业遗存", "桥西茶韵", "体育健身", "诗词吟诵",
)  # fmt: skip


def _say(stdout: Any, msg: str) -> None:
    if stdout is not None:
        stdout.write(msg + "\n")


@transaction.atomic
def seed_circles(*, rng: random.Random, stdout: Any, scale: int = 1) -> None:
    if Circle.objects.exists():
        _say(stdout, "Circles already seeded.")
        return
    communities = list(
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, is_active=True).order_by("code")
    )
    centres: dict[int, Venue] = {}
    for v in Venue.objects.filter(
        kind=VenueKind.COMMUNITY_CENTRE, status=VenueStatus.OPEN
    ).order_by("code"):
        centres.setdefault(v.operator_unit_id, v)
    spaces = list(
        Venue.objects.filter(status=VenueStatus.OPEN, kind__in=space_kinds()).order_by("code")
    )
    t = geo.metric_transformer()
    tree = None
    if spaces:
        xs, ys = geo.project([s.lon for s in spaces], [s.lat for s in spaces], t)
        tree = cKDTree(list(zip(xs, ys, strict=True)))
    radius = radius_m()
    created: list[Circle] = []
    for community in communities:
        essential = centres.get(community.pk)
        centre = circle_centre(Circle(community=community, essential_venue=essential), t)
        chosen: list[Venue] = []
        if centre is not None and tree is not None:
            k = min(NEAREST, len(spaces))
            dist, idx = tree.query([centre.x, centre.y], k=[*range(1, k + 1)])
            near = [spaces[int(i)] for d, i in zip(dist, idx, strict=True) if d <= radius]
            chosen = [v for v in near if _serves_well(v)][:MAX_SPACES]
            if len(chosen) < 2:
                chosen = near[:2]
        created.append(
            circle_create(
                actor=None,
                community=community,
                theme=rng.choice(THEMES),
                essential_venue=essential,
                spaces=chosen,
                has_information_board=rng.random() < 0.85,
                has_demand_channel=rng.random() < 0.8,
            )  # fmt: skip
        )
    today = timezone.localdate()
    for circle in created:
        if rng.random() < PROGRAMME_SHARE:
            _programme(rng, circle, today)
    checks = check_circles(created, today=today)
    accepted = 0
    for circle in created:
        if checks[circle.pk].passed:
            circle_accept(actor=None, circle=circle, today=today)
            accepted += 1
    _say(stdout, f"Circles: {len(created)} created, {accepted} accepted.")
    imported = _import_points(rng, communities)  # after every other draw: those stay as they were
    _say(stdout, f"Residential points: {imported} imported.")


def _serves_well(v: Venue) -> bool:
    """Meets the facility items of the checklist that a flag can tell."""
    online = v.on_culture_cloud or v.on_zheli_platform
    return v.has_signage and online and v.fee_policy in (FeePolicy.FREE, FeePolicy.LOW)


def _programme(rng: random.Random, circle: Circle, today: date) -> None:
    """One offline activity a week at the circle's venue, the last weeks and the next few."""
    # held in a venue of the community's own area, as every demo activity is
    mine = Q(operator_unit=circle.community) | Q(location_community=circle.community)
    facilities = [circle.essential_venue] if circle.essential_venue else []
    facilities += list(circle.spaces.filter(mine).order_by("code"))
    if not facilities:
        return
    venue = facilities[0]
    tz = timezone.get_current_timezone()
    for k in range(-PROGRAMME_AHEAD, activity_weeks()):
        day = today - timedelta(days=7 * k + rng.randint(0, 6))
        hour = rng.choice((9, 14, 19))
        start = datetime.combine(day, time(hour), tzinfo=tz)
        activity_upsert(
            actor=None, external_id=f"DEMO-CIRCLE-{circle.code}-{day:%Y%m%d}",
            title=rng.choice(PROGRAMME_TITLES).format(theme=circle.theme), kind="mass_activity",
            organiser=circle.community, venue=venue, start_at=start,
            end_at=start + timedelta(minutes=90), attendance=rng.randint(20, 120),
        )  # fmt: skip


COMPOUNDS = ("新村", "花园", "家园", "小区", "公寓", "苑", "里")


def _import_points(rng: random.Random, communities: list[OrgUnit]) -> int:
    """Compounds for the first and the last community (by code), through the importer."""
    placed = [c for c in communities if c.boundary and c.population > 0]
    picks = placed[:1] + placed[-1:] if len(placed) > 1 else placed
    rows: list[tuple[int, list[Any]]] = []
    for unit in picks:
        area = shape(unit.boundary)
        inner = area.buffer(-0.0005)  # about 50 m inside, so a converted point stays inside
        inner = inner if not inner.is_empty else area
        n = rng.randint(4, len(COMPOUNDS))
        shares = [rng.uniform(1.0, 3.0) for _ in range(n)]
        people = [int(unit.population * s / sum(shares)) for s in shares]
        people[0] += unit.population - sum(people)
        short = unit.name_zh.removesuffix("社区")
        for k in range(n):
            lon, lat = _point_in(rng, inner)
            gcj = k % 3 == 1  # some rows copied from a web map
            if gcj:
                lon, lat = geo.wgs84_to_gcj02(lon, lat)
            rows.append((len(rows) + 2, [
                f"{unit.code}-R{k + 1:02d}", f"{short}{COMPOUNDS[k]}", unit.code,
                round(lon, 6), round(lat, 6), "GCJ-02" if gcj else "", people[k],
            ]))  # fmt: skip
    if not rows:
        return 0
    importer = ResidentialPointImporter()
    table = Table(headers=[c.header_zh for c in POINT_COLUMNS], rows=rows)
    result = validate_table(importer, table, viewer=None)
    if not result.ok:
        raise RuntimeError(f"demo residential points refused: {result.errors[:3]}")
    for _number, row in result.rows:
        importer.save_row(row, actor=None, request=None)
    return len(result.rows)


def _point_in(rng: random.Random, area: Any) -> tuple[float, float]:
    minx, miny, maxx, maxy = area.bounds
    for _ in range(500):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if area.contains(Point(x, y)):
            return x, y
    p = area.representative_point()
    return p.x, p.y
