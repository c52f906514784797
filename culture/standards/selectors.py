"""Reads of stored evaluation results (the cockpit, the indicator pages, the API).

Every read goes through the viewer's org scope: district officers and evaluators see every unit,
a subdistrict officer their subdistrict and its communities, a community worker their community.
Residents and venue managers are refused. Nothing here recomputes: pages read the latest finished
run of a year (``EvaluationRun``), and every function runs a fixed number of queries whatever the
number of units, venues or records.

``standings`` says how units stand on every indicator (``culture.standards.standing``: a unit's
own result combined with the results of the units below it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from culture.activities.models import ActivityMonthSummary
from culture.core.errors import NotFound, OutOfScope
from culture.core.roles import Role
from culture.core.scope import Scope, viewer_scope
from culture.org.models import CODE_LENGTH, OrgLevel, OrgUnit
from culture.standards import catalogue
from culture.standards.models import EvaluationRun, IndicatorResult, Status
from culture.standards.standing import Standing, UnitStanding, combine

READER_ROLES = (
    Role.DISTRICT_OFFICER,
    Role.EVALUATOR,
    Role.SUBDISTRICT_OFFICER,
    Role.COMMUNITY_WORKER,
)
ORG_ORDER = (OrgLevel.DISTRICT, OrgLevel.SUBDISTRICT, OrgLevel.COMMUNITY)
VENUE = "venue"
RESULT_FIELDS = (
    "indicator_id", "org_unit_id", "org_path", "level", "tier", "value", "target", "comparator",
    "unit", "status", "gap", "relative_gap", "source", "reported_value", "conflict", "parts",
)  # fmt: skip


def path_length(level: str) -> int:
    """Length of the materialised path of a unit at ``level`` ("330105/" is 7)."""
    n = ORG_ORDER.index(OrgLevel(level)) + 1
    return sum(CODE_LENGTH[lv] + 1 for lv in ORG_ORDER[:n])


def deeper_levels(level: str) -> tuple[str, ...]:
    return ORG_ORDER[ORG_ORDER.index(OrgLevel(level)) + 1 :]


def results_reader(viewer: Any) -> Scope:
    """The viewer's scope, or OutOfScope for residents, venue managers and anonymous callers."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    if not scope.has_role(*READER_ROLES):
        raise OutOfScope(_("您的角色无权查看指标评估结果"))
    return scope


# ----- units and runs ----------------------------------------------------------------------------
def focus_unit(*, viewer: Any, code: str | None = None) -> OrgUnit:
    """The unit a page is about: ``code`` (within scope) or the viewer's own top unit."""
    scope = results_reader(viewer)
    code = (code or "").strip()
    if code:
        unit = OrgUnit.objects.filter(code=code[:12]).first()
        if unit is None:
            raise NotFound(_("没有区划代码为 %(code)s 的单位") % {"code": code[:12]})
        scope.require_see(unit.path)
        return unit
    qs = OrgUnit.objects.filter(is_active=True)
    if scope.all_units:
        qs = qs.filter(level=OrgLevel.DISTRICT)
    else:
        qs = qs.filter(path__in=scope.read_paths)
    unit = qs.order_by("path").first()
    if unit is None:
        raise NotFound(_("尚未建立组织架构"))
    return unit


def unit_breadcrumbs(*, viewer: Any, unit: OrgUnit) -> list[OrgUnit]:
    """The units above ``unit`` that the viewer may see, top first (one query)."""
    scope = results_reader(viewer)
    parts = unit.path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
    above = OrgUnit.objects.filter(path__in=prefixes).order_by("path")
    return [u for u in above if scope.can_see_path(u.path)]


