"""Staff indicators (S39-S42) over StaffMember and StaffTraining: only staff on post
(``is_active``) count, each at the level of the org unit they belong to."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from culture.accounts.models import StaffMember, StaffTraining
from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure

DISTRICT, SUBDISTRICT, COMMUNITY = OrgLevel.DISTRICT, OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY

# S41: "人口5万以上的街道" (以上 includes the number).
S41_POPULATION = 50_000


def _staff_counts() -> dict[int, dict[str, int]]:
    """org unit id -> staff on post, of whom professional and full-time culture staff."""
    rows = (
        StaffMember.objects.filter(is_active=True)
        .values("org_unit_id")
        .annotate(
            total=Count("id"),
            professional=Count("id", filter=Q(is_professional=True)),
            fulltime=Count("id", filter=Q(is_fulltime_culture=True)),
        )
        .order_by()
    )
    return {
        r["org_unit_id"]: {
            "staff": r["total"],
            "professional": r["professional"],
            "fulltime_culture": r["fulltime"],
        }
        for r in rows
    }


def professional_share(ctx: Context, level: str) -> dict[int, Measure]:
    """S39: professional staff / all staff on post of the district's own institutions."""
    counts = _staff_counts()
    out = {}
    for unit in ctx.units(level):
        c = counts.get(unit.id)
        if not c:
            out[unit.id] = Measure(None, parts={"staff": 0})
            continue
        out[unit.id] = Measure(c["professional"] / c["staff"], parts=dict(c))
    return out


def fulltime_culture_staff(ctx: Context, level: str) -> dict[int, Measure]:
    """S40: full-time culture staff on post at the subdistrict (its culture station); a
    subdistrict with no staff on record has no data."""
    counts = _staff_counts()
    out = {}
    for unit in ctx.units(level):
        c = counts.get(unit.id)
        if not c:
            out[unit.id] = Measure(None, parts={"staff": 0})
            continue
        out[unit.id] = Measure(float(c["fulltime_culture"]), parts=dict(c))
    return out


def culture_staff_info(ctx: Context, level: str) -> dict[int, Measure]:
    """S41 (information): culture staff of subdistricts of 50,000 people or more; full-time
    culture staff of communities."""
    counts = _staff_counts()
    if not counts:
        return {}
    out = {}
    for unit in ctx.units(level):
        c = counts.get(unit.id, {"staff": 0, "professional": 0, "fulltime_culture": 0})
        parts: dict[str, Any] = {**c, "population": unit.population}
        if level == SUBDISTRICT:
            if unit.population < S41_POPULATION:
                out[unit.id] = Measure(None, applicable=False, parts=parts)
            else:
                out[unit.id] = Measure(float(c["staff"]), parts=parts)
        elif level == COMMUNITY:
            out[unit.id] = Measure(float(c["fulltime_culture"]), parts=parts)
    return out


def training_days(ctx: Context, level: str) -> dict[int, Measure]:
    """S42: the fewest training days of the year among the unit's staff on post (every one of
    them must reach the threshold, so the unit meets it when its lowest does). A staff member
    without a training record for the year counts 0 days; a unit with no training record at
    all for the year has no data."""
    if level not in (DISTRICT, SUBDISTRICT, COMMUNITY):
        return {}
    staff: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for staff_id, number, unit_id in StaffMember.objects.filter(
        is_active=True, org_unit__level=level
    ).values_list("id", "staff_number", "org_unit_id"):
        staff[unit_id].append((staff_id, number))
    days = {
        staff_id: float(d)
        for staff_id, d in StaffTraining.objects.filter(
            year=ctx.year, staff__is_active=True, staff__org_unit__level=level
        ).values_list("staff_id", "days")
    }
    out = {}
    for unit in ctx.units(level):
        members = staff.get(unit.id, [])
        recorded = [sid for sid, _n in members if sid in days]
        if not members or not recorded:
            out[unit.id] = Measure(
                None, parts={"staff": len(members), "training_records": len(recorded)}
            )
            continue
        by_staff = {number: days.get(sid, 0.0) for sid, number in members}
        values = list(by_staff.values())
        out[unit.id] = Measure(
            min(values),
            parts={
                "staff": len(members),
                "training_records": len(recorded),
                "min_days": min(values),
                "average_days": round(sum(values) / len(values), 2),
                "days_by_staff": by_staff,
            },
        )
    return out
