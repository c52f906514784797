"""Facilities that must exist (annex 1, 3-7, 19, 35, 47; main text T04, T07): counts and
"every subdistrict / community has one" coverage over the open venues, by location."""

from __future__ import annotations

from collections import Counter
from typing import Any

from culture.accounts.models import StaffMember
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.venues.base import (
    by_unit,
    coverage,
    every_subdistrict_has,
    flag,
    kind_counts,
    open_venues,
    registry_empty,
)
from culture.standards.catalogue.types import COMMUNITY, DISTRICT, SUBDISTRICT
from culture.venues.models import (
    DISTRICT_VENUE_KINDS,
    BookroomCertification,
    Room,
    VenueGrade,
    VenueKind,
)

K = VenueKind
STATION_GRADE_1_OR_ABOVE = (VenueGrade.PROVINCIAL_1, VenueGrade.PROVINCIAL_SPECIAL)
CERTIFIED = (
    BookroomCertification.DISTRICT,
    BookroomCertification.CITY,
    BookroomCertification.PROVINCIAL,
)
COMMUNITY_CENTRE_MIN_M2 = 100


def five_district_venues(ctx: Context, level: str) -> dict[int, Measure]:
    """S01: how many of the five kinds (四馆一院) the district runs (open venues operated by
    the district unit itself)."""
    if registry_empty():
        return {}
    venues = open_venues(DISTRICT_VENUE_KINDS)
    out = {}
    for d in ctx.units(DISTRICT):
        present = {v["kind"] for v in venues if v["operator_unit__path"] == d.path}
        out[d.id] = Measure(
            value=float(len(present)),
            parts={
                "present": [str(k) for k in DISTRICT_VENUE_KINDS if k in present],
                "missing": [str(k) for k in DISTRICT_VENUE_KINDS if k not in present],
            },
        )
    return out


def stations_open_with_staff(ctx: Context, level: str) -> dict[int, Measure]:
    """S03: each subdistrict has an open, signposted culture station and at least one active
    full-time culture worker on the subdistrict's own staff."""
    if registry_empty():
        return {}
    stations = by_unit(ctx, SUBDISTRICT, open_venues((K.CULTURE_STATION,), "has_signage"))
    has_staff_records = StaffMember.objects.exists()
    fulltime = Counter(
        StaffMember.objects.filter(
            is_active=True, is_fulltime_culture=True, org_unit__level=OrgLevel.SUBDISTRICT
        ).values_list("org_unit_id", flat=True)
    )
    judged: dict[int, tuple[bool | None, dict]] = {}
    for sub in ctx.units(SUBDISTRICT):
        mine = stations.get(sub.id, [])
        signposted = sum(1 for v in mine if v["has_signage"])
        parts = {"stations": len(mine), "signposted": signposted, "fulltime_staff": 0}
        if not signposted:
            judged[sub.id] = (False, parts)
        elif not has_staff_records:
            judged[sub.id] = (None, {**parts, "fulltime_staff": None})
        else:
            parts["fulltime_staff"] = fulltime.get(sub.id, 0)
            judged[sub.id] = (parts["fulltime_staff"] > 0, parts)
    return coverage(ctx, level, SUBDISTRICT, judged)


def stations_grade_one(ctx: Context, level: str) -> dict[int, Measure]:
    """S04: each subdistrict has an open culture station of provincial grade 1 or above."""
    if registry_empty():
        return {}
    return every_subdistrict_has(
        ctx,
        level,
        open_venues((K.CULTURE_STATION,), "grade"),
        {"station_grade_1": (K.CULTURE_STATION,)},
        qualifies=lambda v: v["grade"] in STATION_GRADE_1_OR_ABOVE,
    )


def community_centres(ctx: Context, level: str) -> dict[int, Measure]:
    """S05: each community has an open culture centre of at least 100 m2, signposted, with at
    least one active room whose equipment is recorded."""
    if registry_empty():
        return {}
    centres = open_venues((K.COMMUNITY_CENTRE,), "floor_area_m2", "has_signage")
    equipped = set(
        Room.objects.filter(is_active=True, venue_id__in=[v["id"] for v in centres])
        .exclude(equipment="")
        .values_list("venue_id", flat=True)
        .distinct()
    )

    def good(v: dict[str, Any]) -> bool:
        area = float(v["floor_area_m2"] or 0)
        return area >= COMMUNITY_CENTRE_MIN_M2 and bool(v["has_signage"]) and v["id"] in equipped

    per_community = by_unit(ctx, COMMUNITY, centres)
    judged: dict[int, tuple[bool | None, dict]] = {}
    for c in ctx.units(COMMUNITY):
        mine = per_community.get(c.id, [])
        meeting = sum(1 for v in mine if good(v))
        parts: dict[str, Any] = {
            "centres": len(mine),
            "largest_m2": max((float(v["floor_area_m2"] or 0) for v in mine), default=None),
            "signposted": sum(1 for v in mine if v["has_signage"]),
            "equipped": sum(1 for v in mine if v["id"] in equipped),
            "meeting": meeting,
        }
        judged[c.id] = (meeting > 0, parts)
    return coverage(ctx, level, COMMUNITY, judged)