def run_latest(*, viewer: Any, year: int) -> EvaluationRun | None:
    """The latest finished evaluation run of ``year`` (None if there is none)."""
    results_reader(viewer)
    return (
        EvaluationRun.objects.filter(year=year, finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .first()
    )


def run_years(*, viewer: Any) -> list[int]:
    results_reader(viewer)
    qs = EvaluationRun.objects.filter(finished_at__isnull=False).values_list("year", flat=True)
    return sorted(set(qs.distinct()))


# ----- stored results ----------------------------------------------------------------------------
def _results(scope: Scope, run: EvaluationRun | int) -> QuerySet[IndicatorResult]:
    run_id = run if isinstance(run, int) else run.pk
    return scope.filter(IndicatorResult.objects.filter(run_id=run_id), "org_path")


def unit_results(
    *, viewer: Any, run: EvaluationRun, unit: OrgUnit, children: bool = True
) -> QuerySet[IndicatorResult]:
    """The org-level results of ``unit`` (and of its children), ordered by indicator and unit."""
    scope = results_reader(viewer)
    scope.require_see(unit.path)
    levels = [unit.level, *deeper_levels(unit.level)[:1]] if children else [unit.level]
    qs = _results(scope, run).filter(
        venue__isnull=True, org_path__startswith=unit.path, level__in=levels
    )
    return qs.select_related("org_unit").order_by("indicator_id", "org_path")


def results_under(
    *,
    viewer: Any,
    run: EvaluationRun,
    unit: OrgUnit,
    indicator_id: str | None = None,
    level: str | None = None,
) -> QuerySet[IndicatorResult]:
    """Every result of ``unit`` and below (venues included), optionally of one indicator and/or
    one level, ordered by indicator, level, unit and venue."""
    scope = results_reader(viewer)
    scope.require_see(unit.path)
    qs = _results(scope, run).filter(org_path__startswith=unit.path)
    if indicator_id:
        qs = qs.filter(indicator_id=indicator_id)
    if level:
        qs = qs.filter(level=level)
    return qs.select_related("org_unit", "venue").order_by(
        "indicator_id", "level", "org_path", "venue__code"
    )


def indicator_results(
    *, viewer: Any, run: EvaluationRun, indicator_id: str, level: str, under: OrgUnit
) -> QuerySet[IndicatorResult]:
    """One indicator's results at ``level`` (an org level or "venue") for ``under`` and below."""
    scope = results_reader(viewer)
    scope.require_see(under.path)
    qs = _results(scope, run).filter(
        indicator_id=indicator_id, level=level, org_path__startswith=under.path
    )
    return qs.select_related("org_unit", "venue").order_by("org_path", "venue__code")


def venue_results(
    *, viewer: Any, run: EvaluationRun, unit: OrgUnit, indicator_id: str | None = None
) -> QuerySet[IndicatorResult]:
    """The venue-level results of the venues standing in ``unit`` (by location community)."""
    scope = results_reader(viewer)
    scope.require_see(unit.path)
    qs = _results(scope, run).filter(level=VENUE, org_path__startswith=unit.path)
    if indicator_id:
        qs = qs.filter(indicator_id=indicator_id)
    return qs.select_related("venue", "org_unit").order_by("venue__code", "indicator_id")


# ----- standings -----------------------------------------------------------------------------------
def standings(
    *, viewer: Any, run: EvaluationRun | int, under: OrgUnit, level: str
) -> list[UnitStanding]:
    """How every unit of ``level`` under ``under`` (or ``under`` itself) stands on every
    catalogue indicator: three queries whatever the number of units."""
    scope = results_reader(viewer)
    scope.require_see(under.path)
    units = list(
        scope.filter(
            OrgUnit.objects.filter(level=level, path__startswith=under.path, is_active=True),
            "path",
        ).order_by("code")
    )
    base = _results(scope, run).filter(venue__isnull=True, org_path__startswith=under.path)
    own: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in base.filter(level=level).values(*RESULT_FIELDS):
        own[row["org_path"]][row["indicator_id"]] = row
    n = path_length(level)
    below: dict[tuple[str, str], dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    if deeper_levels(level):
        grouped = (
            base.filter(level__in=deeper_levels(level))
            .annotate(prefix=Substr("org_path", 1, n))
            .values("indicator_id", "level", "prefix", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for g in grouped:
            below[(g["prefix"], g["indicator_id"])][g["level"]][g["status"]] += g["n"]
    out = []
    for unit in units:
        mine = own.get(unit.path, {})
        by_indicator = {}
        for ind_id in catalogue.CATALOGUE:
            row = mine.get(ind_id)
            counts = below.get((unit.path, ind_id), {})
            if row is None and not counts:
                continue
            by_indicator[ind_id] = combine(ind_id, row, counts)
        out.append(UnitStanding(unit, by_indicator))
    return out


@dataclass
class HistoryPoint:
    year: int
    run: dict[str, Any]
    standing: Standing | None


def indicator_history(*, viewer: Any, indicator_id: str, unit: OrgUnit) -> list[HistoryPoint]:
    """The unit's standing on one indicator in every year with a run (the latest run of each
    year), oldest first: three queries."""
    scope = results_reader(viewer)
    scope.require_see(unit.path)
    latest: dict[int, Any] = {}
    for r in (
        EvaluationRun.objects.filter(finished_at__isnull=False)
        .order_by("year", "-finished_at", "-id")
        .values("id", "year", "finished_at", "as_of")
    ):
        latest.setdefault(r["year"], r)
    run_ids = [r["id"] for r in latest.values()]
    base = scope.filter(
        IndicatorResult.objects.filter(
            run_id__in=run_ids,
            indicator_id=indicator_id,
            venue__isnull=True,
            org_path__startswith=unit.path,
        ),
        "org_path",
    )
    own = {r["run_id"]: r for r in base.filter(level=unit.level).values("run_id", *RESULT_FIELDS)}
    below: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    if deeper_levels(unit.level):
        for g in (
            base.filter(level__in=deeper_levels(unit.level))
            .values("run_id", "level", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            below[g["run_id"]][g["level"]][g["status"]] += g["n"]
    points = []
    for year in sorted(latest):
        run = latest[year]
        row, counts = own.get(run["id"]), below.get(run["id"], {})
        standing = combine(indicator_id, row, counts) if row or counts else None
        points.append(HistoryPoint(year, run, standing))
    return points


# ----- venues, activity trends ---------------------------------------------------------------------
def venue_standings(*, viewer: Any, run: EvaluationRun, unit: OrgUnit) -> list[dict[str, Any]]:
    """Each venue standing in ``unit``: its code, names and the status of every venue rule."""
    venues: dict[int, dict[str, Any]] = {}
    for r in (
        venue_results(viewer=viewer, run=run, unit=unit)
        .values(
            "venue_id", "venue__code", "venue__name_zh", "venue__name_en", "indicator_id", "status"
        )  # fmt: skip
        .order_by("venue__code", "indicator_id")
    ):
        v = venues.setdefault(
            r["venue_id"],
            {
                "code": r["venue__code"],
                "name_zh": r["venue__name_zh"],
                "name_en": r["venue__name_en"],
                "rules": [],
            },  # fmt: skip
        )
        v["rules"].append((r["indicator_id"], r["status"]))
    for v in venues.values():
        statuses = Counter(s for _i, s in v["rules"])
        v["met"] = statuses.get(Status.MET, 0)
        v["judged"] = v["met"] + statuses.get(Status.NOT_MET, 0)
    return list(venues.values())


def activity_trend(*, viewer: Any, year: int, unit: OrgUnit) -> list[dict[str, int]]:
    """Activities and person-times per month of ``year`` organised by ``unit`` or below it (the
    kept-up-to-date monthly summaries, one grouped query). Twelve rows, months without activity
    at zero."""
    scope = results_reader(viewer)
    scope.require_see(unit.path)
    rows = {
        r["month"]: r
        for r in ActivityMonthSummary.objects.filter(
            year=year, organiser_path__startswith=unit.path
        )
        .values("month")
        .annotate(activities=Sum("activities"), attendance=Sum("attendance"))
        .order_by()
    }
    return [
        {
            "month": m,
            "activities": int((rows.get(m) or {}).get("activities") or 0),
            "attendance": int((rows.get(m) or {}).get("attendance") or 0),
        }
        for m in range(1, 13)
    ]
