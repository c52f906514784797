"""How one unit stands on one indicator (pure logic over stored results, no queries).

A *standing* combines the unit's own stored result with the results of the units below it where
the indicator is judged there too: S06 "at least 40, and every subdistrict has one" stands not met
for the district when one subdistrict has none; an indicator judged only per community stands for
the district as "all communities met" (value: the share met). Any miss is a miss, and missing
data is never a pass.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from culture.org.models import OrgUnit
from culture.standards import catalogue
from culture.standards.models import Status


@dataclass
class Standing:
    indicator_id: str
    status: str
    value: float | None = None
    target: float | None = None
    unit: str = ""
    comparator: str = ">="
    gap: float | None = None
    relative_gap: float | None = None
    source: str = ""
    reported_value: float | None = None
    conflict: bool = False
    own: bool = False  # the unit has its own stored result for the indicator
    parts: dict[str, Any] = field(default_factory=dict)  # what makes the own value
    # The units below, per level where the indicator is judged: status -> count.
    below: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def below_met(self) -> int:
        return sum(c.get(Status.MET, 0) for c in self.below.values())

    @property
    def below_judged(self) -> int:
        return sum(c.get(Status.MET, 0) + c.get(Status.NOT_MET, 0) for c in self.below.values())

    @property
    def sort_gap(self) -> float:
        return self.relative_gap if self.relative_gap is not None else -1.0


def _status_of(counts: Counter[str]) -> str:
    """One status for a set of statuses: any miss is a miss; missing data is never a pass."""
    for status in (Status.NOT_MET, Status.NO_DATA, Status.NOT_DUE, Status.MET, Status.INFO):
        if counts.get(status):
            return status
    return Status.NOT_APPLICABLE


def combine(indicator_id: str, own: dict[str, Any] | None, below: dict[str, Counter]) -> Standing:
    """The standing from the unit's own result (a values() dict) and the counts below it."""
    below = {lv: c for lv, c in below.items() if sum(c.values())}
    statuses: Counter[str] = Counter()
    if own is not None:
        statuses[own["status"]] += 1
    for counts in below.values():
        statuses[_status_of(counts)] += 1
    standing = Standing(
        indicator_id, _status_of(statuses), below={k: dict(v) for k, v in below.items()}
    )
    if own is not None:
        standing.own = True
        for name in ("value", "target", "unit", "comparator", "gap", "relative_gap", "source",
                     "reported_value", "conflict", "parts"):  # fmt: skip
            setattr(standing, name, own[name])
    elif below:
        standing.unit, standing.target = "share", 1.0
    if below and standing.below_judged:
        share = standing.below_met / standing.below_judged
        if own is None:
            standing.value, standing.gap = share, 1.0 - share
        if own is None or own["status"] != Status.NOT_MET:
            standing.relative_gap = max(standing.relative_gap or 0.0, 1.0 - share)
    return standing


@dataclass
class UnitStanding:
    unit: OrgUnit
    by_indicator: dict[str, Standing]

    @property
    def counts(self) -> Counter[str]:
        ids = counted_ids()
        return Counter(s.status for i, s in self.by_indicator.items() if i in ids)

    @property
    def met(self) -> int:
        return self.counts.get(Status.MET, 0)

    @property
    def judged(self) -> int:
        c = self.counts
        return c.get(Status.MET, 0) + c.get(Status.NOT_MET, 0)

    @property
    def share(self) -> float | None:
        return self.met / self.judged if self.judged else None


def counted_ids() -> set[str]:
    """Catalogue ids counted in the headline: two ids measuring the same thing count once."""
    order = list(catalogue.CATALOGUE)
    parent = {i: i for i in order}

    def root(i: str) -> str:
        while parent[i] != i:
            i = parent[i]
        return i

    for ind in catalogue.CATALOGUE.values():
        other = ind.same_measure_as
        if other and other in parent:
            a, b = sorted((root(ind.id), root(other)), key=order.index)
            parent[b] = a
    return {i for i in order if root(i) == i}


def missed_targets(standing: UnitStanding) -> list[tuple[Any, Standing]]:
    """(indicator, standing) of the targets missed, the worst relative gap first."""
    ids = counted_ids()
    missed = [
        (catalogue.CATALOGUE[i], s)
        for i, s in standing.by_indicator.items()
        if s.status == Status.NOT_MET and i in ids
    ]
    return sorted(
        missed, key=lambda pair: (-pair[1].sort_gap, list(catalogue.CATALOGUE).index(pair[0].id))
    )
