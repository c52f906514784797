"""What the venue calculators share: the open venues of some kinds (one query), the place each
counts for, and the "every subdistrict has one" coverage rule.

A venue counts on the ground for its *location* community (product.md, Decisions), or for its
operator unit when it has no location, exactly as the engine places venue results. Only open
venues count (``status = open``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from culture.standards.calculators import Context, Measure, unit_for_path
from culture.standards.catalogue.types import SUBDISTRICT
from culture.venues.models import Venue, VenueStatus

BASE_FIELDS = (
    "id",
    "code",
    "kind",
    "operator_unit__level",
    "operator_unit__path",
    "location_community__path",
)


def registry_empty() -> bool:
    """No venue at all in the registry: the platform holds no venue records (``no_data``)."""
    return not Venue.objects.exists()


def open_venues(kinds: Iterable[str], *fields: str) -> list[dict[str, Any]]:
    """The open venues of ``kinds`` with their place path (``place``) and ``fields``."""
    rows = (
        Venue.objects.filter(status=VenueStatus.OPEN, kind__in=list(kinds))
        .order_by("id")
        .values(*BASE_FIELDS, *fields)
    )
    out = []
    for row in rows:
        row["place"] = row["location_community__path"] or row["operator_unit__path"] or ""
        out.append(row)
    return out


def by_unit(ctx: Context, level: str, venues: list[dict[str, Any]]) -> dict[int, list[dict]]:
    """Unit id of ``level`` -> the venues placed in it (every unit of the level is a key)."""
    n = ctx.path_prefix_length(level)
    keys = ctx.unit_key_by_path(level)
    out: dict[int, list[dict[str, Any]]] = {u.id: [] for u in ctx.units(level)}
    for v in venues:
        unit_id = unit_for_path(v["place"], n, keys)
        if unit_id is not None:
            out[unit_id].append(v)
    return out


def flag(ok: bool) -> float:
    return 1.0 if ok else 0.0


def kind_counts(venues: list[dict[str, Any]], groups: dict[str, tuple[str, ...]]) -> dict:
    return {name: sum(1 for v in venues if v["kind"] in kinds) for name, kinds in groups.items()}


def coverage(
    ctx: Context, level: str, unit_level: str, judged: dict[int, tuple[bool | None, dict]]
) -> dict[int, Measure]:
    """An "every <unit_level> has one" rule at ``level``.

    At ``unit_level``: 1 when the unit meets the rule, 0 when not, None when unknown (``judged``
    maps every unit of that level to (verdict, parts)). Above it: the share of its units of
    ``unit_level`` that meet it (the policy's 全覆盖); None when any of them is unknown."""
    if level == unit_level:
        return {
            uid: Measure(value=None if ok is None else flag(ok), parts=parts)
            for uid, (ok, parts) in judged.items()
        }
    n = ctx.path_prefix_length(level)
    keys = ctx.unit_key_by_path(level)
    members: dict[int, list[Any]] = defaultdict(list)
    for u in ctx.units(unit_level):
        parent = unit_for_path(u.path, n, keys)
        if parent is not None:
            members[parent].append(u)
    out: dict[int, Measure] = {}
    for unit in ctx.units(level):
        mine = members.get(unit.id, [])
        if not mine:
            out[unit.id] = Measure(value=None, applicable=False)
            continue
        states = {u.name_zh: judged.get(u.id, (None, {}))[0] for u in mine}
        met = sum(1 for ok in states.values() if ok)
        parts = {
            "units": len(mine),
            "covered": met,
            "missing": [name for name, ok in states.items() if ok is False],
            "unknown": [name for name, ok in states.items() if ok is None],
        }
        value = None if parts["unknown"] else met / len(mine)
        out[unit.id] = Measure(value=value, parts=parts)
    return out


def every_subdistrict_has(
    ctx: Context,
    level: str,
    venues: list[dict[str, Any]],
    groups: dict[str, tuple[str, ...]],
    qualifies: Callable[[dict[str, Any]], bool] = lambda v: True,
) -> dict[int, Measure]:
    """Coverage of the subdistricts: at least one qualifying venue of every group of kinds
    placed in the subdistrict (see ``coverage``; parts count each group)."""
    per_sub = by_unit(ctx, SUBDISTRICT, [v for v in venues if qualifies(v)])
    judged: dict[int, tuple[bool | None, dict]] = {}
    for sub in ctx.units(SUBDISTRICT):
        counts = kind_counts(per_sub.get(sub.id, []), groups)
        judged[sub.id] = (all(c > 0 for c in counts.values()), counts)
    return coverage(ctx, level, SUBDISTRICT, judged)


def venue_flags(
    venues: list[dict[str, Any]], rule: Callable[[dict[str, Any]], tuple[bool, dict]]
) -> dict[int, Measure]:
    """Venue level: 1/0 per venue by ``rule`` (which returns the verdict and its parts)."""
    out = {}
    for v in venues:
        ok, parts = rule(v)
        out[v["id"]] = Measure(
            value=flag(ok), parts={"code": v["code"], "kind": v["kind"], **parts}
        )
    return out
