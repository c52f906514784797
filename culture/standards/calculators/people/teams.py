"""Teams, culture households and talents (T06, S43, S44) over the teams registry."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, Q

from culture.org.models import OrgLevel
from culture.standards.calculators import Context, Measure
from culture.standards.calculators.people import UnitLookup
from culture.teams.models import (
    CORE_KINDS,
    CulturalTeam,
    CultureHousehold,
    CultureTalent,
    active_team_q,
)

CORE = {str(k) for k in CORE_KINDS}


def _team_rows(q: Q) -> list[tuple[str, str, int]]:
    """(owning unit path, kind, teams) for the teams matching ``q``."""
    return [
        (r["org_unit__path"], r["kind"], r["n"])
        for r in CulturalTeam.objects.filter(q)
        .values("org_unit__path", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ]


def teams_total(ctx: Context, level: str) -> dict[int, Measure]:
    """T06: teams marked active (活跃) and founded by the day counted, under each unit."""
    if not CulturalTeam.objects.exists():
        return {}  # no team records at all: no data
    lookup = UnitLookup(ctx, level)
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=ctx.as_of)
    by_unit: dict[int, Counter[str]] = defaultdict(Counter)
    for path, kind, n in _team_rows(Q(is_active=True) & founded):
        unit_id = lookup.unit(path)
        if unit_id is not None:
            by_unit[unit_id][kind] += n
    out = {}
    for unit in ctx.units(level):
        kinds = by_unit.get(unit.id, Counter())
        total = sum(kinds.values())
        core = sum(n for k, n in kinds.items() if k in CORE)
        out[unit.id] = Measure(
            float(total),
            parts={"teams": total, "core_teams": core, "by_kind": dict(sorted(kinds.items()))},
        )
    return out


def _active_q(ctx: Context, window: int) -> Q:
    """The teams registry's active rule up to the day counted. The registry keeps only a team's
    latest active date, so for a past year a team founded by then and last active after it
    also counts (it was on the books and active then; the parts say how many)."""
    later = Q(is_active=True, last_active_on__gt=ctx.as_of) & (
        Q(founded_on__isnull=True) | Q(founded_on__lte=ctx.as_of)
    )
    return active_team_q(on=ctx.as_of, window_days=window) | later


def active_teams(ctx: Context, level: str) -> dict[int, Measure]:
    """S43: subdistrict -> how many of the six 三团三社 kinds have an active team owned by the
    subdistrict or one of its communities; community -> its own active teams (any kind)."""
    if not CulturalTeam.objects.exists():
        return {}
    window = int(ctx.definitions["active_team_window_days"])
    rows = (
        CulturalTeam.objects.filter(_active_q(ctx, window))
        .values("org_unit__path", "kind")
        .annotate(n=Count("id"), later=Count("id", filter=Q(last_active_on__gt=ctx.as_of)))
        .order_by()
    )
    lookup = UnitLookup(ctx, level)
    by_unit: dict[int, Counter[str]] = defaultdict(Counter)
    later: Counter[int] = Counter()
    for row in rows:
        path = row["org_unit__path"]
        unit_id = lookup.unit(path)
        if unit_id is None:
            continue
        if level == OrgLevel.COMMUNITY and len(path) != lookup.length:
            continue  # only the community's own teams
        by_unit[unit_id][row["kind"]] += row["n"]
        later[unit_id] += row["later"]
    out = {}
    for unit in ctx.units(level):
        kinds = by_unit.get(unit.id, Counter())
        parts = {
            "active_teams": sum(kinds.values()),
            "last_active_after_day_counted": later[unit.id],
            "by_kind": dict(sorted(kinds.items())),
            "window_days": window,
            "as_of": ctx.as_of.isoformat(),
        }
        if level == OrgLevel.SUBDISTRICT:
            core = sorted(k for k in kinds if k in CORE)
            parts["core_kinds"] = core
            out[unit.id] = Measure(float(len(core)), parts=parts)
        else:
            out[unit.id] = Measure(float(sum(kinds.values())), parts=parts)
    return out


def households_and_talents(ctx: Context, level: str) -> dict[int, Measure]:
    """S44, community level: at least 1 culture household and 2 culture talents (records
    marked valid). Two counts, one verdict: the value stays empty and the counts are in the
    parts. Other levels: nothing computed (the volunteers figure is reported)."""
    if level != OrgLevel.COMMUNITY:
        return {}
    households = dict(
        CultureHousehold.objects.filter(is_active=True)
        .values("community_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("community_id", "n")
    )
    talents = dict(
        CultureTalent.objects.filter(is_active=True)
        .values("community_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("community_id", "n")
    )
    if not (households or talents or CultureHousehold.objects.exists()) and not (
        CultureTalent.objects.exists()
    ):
        return {}  # no records at all: no data
    out = {}
    for unit in ctx.units(level):
        h, t = households.get(unit.id, 0), talents.get(unit.id, 0)
        out[unit.id] = Measure(
            None,
            passed=h >= 1 and t >= 2,
            parts={"culture_households": h, "culture_talents": t},
        )
    return out
