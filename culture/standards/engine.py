"""The engine: evaluate every indicator of the catalogue for one year, for every unit.

``evaluate_compute`` is pure reading: it builds the Context, runs each calculator once per level,
merges reported figures and accepted attestations, rolls venue results up to the org units and
returns result rows. ``culture.standards.services.evaluation_run`` stores them as a run.

Rules (product.md, Decisions):
- computed values win; a reported figure is used only where no records exist, and shown beside
  a computed one as a conflict when they differ;
- a value of None is ``no_data`` (never a silent zero); a unit the rule does not apply to is
  ``not_applicable``; information-only indicators are ``info``; a year before the first
  threshold step is ``not_due`` (value and progress shown, no verdict).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from culture.core.errors import ValidationFailed
from culture.org.models import OrgUnit
from culture.standards.calculators import Context, Measure, UnitInfo
from culture.standards.catalogue import CATALOGUE
from culture.standards.catalogue.types import (
    AT_MOST,
    ORG_LEVELS,
    POLICY_FIRST_YEAR,
    SHARE,
    VENUE,
    Indicator,
)
from culture.standards.definitions import DEFINITIONS
from culture.standards.models import (
    Attestation,
    AttestationStatus,
    NamedDefinition,
    ReportedFigure,
    ReportStatus,
    Source,
    Status,
)
from culture.venues.models import Venue

EPSILON = 1e-9


@dataclass
class ResultRow:
    indicator_id: str
    level: str
    org_unit_id: int | None
    org_path: str
    venue_id: int | None
    tier: str
    value: float | None
    target: float | None
    comparator: str
    unit: str
    status: str
    gap: float | None
    relative_gap: float | None
    source: str
    reported_value: float | None = None
    conflict: bool = False
    parts: dict[str, Any] = field(default_factory=dict)


def current_definitions() -> dict[str, Any]:
    stored = dict(NamedDefinition.objects.values_list("key", "value"))
    return {d.key: stored.get(d.key, d.default()) for d in DEFINITIONS}


def check_year(year: int) -> None:
    today = timezone.localdate()
    if year < POLICY_FIRST_YEAR:
        raise ValidationFailed(
            _("%(year)s 年早于政策施行（%(first)s 年起），不作评估")
            % {"year": year, "first": POLICY_FIRST_YEAR},
            field="year",
        )
    if year > today.year:
        raise ValidationFailed(_("%(year)s 年尚未开始，不作评估") % {"year": year}, field="year")


def build_context(year: int, definitions: dict[str, Any] | None = None) -> Context:
    check_year(year)
    today = timezone.localdate()
    as_of = today if year == today.year else date(year, 12, 31)
    rows: dict[str, list[UnitInfo]] = defaultdict(list)
    for u in (
        OrgUnit.objects.filter(is_active=True)
        .order_by("path")
        .values("id", "code", "path", "level", "name_zh", "population", "parent_id")
    ):
        rows[u["level"]].append(UnitInfo(**u))
    return Context(
        year=year,
        definitions=definitions if definitions is not None else current_definitions(),
        unit_rows=dict(rows),
        as_of=as_of,
    )


def _reported(year: int) -> dict[tuple[str, int], dict[str, float]]:
    out: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
    for ind, key, unit_id, value in ReportedFigure.objects.filter(
        year=year, status=ReportStatus.APPROVED
    ).values_list("indicator_id", "field_key", "org_unit_id", "value"):
        out[(ind, unit_id)][key] = float(value)
    return out


def _attested(year: int) -> dict[tuple[str, int], str]:
    """(indicator, unit) -> the best attestation status of the year (accepted first)."""
    order = {
        AttestationStatus.ACCEPTED: 0,
        AttestationStatus.PENDING: 1,
        AttestationStatus.REJECTED: 2,
    }
    out: dict[tuple[str, int], str] = {}
    for ind, unit_id, status in Attestation.objects.filter(year=year).values_list(
        "indicator_id", "org_unit_id", "status"
    ):
        prev = out.get((ind, unit_id))
        if prev is None or order[AttestationStatus(status)] < order[AttestationStatus(prev)]:
            out[(ind, unit_id)] = status
    return out


def verdict(
    indicator: Indicator, *, tier: str, year: int, value: float | None, passed: bool | None
) -> tuple[str, float | None, float | None, float | None]:
    """(status, target, gap, relative gap) for one value."""
    target, due = indicator.threshold_for(tier, year)
    # A tier without a threshold shows its value for information; without a value it has no
    # data (S44's communities: a verdict with no threshold, no records yet).
    if indicator.informational or (target is None and passed is None and value is not None):
        return Status.INFO, target, None, None
    if value is None and passed is None:
        return Status.NO_DATA, target, None, None
    gap = None
    if target is not None and value is not None:
        short = (value - target) if indicator.comparator == AT_MOST else (target - value)
        gap = max(short, 0.0)
    met = passed if passed is not None else (gap is not None and gap <= EPSILON)
    relative = (gap / target) if (gap and target) else (0.0 if met else None)
    if not due:
        return Status.NOT_DUE, target, gap, relative
    return (Status.MET if met else Status.NOT_MET), target, gap, relative


def _report_value(indicator: Indicator, fields: dict[str, float], unit: Any) -> Measure | None:
    """The reported figures as a Measure: ``value_from_reported`` may return a number or a
    Measure (a verdict that is not one number against the threshold, e.g. T16's 20 CNY per
    resident of which 2 CNY for books)."""
    out = (
        indicator.value_from_reported(fields, unit)
        if indicator.value_from_reported is not None
        else fields.get("value")
    )
    if out is None or isinstance(out, Measure):
        return out
    return Measure(float(out))


def _org_rows(
    indicator: Indicator,
    level: str,
    ctx: Context,
    measures: dict[int, Measure],
    reported: dict[tuple[str, int], dict[str, float]],
    attested: dict[tuple[str, int], str],
) -> list[ResultRow]:
    out = []
    for unit in ctx.units(level):
        m = measures.get(unit.id)
        tier = m.tier if m and m.tier else level
        parts = dict(m.parts) if m else {}
        fields = reported.get((indicator.id, unit.id))
        rep_measure = _report_value(indicator, fields, unit) if fields else None
        rep = rep_measure.value if rep_measure else None
        if fields:
            parts["reported"] = fields
        att = attested.get((indicator.id, unit.id))
        if att:
            parts["attestation"] = att
        base = ResultRow(
            indicator_id=indicator.id,
            level=level,
            org_unit_id=unit.id,
            org_path=unit.path,
            venue_id=None,
            tier=tier,
            value=None,
            target=None,
            comparator=indicator.comparator,
            unit=indicator.unit,
            status=Status.NOT_APPLICABLE,
            gap=None,
            relative_gap=None,
            source="",
            parts=parts,
        )
        if m is not None and not m.applicable:
            out.append(base)
            continue
        computed = m.value if m else None
        passed = m.passed if m else None
        value, source, conflict = None, Source.NONE, False
        if computed is not None or passed is not None:
            value, source = computed, Source.COMPUTED
            conflict = rep is not None and computed is not None and abs(rep - computed) > 1e-6
        elif rep_measure is not None and (rep is not None or rep_measure.passed is not None):
            value, source, passed = rep, Source.REPORTED, rep_measure.passed
            parts.update(rep_measure.parts)
        elif indicator.is_attest and att == AttestationStatus.ACCEPTED:
            value, source, passed = 1.0, Source.ATTESTED, True
        status, target, gap, rel = verdict(
            indicator,
            tier=tier,
            year=ctx.year,
            value=value,
            passed=passed if source != Source.NONE else None,
        )
        out.append(
            replace(
                base,
                value=value,
                target=target,
                status=status,
                gap=gap,
                relative_gap=rel,
                source=source,
                reported_value=rep,
                conflict=conflict,
            )
        )
    return out


def _venue_places() -> dict[int, tuple[int | None, str]]:
    """venue id -> (org unit id, path) it counts for: its location community, else operator."""
    out: dict[int, tuple[int | None, str]] = {}
    for vid, loc_id, loc_path, op_id, op_path in Venue.objects.values_list(
        "id",
        "location_community_id",
        "location_community__path",
        "operator_unit_id",
        "operator_unit__path",
    ):
        out[vid] = (loc_id, loc_path) if loc_id else (op_id, op_path)
    return out


def _venue_rows(
    indicator: Indicator,
    ctx: Context,
    measures: dict[int, Measure],
    places: dict[int, tuple[int | None, str]],
) -> list[ResultRow]:
    out = []
    for vid, m in measures.items():
        unit_id, path = places.get(vid, (None, ""))
        tier = m.tier or VENUE
        status: str
        if not m.applicable:
            status, target, gap, rel = Status.NOT_APPLICABLE, None, None, None
        else:
            status, target, gap, rel = verdict(
                indicator, tier=tier, year=ctx.year, value=m.value, passed=m.passed
            )
        out.append(
            ResultRow(
                indicator_id=indicator.id,
                level=VENUE,
                org_unit_id=unit_id,
                org_path=path or "",
                venue_id=vid,
                tier=tier,
                value=m.value,
                target=target,
                comparator=indicator.comparator,
                unit=indicator.unit,
                status=status,
                gap=gap,
                relative_gap=rel,
                source=Source.COMPUTED if m.value is not None or m.passed is not None else "",
                parts=dict(m.parts),
            )
        )
    return out


def _roll_up(indicator: Indicator, ctx: Context, venue_rows: list[ResultRow]) -> list[ResultRow]:
    """Each org unit: the share of its venues (by location) that meet the venue rule."""
    out = []
    by_prefix: dict[str, list[ResultRow]] = defaultdict(list)
    lengths = {len(u.path) for level in ORG_LEVELS for u in ctx.units(level)}
    for r in venue_rows:
        if r.status == Status.NOT_APPLICABLE:
            continue
        for n in lengths:
            if len(r.org_path) >= n:
                by_prefix[r.org_path[:n]].append(r)
    for level in ORG_LEVELS:
        for unit in ctx.units(level):
            mine = by_prefix.get(unit.path, [])
            judged = [r for r in mine if r.status in (Status.MET, Status.NOT_MET, Status.NOT_DUE)]
            met = sum(
                1
                for r in judged
                if r.status == Status.MET
                or (r.status == Status.NOT_DUE and (r.gap or 0) <= EPSILON)
            )
            parts = {
                "venues": len(mine),
                "judged": len(judged),
                "met": met,
                "no_data": sum(1 for r in mine if r.status == Status.NO_DATA),
            }
            base = ResultRow(
                indicator_id=indicator.id,
                level=level,
                org_unit_id=unit.id,
                org_path=unit.path,
                venue_id=None,
                tier=level,
                value=None,
                target=None,
                comparator=">=",
                unit=SHARE,
                status=Status.NOT_APPLICABLE,
                gap=None,
                relative_gap=None,
                source="",
                parts=parts,
            )
            if not mine:
                out.append(base)
                continue
            if not judged:
                out.append(replace(base, target=1.0, status=Status.NO_DATA))
                continue
            share = met / len(judged)
            if indicator.informational:
                status = Status.INFO
            elif any(r.status == Status.NOT_DUE for r in judged):
                status = Status.NOT_DUE
            else:
                status = Status.MET if met == len(judged) else Status.NOT_MET
            out.append(
                replace(
                    base,
                    value=share,
                    target=1.0,
                    status=status,
                    gap=1.0 - share,
                    relative_gap=1.0 - share,
                    source=Source.COMPUTED,
                )
            )
    return out


def evaluate_indicator(
    indicator: Indicator, ctx: Context, *, reported=None, attested=None, places=None
) -> list[ResultRow]:
    reported = reported if reported is not None else _reported(ctx.year)
    attested = attested if attested is not None else _attested(ctx.year)
    rows: list[ResultRow] = []
    for level in indicator.levels:
        measures = indicator.calculator(ctx, level) if indicator.calculator else {}
        if level == VENUE:
            venue_rows = _venue_rows(
                indicator, ctx, measures, places if places is not None else _venue_places()
            )
            rows += venue_rows
            if not any(lv in indicator.levels for lv in ORG_LEVELS):
                rows += _roll_up(indicator, ctx, venue_rows)
        else:
            rows += _org_rows(indicator, level, ctx, measures, reported, attested)
    return rows


def evaluate_compute(
    year: int, *, definitions: dict[str, Any] | None = None, only: list[str] | None = None
) -> tuple[Context, list[ResultRow]]:
    """Every result of ``year`` (or of the indicators in ``only``), computed, not stored."""
    ctx = build_context(year, definitions)
    reported, attested, places = _reported(year), _attested(year), _venue_places()
    rows: list[ResultRow] = []
    for indicator in CATALOGUE.values():
        if only and indicator.id not in only:
            continue
        rows += evaluate_indicator(
            indicator, ctx, reported=reported, attested=attested, places=places
        )
    return ctx, rows
