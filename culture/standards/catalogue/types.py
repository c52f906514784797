"""The shape of one declared indicator (the catalogue is data: see ``__init__.py``).

An indicator is judged at one or more *levels* (district, subdistrict, community, venue). Its
threshold is a schedule per *tier*: the tier is the level for org units, and for venue-level
rules whatever the calculator says (e.g. S20: ``library`` 60 h, ``branch_library`` 48 h,
``reading_room`` 40 h). A schedule is a list of steps (from_year, threshold): a year before the
first step is ``not_due`` (value and progress shown, no verdict); later steps raise the bar
(S48: 50 % of communities from 2023, 80 % from 2025).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DISTRICT = "district"
SUBDISTRICT = "subdistrict"
COMMUNITY = "community"
VENUE = "venue"
LEVELS = (DISTRICT, SUBDISTRICT, COMMUNITY, VENUE)
ORG_LEVELS = (DISTRICT, SUBDISTRICT, COMMUNITY)

# Kinds (product.md): computed from records, attested by accepted evidence, or either.
DATA = "data"
ATTEST = "attest"
DATA_ATTEST = "data_attest"

# Comparators.
AT_LEAST = ">="
AT_MOST = "<="

# Units of measure (shown after values; "share" values are fractions 0..1 shown as %).
COUNT = "count"  # 个/次/场
SHARE = "share"  # 0..1, shown as %
HOURS = "hours"
DAYS = "days"
PERSON_TIMES = "person_times"
PER_RESIDENT = "per_resident"
PER_THOUSAND = "per_thousand"
YUAN_PER_RESIDENT = "yuan_per_resident"
FLAG = "flag"  # 1 = yes, 0 = no
BOOKS = "books"
M2_PER_PERSON = "m2_per_person"

POLICY_FIRST_YEAR = 2023


@dataclass(frozen=True)
class Step:
    from_year: int
    threshold: float


@dataclass(frozen=True)
class ReportField:
    """A figure a unit may report (统计填报) where the platform holds no records."""

    key: str
    label_zh: str
    label_en: str
    unit: str = COUNT


@dataclass(frozen=True)
class Indicator:
    id: str
    clause: str  # e.g. "2.1.3" or "附件 13"
    quote_zh: str  # the clause's words, quoted from the policy
    title_zh: str
    title_en: str
    levels: tuple[str, ...]
    unit: str
    # Threshold schedule per tier; () for information-only indicators (status ``info``).
    thresholds: dict[str, tuple[Step, ...]]
    kind: str = DATA
    comparator: str = AT_LEAST
    owner_zh: str = ""  # responsible department or unit (policy 3.1)
    owner_en: str = ""
    definition_zh: str = ""  # definition and formula in words (shown on the indicator page)
    definition_en: str = ""
    # The named definitions (see definitions.py) this indicator's calculator reads.
    uses_definitions: tuple[str, ...] = ()
    # Computes measures for every unit of a level: calculators/__init__.py describes the contract.
    # None: the platform holds no records for it (reported figures or evidence only).
    calculator: Callable[..., Any] | None = None
    # Figures a unit may report where no records exist; value_from_reported turns them into
    # the indicator's value (default: the single field "value").
    report_fields: tuple[ReportField, ...] = ()
    # (a number, or a Measure when the verdict is not one number against the threshold)
    value_from_reported: Callable[[dict[str, float], Any], Any] | None = None
    # Another indicator measuring the same thing (T14 and S48): the cockpit counts it once.
    same_measure_as: str = ""
    # What the policy only encourages (S35, S41) or has no threshold (T17): status ``info``.
    informational: bool = False
    notes_zh: str = ""  # how vague words were read (named settings), shown on the page
    notes_en: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def schedule(self, tier: str) -> tuple[Step, ...]:
        return self.thresholds.get(tier) or self.thresholds.get("*", ())

    def threshold_for(self, tier: str, year: int) -> tuple[float | None, bool]:
        """(threshold, due) for ``tier`` in ``year``: due is False before the first step."""
        steps = sorted(self.schedule(tier), key=lambda s: s.from_year)
        if not steps:
            return None, True
        current = None
        for step in steps:
            if step.from_year <= year:
                current = step.threshold
        if current is None:
            return steps[0].threshold, False
        return current, True

    @property
    def is_attest(self) -> bool:
        return self.kind in (ATTEST, DATA_ATTEST)

    @property
    def accepts_reports(self) -> bool:
        return bool(self.report_fields)


def steps(*pairs: tuple[int, float]) -> tuple[Step, ...]:
    return tuple(Step(y, t) for y, t in pairs)


def always(threshold: float) -> tuple[Step, ...]:
    """A threshold that applies from the policy's first year."""
    return (Step(POLICY_FIRST_YEAR, threshold),)