def certified_bookrooms(ctx: Context, level: str) -> dict[int, Measure]:
    """S06: open city bookrooms certified at district level or above, per unit (by location)."""
    if registry_empty():
        return {}
    rooms = [
        v
        for v in open_venues((K.CITY_BOOKROOM,), "bookroom_certification")
        if v["bookroom_certification"] in CERTIFIED
    ]
    out = {}
    for unit_id, mine in by_unit(ctx, level, rooms).items():
        levels = Counter(v["bookroom_certification"] for v in mine)
        out[unit_id] = Measure(value=float(len(mine)), parts={"certified": len(mine), **levels})
    return out


def culture_posts(ctx: Context, level: str) -> dict[int, Measure]:
    """S07: every subdistrict has an open culture post."""
    if registry_empty():
        return {}
    return every_subdistrict_has(
        ctx, level, open_venues((K.CULTURE_POST,)), {"culture_post": (K.CULTURE_POST,)}
    )


def posts_and_spots(ctx: Context, level: str) -> dict[int, Measure]:
    """T04: every subdistrict has an open culture post and an open street performance spot."""
    if registry_empty():
        return {}
    return every_subdistrict_has(
        ctx,
        level,
        open_venues((K.CULTURE_POST, K.PERFORMANCE_SPOT)),
        {"culture_post": (K.CULTURE_POST,), "performance_spot": (K.PERFORMANCE_SPOT,)},
    )


def arts_education_bases(ctx: Context, level: str) -> dict[int, Measure]:
    """T07: open arts-education bases in the district."""
    if registry_empty():
        return {}
    per_unit = by_unit(ctx, level, open_venues((K.ARTS_EDUCATION_BASE,)))
    return {
        unit_id: Measure(value=float(len(mine)), parts={"bases": len(mine)})
        for unit_id, mine in per_unit.items()
    }


def news_boards(ctx: Context, level: str) -> dict[int, Measure]:
    """S19: every subdistrict has an open news board or electronic screen."""
    if registry_empty():
        return {}
    kinds = (K.NEWS_BOARD, K.E_SCREEN)
    return every_subdistrict_has(ctx, level, open_venues(kinds), {"news_board_or_screen": kinds})


def branches(ctx: Context, level: str) -> dict[int, Measure]:
    """S47: every subdistrict has an open district library branch and culture centre branch."""
    if registry_empty():
        return {}
    return every_subdistrict_has(
        ctx,
        level,
        open_venues((K.BRANCH_LIBRARY, K.CULTURE_CENTRE_BRANCH)),
        {
            "branch_library": (K.BRANCH_LIBRARY,),
            "culture_centre_branch": (K.CULTURE_CENTRE_BRANCH,),
        },
    )


SPORTS_BY_LEVEL: dict[str, dict[str, tuple[str, ...]]] = {
    SUBDISTRICT: {"sports_centre": (K.SPORTS_CENTRE,), "sports_court": (K.SPORTS_COURT,)},
    COMMUNITY: {"sports_ground_or_public_gym": (K.SPORTS_GROUND, K.PUBLIC_GYM)},
}


def encouraged_sports(ctx: Context, level: str) -> dict[int, Measure]:
    """S35 (encouraged, information only): a subdistrict with a fitness centre and a court; a
    community with a sports ground or public gym."""
    if registry_empty():
        return {}
    groups = SPORTS_BY_LEVEL[level]
    kinds = tuple(k for group in groups.values() for k in group)
    out = {}
    for unit_id, mine in by_unit(ctx, level, open_venues(kinds)).items():
        counts = kind_counts(mine, groups)
        out[unit_id] = Measure(value=flag(all(c > 0 for c in counts.values())), parts=counts)
    return out
