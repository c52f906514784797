"""Rules one venue meets or not from its registry record (grades, boards, platforms, Wi-Fi,
the social-security card, fees), judged per open venue; the engine rolls them up by location.
The district's own institutions (S02, T05, S18) are judged at the district too."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Sum

from culture.activities.models import ActivityMonthSummary
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.venues.base import (
    flag,
    open_venues,
    registry_empty,
    venue_flags,
)
from culture.standards.catalogue.types import DISTRICT, VENUE
from culture.venues.models import (
    PUBLIC_CULTURE_VENUE_KINDS,
    FeePolicy,
    FreeDay,
    TargetGroup,
    VenueGrade,
    VenueKind,
)

K = VenueKind
Rule = Callable[[dict[str, Any]], tuple[bool, dict]]

# Subdistrict and community public culture venues (S16).
LOCAL_VENUE_KINDS = (
    K.CULTURE_STATION,
    K.COMMUNITY_CENTRE,
    K.BRANCH_LIBRARY,
    K.CULTURE_CENTRE_BRANCH,
    K.READING_ROOM,
    K.CITY_BOOKROOM,
    K.CULTURE_POST,
)
HERITAGE_KINDS = (K.MUSEUM, K.HERITAGE_HALL)  # S24: visits to heritage buildings
SPECIAL_GROUP_COLUMNS = (
    "for_elderly",
    "for_minors",
    "for_disabled",
    "for_migrant_workers",
    "for_servicemen",
)


def _field_rule(*fields: str) -> Rule:
    def rule(v: dict[str, Any]) -> tuple[bool, dict]:
        return all(v[f] for f in fields), {f: bool(v[f]) for f in fields}

    return rule


def _venue_rule(
    kinds: tuple[str, ...], fields: tuple[str, ...], rule: Rule | None = None
) -> dict[int, Measure]:
    if registry_empty():
        return {}
    return venue_flags(open_venues(kinds, *fields), rule or _field_rule(*fields))


def ssc_card(ctx: Context, level: str) -> dict[int, Measure]:
    """T09: every public culture venue accepts the social-security card."""
    return _venue_rule(PUBLIC_CULTURE_VENUE_KINDS, ("accepts_ssc_card",))


def boards_of_trustees(ctx: Context, level: str) -> dict[int, Measure]:
    """T13: the district's library, culture centre, museum and gallery have a board."""
    if registry_empty():
        return {}
    kinds = (K.LIBRARY, K.CULTURE_CENTRE, K.MUSEUM, K.GALLERY)
    venues = [
        v
        for v in open_venues(kinds, "has_board_of_trustees")
        if v["operator_unit__level"] == OrgLevel.DISTRICT
    ]
    return venue_flags(venues, _field_rule("has_board_of_trustees"))


def zheli_platform(ctx: Context, level: str) -> dict[int, Measure]:
    """S10: libraries, culture centres, museums and heritage halls on 浙里基本公共服务."""
    kinds = (K.LIBRARY, K.CULTURE_CENTRE, K.MUSEUM, K.HERITAGE_HALL)
    return _venue_rule(kinds, ("on_zheli_platform",))


def culture_cloud(ctx: Context, level: str) -> dict[int, Measure]:
    """S11: every public culture venue on 浙江智慧文化云."""
    return _venue_rule(PUBLIC_CULTURE_VENUE_KINDS, ("on_culture_cloud",))


def library_platforms(ctx: Context, level: str) -> dict[int, Measure]:
    """S12: the library and its branches on all three library platforms."""
    fields = ("on_national_smart_library", "on_one_click_borrowing", "on_media_platform")
    return _venue_rule((K.LIBRARY, K.BRANCH_LIBRARY), fields)


def free_wifi(ctx: Context, level: str) -> dict[int, Measure]:
    """S16: subdistrict and community venues offer free Wi-Fi."""
    return _venue_rule(LOCAL_VENUE_KINDS, ("has_wifi",))


def _waivers(v: dict[str, Any]) -> tuple[bool, dict]:
    groups = set(v["waiver_groups"] or [])
    missing = [g for g in TargetGroup.values if g not in groups]
    heritage_day = FreeDay.HERITAGE_DAY in (v["free_days"] or [])
    free = v["fee_policy"] == FeePolicy.FREE
    parts = {
        "fee_policy": v["fee_policy"],
        "missing_waivers": missing,
        "heritage_day": heritage_day,
    }
    return free or (not missing and heritage_day), parts


def ticket_waivers(ctx: Context, level: str) -> dict[int, Measure]:
    """S24: museums and heritage halls are free, or waive tickets for the five groups and are
    free on Cultural and Natural Heritage Day."""
    return _venue_rule(HERITAGE_KINDS, ("fee_policy", "waiver_groups", "free_days"), _waivers)


