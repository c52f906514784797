"""The calculator contract.

A calculator is a small pure function ``calc(ctx, level) -> dict[int, Measure]``: for the
evaluated year and one level it returns a Measure per unit key, computed with set-based queries
(one or a few grouped queries whatever the number of units, never one query per unit).

- Org levels (district, subdistrict, community): the key is the OrgUnit id; ``ctx.units(level)``
  lists the units (id, code, path, population, parent_id).
- Venue level: the key is the Venue id; include only the venues the rule applies to (others are
  simply absent). ``Measure.tier`` picks the threshold (S20: "library", "branch_library"...).
  The engine rolls venue results up to every org unit (share of the applicable venues located
  in the unit that meet the rule).

Return a Measure with ``value=None`` where the platform holds no records for that unit
(reported figures or ``no_data`` take over), ``applicable=False`` where the unit has nothing
the rule applies to (``not_applicable``). Put the numerator, denominator and anything an
evaluator needs to check the number in ``parts`` (JSON-serialisable), and in ``records`` a short
description of which records make the number (shown on the indicator page with a link).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from django.conf import settings

T = TypeVar("T")


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    path: str
    level: str
    name_zh: str
    population: int
    parent_id: int | None


@dataclass
class Measure:
    value: float | None
    tier: str = ""  # defaults to the level
    applicable: bool = True
    parts: dict[str, Any] = field(default_factory=dict)
    # A calculator may decide the verdict itself for rules that are not one number against a
    # threshold (e.g. "every week at least two"); None lets the engine compare value and target.
    passed: bool | None = None


@dataclass
class Context:
    """What a calculator may read: the year, the units, the named definitions."""

    year: int
    definitions: dict[str, Any]
    unit_rows: dict[str, list[UnitInfo]]  # by level
    as_of: date  # the last day counted (today within the current year, else 31 Dec)
    # What several calculators (or one calculator at several levels) of ONE evaluation share,
    # computed once: e.g. the district's 15-minute coverage (T03 at three levels) and the
    # opening-hours figures (S20-S25). Not an init field, so ``dataclasses.replace`` (another
    # year or day) starts empty; it lives as long as the evaluation, never across processes.
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per evaluation (per Context) under ``key``."""
        if key not in self.memo:
            self.memo[key] = compute()
        return cast(T, self.memo[key])

    def units(self, level: str) -> list[UnitInfo]:
        return self.unit_rows.get(level, [])

    def unit_by_id(self, unit_id: int) -> UnitInfo | None:
        for rows in self.unit_rows.values():
            for u in rows:
                if u.id == unit_id:
                    return u
        return None

    def path_prefix_length(self, level: str) -> int:
        rows = self.units(level)
        return len(rows[0].path) if rows else 0

    def unit_key_by_path(self, level: str) -> dict[str, int]:
        return {u.path: u.id for u in self.units(level)}

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(settings.TIME_ZONE)

    @property
    def year_start(self) -> datetime:
        return datetime.combine(date(self.year, 1, 1), time(), tzinfo=self.tz)

    @property
    def year_end(self) -> datetime:
        return datetime.combine(date(self.year + 1, 1, 1), time(), tzinfo=self.tz)


def unit_for_path(path: str, level_length: int, keys: dict[str, int]) -> int | None:
    """The unit id of ``level`` that a materialised path falls under (None when above it)."""
    if len(path) < level_length:
        return None
    return keys.get(path[:level_length])
