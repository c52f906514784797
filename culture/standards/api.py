"""/api/standards/: the catalogue and the stored evaluation results, scoped like the cockpit
(district officers and evaluators: everything; a subdistrict officer: their subdistrict and its
communities; a community worker: their community; residents and venue managers: refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from culture.core.errors import ValidationFailed
from culture.standards import catalogue, selectors
from culture.standards.catalogue.types import LEVELS
from culture.standards.engine import check_year
from culture.standards.models import IndicatorResult

router = Router(tags=["standards"])


class StepOut(Schema):
    from_year: int
    threshold: float


class IndicatorOut(Schema):
    id: str
    clause: str
    quote_zh: str
    title_zh: str
    title_en: str
    levels: list[str]
    unit: str
    kind: str
    comparator: str
    thresholds: dict[str, list[StepOut]] = Field(..., description="tier -> steps by year")
    owner_zh: str
    owner_en: str
    definition_zh: str
    definition_en: str
    informational: bool
    same_measure_as: str


class RunOut(Schema):
    id: int
    year: int
    finished_at: datetime
    as_of: date
    trigger: str


class ResultOut(Schema):
    indicator: str
    level: str
    org_unit: str | None = Field(None, description="org unit code")
    org_unit_name: str | None = None
    venue: str | None = Field(None, description="venue code (venue-level results)")
    venue_name: str | None = None
    tier: str
    year: int
    value: float | None
    target: float | None
    comparator: str
    unit: str
    status: str = Field(..., description="met, not_met, not_due, no_data, not_applicable, info")
    gap: float | None
    relative_gap: float | None
    source: str | None = Field(None, description="computed, reported, attested or null")
    reported_value: float | None
    conflict: bool
    owner: str


class ResultsPage(Schema):
    year: int
    unit: str
    run: RunOut | None = Field(None, description="the latest finished run; null: none yet")
    count: int
    items: list[ResultOut]


class ResultFilters(Schema):
    year: int | None = Field(None, ge=1900, le=2999, description="default: this year")
    unit: str | None = Field(None, max_length=12, description="org unit code: it and below")
    indicator: str | None = Field(None, max_length=8, description="e.g. T10")
    level: str | None = Field(None, max_length=16, description="district/subdistrict/...")
    limit: int = Field(1000, ge=1, le=5000)
    offset: int = Field(0, ge=0, le=10_000_000)


def _result_out(r: IndicatorResult) -> dict[str, Any]:
    ind = catalogue.CATALOGUE.get(r.indicator_id)
    return {
        "indicator": r.indicator_id,
        "level": r.level,
        "org_unit": r.org_unit.code if r.org_unit else None,
        "org_unit_name": r.org_unit.name_zh if r.org_unit else None,
        "venue": r.venue.code if r.venue else None,
        "venue_name": r.venue.name_zh if r.venue else None,
        "tier": r.tier,
        "year": r.year,
        "value": r.value,
        "target": r.target,
        "comparator": r.comparator,
        "unit": r.unit,
        "status": r.status,
        "gap": r.gap,
        "relative_gap": r.relative_gap,
        "source": r.source or None,
        "reported_value": r.reported_value,
        "conflict": r.conflict,
        "owner": ind.owner_zh if ind else "",
    }


@router.get("/indicators", response=list[IndicatorOut])
def list_indicators(request):
    """The catalogue: every indicator with its clause, levels, thresholds and owner."""
    selectors.results_reader(request.user)
    return [
        {
            **{
                k: getattr(ind, k)
                for k in (
                    "id",
                    "clause",
                    "quote_zh",
                    "title_zh",
                    "title_en",
                    "unit",
                    "kind",
                    "comparator",
                    "owner_zh",
                    "owner_en",
                    "definition_zh",
                    "definition_en",
                    "informational",
                    "same_measure_as",
                )
            },  # fmt: skip
            "levels": list(ind.levels),
            "thresholds": {
                tier: [{"from_year": s.from_year, "threshold": s.threshold} for s in steps]
                for tier, steps in ind.thresholds.items()
            },
        }
        for ind in catalogue.CATALOGUE.values()
    ]


@router.get("/results", response=ResultsPage)
def list_results(request, filters: Query[ResultFilters]):
    """Stored results of the latest finished run of ``year`` for ``unit`` and everything below
    it in the caller's scope (venues by location), optionally one indicator and/or one level."""
    year = filters.year or timezone.localdate().year
    check_year(year)
    indicator = (filters.indicator or "").strip().upper()
    if indicator and indicator not in catalogue.CATALOGUE:
        raise ValidationFailed(_("没有编号为 %(id)s 的指标") % {"id": indicator}, field="indicator")
    if filters.level and filters.level not in LEVELS:
        raise ValidationFailed(
            _("层级应为 district、subdistrict、community 或 venue"), field="level"
        )
    unit = selectors.focus_unit(viewer=request.user, code=filters.unit)
    run = selectors.run_latest(viewer=request.user, year=year)
    items: list[dict[str, Any]] = []
    count = 0
    if run is not None:
        qs = selectors.results_under(
            viewer=request.user, run=run, unit=unit, indicator_id=indicator or None,
            level=filters.level or None,
        )  # fmt: skip
        count = qs.count()
        items = [_result_out(r) for r in qs[filters.offset : filters.offset + filters.limit]]
    return {"year": year, "unit": unit.code, "run": run, "count": count, "items": items}
