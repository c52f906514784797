"""The synthetic org tree, planned in memory before anything is written: the district outline,
18 subdistricts as Voronoi cells around their (jittered) real centres, about 200 communities
as relaxed Voronoi cells inside each subdistrict, and populations (denser in the south)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from shapely.geometry import Point

from culture.demo import places
from culture.demo.geography import (
    district_outline,
    geojson_from_metric,
    measure,
    relaxed_cells,
    to_metric,
    voronoi_cells,
)


@dataclass
class PlannedUnit:
    code: str
    level: str
    parent_code: str | None
    name_zh: str
    name_en: str
    population: int
    area_km2: Decimal
    boundary: dict[str, Any]
    centroid_lat: float
    centroid_lon: float


def _unit(
    code: str, level: str, parent: str | None, zh: str, en: str, pop: int, geom: Any
) -> PlannedUnit:
    boundary = geojson_from_metric(geom)
    area, lat, lon = measure(boundary)
    return PlannedUnit(code, level, parent, zh, en, pop, area, boundary, lat, lon)


def split_integer(total: int, weights: np.ndarray) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), summing exactly."""
    raw = total * weights / weights.sum()
    base = np.floor(raw).astype(int)
    short = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:short]] += 1
    return [int(v) for v in base]


def community_name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    """A plausible, unique community name (仓基新村社区 / Cangji Xincun Community)."""
    while True:
        (a_zh, a_en), (b_zh, b_en) = rng.choice(places.FIRST), rng.choice(places.SECOND)
        if a_zh == b_zh:
            continue
        s_zh, s_en = rng.choice(places.SUFFIX)
        if s_zh and b_zh in ("园", "苑"):
            continue
        zh = f"{a_zh}{b_zh}{s_zh}社区"
        if zh in used:
            continue
        used.add(zh)
        joint = "'" if b_en[0] in "aoe" else ""
        stem = f"{a_en}{joint}{b_en}"
        en = f"{stem} {s_en} Community" if s_en else f"{stem} Community"
        return zh, en


def plan_org_tree(
    *, rng: random.Random, nprng: np.random.Generator, progress: Callable[[str], None] | None = None
) -> list[PlannedUnit]:
    say = progress or (lambda _msg: None)
    outline = district_outline(places.OUTLINE_LONLAT, places.DISTRICT_AREA_KM2)

    # Subdistrict centres: the real approximate centres, jittered by about 100 m.
    centres = []
    for fact in places.SUBDISTRICTS:
        p = to_metric(Point(fact.lon, fact.lat))
        for _ in range(20):
            q = Point(p.x + nprng.normal(0, 100), p.y + nprng.normal(0, 100))
            if outline.contains(q):
                break
        else:
            q = p
        centres.append(q)
    sub_cells = voronoi_cells(centres, outline)
    say(f"  district outline {outline.area / 1e6:.1f} km2, {len(sub_cells)} subdistrict cells")

    # Populations: area x density x noise, scaled so the district totals about 1.2 million.
    raw = np.array(
        [
            cell.area / 1e6 * fact.density * nprng.lognormal(0, 0.12)
            for fact, cell in zip(places.SUBDISTRICTS, sub_cells, strict=True)
        ]
    )
    target = int(round(places.TOTAL_POPULATION * (1 + nprng.normal(0, 0.015))))
    sub_pops = split_integer(target, raw)

    used_names: set[str] = set()
    subdistricts: list[PlannedUnit] = []
    communities: list[PlannedUnit] = []
    for fact, cell, pop in zip(places.SUBDISTRICTS, sub_cells, sub_pops, strict=True):
        n = max(3, int(round(pop / places.PEOPLE_PER_COMMUNITY * nprng.uniform(0.9, 1.1))))
        cells = relaxed_cells(cell, n, nprng)
        # Codes run north to south, then west to east (a reader can find them on the map).
        cells.sort(key=lambda c: (-round(c.centroid.y, -2), c.centroid.x))
        # Communities hold similar numbers of people, a little more where the cell is larger.
        areas = np.array([c.area for c in cells])
        pops = split_integer(pop, np.sqrt(areas / areas.mean()) * nprng.gamma(8.0, 1.0, size=n))
        for i, (ccell, cpop) in enumerate(zip(cells, pops, strict=True), start=1):
            zh, en = community_name(rng, used_names)
            communities.append(
                _unit(f"{fact.code}{i:03d}", "community", fact.code, zh, en, cpop, ccell)
            )
        subdistricts.append(
            _unit(
                fact.code,
                "subdistrict",
                places.DISTRICT_CODE,
                fact.name_zh,
                fact.name_en,
                sum(pops),
                cell,
            )
        )
        say(f"  {fact.code} {fact.name_zh}: {n} communities, {sum(pops):,} residents")
    district = _unit(
        places.DISTRICT_CODE,
        "district",
        None,
        places.DISTRICT_NAME_ZH,
        places.DISTRICT_NAME_EN,
        sum(s.population for s in subdistricts),
        outline,
    )
    return [district, *subdistricts, *communities]
