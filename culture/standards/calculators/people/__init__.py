"""Calculators over the people records: staff and training (S39-S42), teams, culture households
and talents (T06, S43, S44), culture stewards (T14, S48), fitness coverage (S09), residential
developments and future communities (S08, S36), and the values made from reported figures
(T03, T16, T18, S17, S44). Each calculator runs one or a few grouped queries per call.
"""

from __future__ import annotations

from collections.abc import Iterable

from culture.standards.calculators import Context, unit_for_path

EPSILON = 1e-9


class UnitLookup:
    """Which unit of one level a materialised path falls under (built once per call)."""

    def __init__(self, ctx: Context, level: str) -> None:
        self.length = ctx.path_prefix_length(level)
        self.keys = ctx.unit_key_by_path(level)

    def unit(self, path: str | None) -> int | None:
        return unit_for_path(path or "", self.length, self.keys) if self.length else None

    def units(self, paths: Iterable[str | None]) -> set[int]:
        """The units any of ``paths`` fall under (a venue counts for the unit that runs it
        and for the unit it stands in)."""
        found = {self.unit(p) for p in paths}
        found.discard(None)
        return found  # type: ignore[return-value]


def children_of(ctx: Context, parent_level: str, child_level: str) -> dict[int, list[int]]:
    """parent unit id -> the ids of its child units (by parent_id)."""
    out: dict[int, list[int]] = {u.id: [] for u in ctx.units(parent_level)}
    for child in ctx.units(child_level):
        if child.parent_id in out:
            out[child.parent_id].append(child.id)
    return out


def at_least(value: float, threshold: float) -> bool:
    return value + EPSILON >= threshold
