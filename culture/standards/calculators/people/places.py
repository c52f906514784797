"""Place-based people indicators: the 15-minute culture circle (T03, from the circles' coverage
engine), culture stewards (T14, S48) and fitness coverage (S09) over the open venues; new
residential developments and future communities (S08, S36).

A venue counts for the unit that runs it (operator) and for the unit it stands in (location
community), so a station run by a subdistrict counts for that subdistrict wherever it stands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Q

from culture.circles.report import district_coverage
from culture.circles.rules import culture_circle
from culture.org.models import OrgLevel, ResidentialDevelopment
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.people import UnitLookup, children_of
from culture.venues.models import Venue, VenueKind, VenueStatus

DISTRICT, SUBDISTRICT, COMMUNITY = OrgLevel.DISTRICT, OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY

# T14/S48: the culture steward is recorded on the subdistrict's culture station and on the
# community's culture centre (文化家园 / 文体活动中心).
STEWARD_KIND = {SUBDISTRICT: VenueKind.CULTURE_STATION, COMMUNITY: VenueKind.COMMUNITY_CENTRE}
# S09: "街道实现或共享健身中心" and "社区实现多功能运动场（百姓健身房）".
FITNESS_CENTRE_KINDS = (VenueKind.SPORTS_CENTRE,)
COMMUNITY_SPORTS_KINDS = (VenueKind.SPORTS_GROUND, VenueKind.PUBLIC_GYM, VenueKind.GYM)
# S36: the policy's own figures (m2 per resident).
INDOOR_FITNESS_M2 = Decimal("0.1")
OUTDOOR_FITNESS_M2 = Decimal("0.3")


def circle_coverage(ctx: Context, level: str) -> dict[int, Measure]:
    """T03: the share of residents whose home has >= 1 public culture venue and >= 2
    public-welfare spaces (open) within 1.5 km, from the circles' coverage engine (imported
    residential points, else points generated from each community's population over its
    boundary). No homes or no venue or space in the district at all: no data (the reported
    figures take over); a unit with a community that cannot be placed: no data for it."""
    # One computation for the three levels of the evaluation (it does not depend on the level).
    report = ctx.cached("circle_coverage", lambda: district_coverage(rule=culture_circle()))
    if report is None:
        return {}
    communities = report.communities
    out: dict[int, Measure] = {}
    for unit in ctx.units(level):
        mine = [c for c in communities if c.code.startswith(unit.code)]
        population = sum(c.population for c in mine)
        covered = sum(c.population_covered for c in mine)
        parts: dict[str, Any] = {
            "radius_m": report.radius_m,
            "residents": population,
            "residents_covered": covered,
            "residential_points": sum(c.points for c in mine),
            "covered_points": sum(c.points_covered for c in mine),
            "residents_covered_1km": sum(c.population_covered_city for c in mine),
            "points_lacking_venue": sum(c.lacking.get("venue", 0) for c in mine),
            "points_lacking_spaces": sum(c.lacking.get("spaces", 0) for c in mine),
            "communities_with_imported_points": sum(1 for c in mine if c.source == "imported"),
            "communities_unlocated": sorted(c.code for c in mine if not c.complete),
        }
        if parts["communities_unlocated"]:
            out[unit.id] = Measure(None, parts=parts)
        elif population == 0:  # nobody lives there
            out[unit.id] = Measure(None, applicable=False, parts=parts)
        else:
            out[unit.id] = Measure(covered / population, parts=parts)
    return out


def _open_venues(kinds: tuple[str, ...]) -> list[tuple[str, bool, str, str | None]]:
    return list(
        Venue.objects.filter(status=VenueStatus.OPEN, kind__in=kinds).values_list(
            "kind", "has_culture_steward", "operator_unit__path", "location_community__path"
        )
    )


def _flags(
    ctx: Context, level: str, rows: list[tuple[str, bool, str, str | None]], kinds: tuple[str, ...]
) -> tuple[set[int], set[int]]:
    """(units with a venue of ``kinds``, units where one of them has a culture steward)."""
    lookup = UnitLookup(ctx, level)
    has, steward = set(), set()
    for kind, has_steward, op_path, loc_path in rows:
        if kind not in kinds:
            continue
        units = lookup.units((op_path, loc_path))
        has |= units
        if has_steward:
            steward |= units
    return has, steward


def culture_steward(ctx: Context, level: str) -> dict[int, Measure]:
    """T14 and S48 (one measure). Community: 1 when its culture centre has a steward
    (information). Subdistrict: 1 when its culture station has one. District: the share of
    communities covered, and not met while any subdistrict is uncovered."""
    rows = _open_venues(tuple(STEWARD_KIND.values()))
    if not rows:
        return {}  # no stations or centres registered: no data
    kinds_s, kinds_c = (STEWARD_KIND[SUBDISTRICT],), (STEWARD_KIND[COMMUNITY],)
    com_has, com_steward = _flags(ctx, COMMUNITY, rows, kinds_c)
    if level == COMMUNITY:
        return {
            u.id: Measure(
                1.0 if u.id in com_steward else 0.0,
                parts={"community_centre": u.id in com_has, "culture_steward": u.id in com_steward},
            )
            for u in ctx.units(level)
        }
    sub_has, sub_steward = _flags(ctx, SUBDISTRICT, rows, kinds_s)
    if level == SUBDISTRICT:
        children = children_of(ctx, SUBDISTRICT, COMMUNITY)
        return {
            u.id: Measure(
                1.0 if u.id in sub_steward else 0.0,
                parts={
                    "culture_station": u.id in sub_has,
                    "culture_steward": u.id in sub_steward,
                    "communities": len(children[u.id]),
                    "communities_covered": sum(1 for c in children[u.id] if c in com_steward),
                },
            )
            for u in ctx.units(level)
        }
    communities, subdistricts = ctx.units(COMMUNITY), ctx.units(SUBDISTRICT)
    missing = [s.code for s in subdistricts if s.id not in sub_steward]
    covered = sum(1 for c in communities if c.id in com_steward)
    parts: dict[str, Any] = {
        "communities": len(communities),
        "communities_covered": covered,
        "subdistricts": len(subdistricts),
        "subdistricts_covered": len(subdistricts) - len(missing),
        "subdistricts_without_steward": missing,
    }
    value = covered / len(communities) if communities else None
    return {
        u.id: Measure(value, passed=False if missing else None, parts=parts)
        for u in ctx.units(level)
    }


def fitness_coverage(ctx: Context, level: str) -> dict[int, Measure]:
    """S09. Community: 1 when a multi-function sports ground or public gym serves it
    (information). Subdistrict: the share of its communities covered. District: the lower of
    the two coverage rates (subdistricts with a fitness centre, communities covered), so it is
    met when both reach the threshold."""
    rows = [
        (kind, False, op, loc)
        for kind, _s, op, loc in _open_venues(FITNESS_CENTRE_KINDS + COMMUNITY_SPORTS_KINDS)
    ]
    if not rows:
        return {}  # no sports venues registered: no data
    com_has, _ = _flags(ctx, COMMUNITY, rows, tuple(str(k) for k in COMMUNITY_SPORTS_KINDS))
    if level == COMMUNITY:
        return {
            u.id: Measure(1.0 if u.id in com_has else 0.0, parts={"covered": u.id in com_has})
            for u in ctx.units(level)
        }
    sub_has, _ = _flags(ctx, SUBDISTRICT, rows, tuple(str(k) for k in FITNESS_CENTRE_KINDS))
    if level == SUBDISTRICT:
        out = {}
        children = children_of(ctx, SUBDISTRICT, COMMUNITY)
        for u in ctx.units(level):
            kids = children[u.id]
            parts: dict[str, Any] = {
                "fitness_centre": u.id in sub_has,
                "communities": len(kids),
                "communities_covered": sum(1 for c in kids if c in com_has),
            }
            if not kids:
                out[u.id] = Measure(None, applicable=False, parts=parts)
            else:
                out[u.id] = Measure(parts["communities_covered"] / len(kids), parts=parts)
        return out
    communities, subdistricts = ctx.units(COMMUNITY), ctx.units(SUBDISTRICT)
    if not communities or not subdistricts:
        return {}
    sub_share = sum(1 for s in subdistricts if s.id in sub_has) / len(subdistricts)
    com_share = sum(1 for c in communities if c.id in com_has) / len(communities)
    parts = {
        "subdistricts": len(subdistricts),
        "subdistricts_with_fitness_centre": sum(1 for s in subdistricts if s.id in sub_has),
        "subdistrict_coverage": round(sub_share, 4),
        "communities": len(communities),
        "communities_covered": sum(1 for c in communities if c.id in com_has),
        "community_coverage": round(com_share, 4),
    }
    return {u.id: Measure(min(sub_share, com_share), parts=parts) for u in ctx.units(level)}


# --- residential developments (S08, S36) ------------------------------------------------


def _developments(ctx: Context) -> list[dict[str, Any]] | None:
    """Developments built by the end of the evaluated year (or with no completion year);
    None when none is registered at all (no data)."""
    if not ResidentialDevelopment.objects.exists():
        return None
    return [
        dict(row)
        for row in ResidentialDevelopment.objects.filter(
            Q(completion_year__isnull=True) | Q(completion_year__lte=ctx.year)
        ).values(
            "code",
            "community__path",
            "population",
            "indoor_fitness_m2",
            "outdoor_fitness_m2",
            "culture_space_m2",
            "is_future_community",
        )
    ]


def _share_meeting(
    ctx: Context,
    level: str,
    devs: list[dict[str, Any]] | None,
    rule: Callable[[dict[str, Any]], bool],
) -> dict[int, Measure]:
    """Per unit: the share of its developments (with residents) meeting ``rule``; units with
    none are not applicable; developments with no population entered are not judged."""
    if devs is None:
        return {}
    lookup = UnitLookup(ctx, level)
    by_unit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for d in devs:
        unit_id = lookup.unit(d["community__path"])
        if unit_id is not None:
            by_unit[unit_id].append(d)
    out = {}
    for unit in ctx.units(level):
        mine = by_unit.get(unit.id, [])
        judged = [d for d in mine if d["population"] > 0]
        failing = sorted(d["code"] for d in judged if not rule(d))
        parts = {
            "developments": len(mine),
            "judged": len(judged),
            "met": len(judged) - len(failing),
            "not_met": failing,
            "without_population": sorted(d["code"] for d in mine if d["population"] <= 0),
        }
        if not mine:
            out[unit.id] = Measure(None, applicable=False, parts=parts)
        elif not judged:
            out[unit.id] = Measure(None, parts=parts)
        else:
            out[unit.id] = Measure((len(judged) - len(failing)) / len(judged), parts=parts)
    return out


def _fitness_ok(d: dict[str, Any]) -> bool:
    pop = Decimal(d["population"])
    return (
        Decimal(d["indoor_fitness_m2"]) >= pop * INDOOR_FITNESS_M2
        or Decimal(d["outdoor_fitness_m2"]) >= pop * OUTDOOR_FITNESS_M2
    )


def new_residential_fitness(ctx: Context, level: str) -> dict[int, Measure]:
    """S36: share of new residential developments with >= 0.1 m2 indoor or >= 0.3 m2 outdoor
    public fitness space per resident."""
    return _share_meeting(ctx, level, _developments(ctx), _fitness_ok)


def future_community_culture_space(ctx: Context, level: str) -> dict[int, Measure]:
    """S08: share of future communities whose culture space per resident reaches the named
    definition ``future_community_culture_m2_per_person``."""
    devs = _developments(ctx)
    minimum = Decimal(str(ctx.definitions["future_community_culture_m2_per_person"]))
    future = [d for d in devs if d["is_future_community"]] if devs is not None else None

    def ok(d: dict[str, Any]) -> bool:
        return Decimal(d["culture_space_m2"]) >= Decimal(d["population"]) * minimum

    return _share_meeting(ctx, level, future, ok)