def school_grounds(ctx: Context, level: str) -> dict[int, Measure]:
    """S26: every eligible school sports ground is open to the public."""
    if registry_empty():
        return {}
    venues = [
        v
        for v in open_venues((K.SCHOOL_GROUND,), "school_open_eligible", "school_open_to_public")
        if v["school_open_eligible"]
    ]
    return venue_flags(venues, _field_rule("school_open_to_public"))


def special_groups(ctx: Context, level: str) -> dict[int, Measure]:
    """S37: the library and culture centre have a special-groups area and held at least one
    activity for a special group in the year (activity month summaries, by venue)."""
    if registry_empty():
        return {}
    venues = open_venues((K.LIBRARY, K.CULTURE_CENTRE), "has_special_group_area")
    any_activity = ActivityMonthSummary.objects.filter(year=ctx.year).exists()
    served: dict[int, int] = defaultdict(int)
    rows = (
        ActivityMonthSummary.objects.filter(year=ctx.year, venue_id__in=[v["id"] for v in venues])
        .values("venue_id")
        .annotate(**{f"n_{c}": Sum(c) for c in SPECIAL_GROUP_COLUMNS})
        .order_by()
    )
    for row in rows:
        served[row["venue_id"]] += sum(int(row[f"n_{c}"] or 0) for c in SPECIAL_GROUP_COLUMNS)
    out = {}
    for v in venues:
        parts = {
            "code": v["code"],
            "kind": v["kind"],
            "has_special_group_area": v["has_special_group_area"],
            "special_group_activities": served.get(v["id"], 0) if any_activity else None,
        }
        if not v["has_special_group_area"]:
            value: float | None = 0.0
        elif not any_activity:
            value = None  # no activity records for the year: the services cannot be judged
        else:
            value = flag(served.get(v["id"], 0) > 0)
        out[v["id"]] = Measure(value=value, parts=parts)
    return out


# The district's own institutions: judged per venue and for the district as a whole.


def _district_institutions(
    ctx: Context, level: str, rules: dict[str, Rule], fields: tuple[str, ...]
) -> dict[int, Measure]:
    """Open venues of the kinds in ``rules`` run by the district unit. Venue level: 1/0 each.
    District: 1 when every required kind exists and all meet; 0 when any fails; None when none
    fails but a kind is missing from the registry (S01 reports the missing venue)."""
    if registry_empty():
        return {}
    venues = [
        v
        for v in open_venues(tuple(rules), *fields)
        if v["operator_unit__level"] == OrgLevel.DISTRICT
    ]

    def rule(v: dict[str, Any]) -> tuple[bool, dict]:
        return rules[v["kind"]](v)

    if level == VENUE:
        return venue_flags(venues, rule)
    if level != DISTRICT:
        return {}
    out = {}
    for d in ctx.units(DISTRICT):
        mine = [v for v in venues if v["operator_unit__path"] == d.path]
        verdicts = {v["code"]: rule(v)[0] for v in mine}
        missing = [k for k in rules if not any(v["kind"] == k for v in mine)]
        parts = {"venues": verdicts, "missing": missing}
        if not all(verdicts.values()):
            value: float | None = 0.0
        elif missing:
            value = None
        else:
            value = 1.0
        out[d.id] = Measure(value=value, parts=parts)
    return out


def _national_1(v: dict[str, Any]) -> tuple[bool, dict]:
    return v["grade"] == VenueGrade.NATIONAL_1, {"grade": v["grade"]}


def national_grade_one(ctx: Context, level: str) -> dict[int, Measure]:
    """S02: the district library and culture centre are national grade 1."""
    rules: dict[str, Rule] = {K.LIBRARY.value: _national_1, K.CULTURE_CENTRE.value: _national_1}
    return _district_institutions(ctx, level, rules, ("grade",))


def _grade_and(title: str) -> Rule:
    def rule(v: dict[str, Any]) -> tuple[bool, dict]:
        ok, parts = _national_1(v)
        return ok and bool(v[title]), {**parts, title: bool(v[title])}

    return rule


def grade_one_and_titles(ctx: Context, level: str) -> dict[int, Measure]:
    """T05: national grade 1, and the library 满意图书馆, the culture centre 幸福文化馆."""
    rules: dict[str, Rule] = {
        K.LIBRARY.value: _grade_and("is_satisfying_library"),
        K.CULTURE_CENTRE.value: _grade_and("is_happy_culture_centre"),
    }
    fields = ("grade", "is_satisfying_library", "is_happy_culture_centre")
    return _district_institutions(ctx, level, rules, fields)


def blind_reading(ctx: Context, level: str) -> dict[int, Measure]:
    """S18: the district library has a blind reading area."""
    rules: dict[str, Rule] = {K.LIBRARY.value: _field_rule("has_blind_reading")}
    return _district_institutions(ctx, level, rules, ("has_blind_reading",))
