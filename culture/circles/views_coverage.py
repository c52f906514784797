"""The coverage page (/circles/): share of residents and points covered per subdistrict and
community, a map of covered and uncovered homes with the venues and spaces, and a what-if (a
click drops a hypothetical venue or space; the server engine recomputes); residential point and
candidate site lists."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from culture.circles.points import SOURCE_LABELS
from culture.circles.registry import accepted_circle_population
from culture.circles.report import (
    UnitCoverage,
    coverage_report,
    facility_rows,
    home_rows,
    parse_sites,
    table_rows,
)
from culture.circles.rules import CoverageRule
from culture.circles.selectors import (
    RULES,
    ListFilters,
    candidate_site_list,
    residential_point_list,
    rule_for,
)
from culture.core.errors import ServiceError, ValidationFailed
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel
from culture.venues.selectors import paginate


def _params(request) -> tuple[CoverageRule, str]:
    radius = request.GET.get("radius") or None
    try:
        radius_m = float(radius) if radius is not None else None
    except ValueError:
        raise ValidationFailed(_("半径须为数字（米）"), field="radius") from None
    rule = rule_for(request.GET.get("rule") or None, radius_m)
    return rule, (request.GET.get("unit") or "").strip()


def _export_url(name: str, query: dict[str, str]) -> str | None:
    try:
        base = reverse("spreadsheets:export", args=[name])
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({**query, 'format': 'xlsx'})}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _accepted(viewer: Any) -> dict[str, Any]:
    """Residents inside accepted circles (the province's yardstick), beside the distance."""
    total = accepted_circle_population(viewer=viewer).total
    return {
        "pct": _pct(total.share),
        "population": f"{total.accepted_population:,}",
        "of": f"{total.population:,}",
        "communities": total.accepted_communities,
        "of_communities": total.communities,
    }


def _worst_first(rows: list[UnitCoverage]) -> list[UnitCoverage]:
    """The communities, lowest share of residents covered first (no share: last)."""
    mine = [r for r in rows if r.level == OrgLevel.COMMUNITY]
    return sorted(mine, key=lambda r: (r.share_population is None, r.share_population or 0, r.code))


def _row(row: UnitCoverage, rule: CoverageRule) -> dict[str, Any]:
    data = row.as_dict()
    data.update(
        pct_population=_pct(row.share_population),
        pct_points=_pct(row.share_points),
        pct_population_city=_pct(row.share_population_city),
        fmt_population=f"{row.population:,}",
        fmt_population_covered=f"{row.population_covered:,}",
        lacking_list=[row.lacking.get(r.key, 0) for r in rule.requirements],
        source_label=SOURCE_LABELS.get(row.source, ""),
    )
    return data


@login_required
@require_GET
def coverage_page(request):
    rule, unit = _params(request)
    report = coverage_report(viewer=request.user, rule=rule, unit=unit or None)
    scope = viewer_scope(request.user)
    query = {k: v for k, v in {"rule": rule.key, "unit": unit}.items() if v}
    if request.GET.get("radius"):
        query["radius"] = request.GET["radius"]
    total = report.total
    rows = table_rows(report)
    if total.level == OrgLevel.COMMUNITY:
        geo_query = {"unit": total.code}
    elif total.level == OrgLevel.SUBDISTRICT:
        geo_query = {"level": OrgLevel.COMMUNITY, "parent": total.code}
    elif total.level == OrgLevel.DISTRICT:
        geo_query = {"level": OrgLevel.SUBDISTRICT}
    else:  # several units of the viewer's
        geo_query = {"level": OrgLevel.COMMUNITY}
    sources: dict[str, list[str]] = {}
    for c in report.communities:
        sources.setdefault(c.source, []).append(c.name)
    return render(
        request,
        "circles/coverage.html",
        {
            "nav": "circles",
            "report": report,
            "rule": rule,
            "rules": [(key, factory().label) for key, factory in RULES.items()],
            "unit": unit,
            "total": total,
            "fmt": {
                "population": f"{total.population:,}",
                "population_covered": f"{total.population_covered:,}",
            },
            "pct": {
                "population": _pct(total.share_population),
                "points": _pct(total.share_points),
                "population_city": _pct(total.share_population_city),
                "points_city": _pct(total.share_points_city),
            },
            "requirements": [
                {
                    "key": r.key,
                    "label": r.label,
                    "at_least": r.at_least,
                    "lacking": total.lacking.get(r.key, 0),
                }
                for r in rule.requirements
            ],  # fmt: skip
            "unit_rows": [
                _row(r, rule) for r in rows if r is total or r.level != OrgLevel.COMMUNITY
            ],
            "community_rows": [_row(r, rule) for r in _worst_first(rows) if r is not total],
            "open_communities": total.level != OrgLevel.DISTRICT or len(rows) <= 30,
            "sources": [
                (SOURCE_LABELS.get(k, k), k, names) for k, names in sorted(sources.items())
            ],
            "subdistrict_choices": report.subdistricts if scope.all_units else [],
            "data_url": f"{reverse('circles:coverage_data')}?{urlencode(query)}",
            "geojson_url": f"{reverse('org:geojson')}?{urlencode(geo_query)}",
            "export_url": _export_url("circle_coverage", query),
            "can_import": not scope.is_read_only,
            "accepted": _accepted(request.user),
        },
    )


@login_required
@require_GET
def coverage_data(request):
    """The map's data as JSON: homes (covered or what they lack), facilities, totals; with
    ``sites=lon,lat,key;...`` the coverage with those hypothetical facilities added (what-if:
    recomputed by the server engine, nothing stored)."""
    try:
        rule, unit = _params(request)
        extra = parse_sites(request.GET.get("sites", ""), rule)
        report = coverage_report(viewer=request.user, rule=rule, unit=unit or None, extra=extra)
    except ServiceError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    total = report.total.as_dict()
    return JsonResponse(
        {
            "rule": rule.key,
            "radius_m": report.radius_m,
            "city_radius_m": report.city_radius_m,
            "requirements": [
                {"key": r.key, "label": str(r.label), "at_least": r.at_least}
                for r in rule.requirements
            ],
            "total": total,
            "pct": {
                "population": _pct(report.total.share_population),
                "points": _pct(report.total.share_points),
                "population_city": _pct(report.total.share_population_city),
                "points_city": _pct(report.total.share_points_city),
            },
            "homes": home_rows(report),
            "facilities": [] if extra else facility_rows(report, viewer=request.user),
            "sites": [
                {"key": key, "lon": lon, "lat": lat}
                for key, places in (extra or {}).items()
                for lon, lat in places
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _list_page(request, *, template: str, rows: Any, export: str, importer: str):
    filters = ListFilters(
        unit=request.GET.get("unit", "").strip(), q=request.GET.get("q", "").strip()
    )
    page = paginate(rows(viewer=request.user, filters=filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = viewer_scope(request.user)
    return render(
        request,
        template,
        {
            "nav": "circles",
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "export_url": _export_url(export, {"unit": filters.unit, "q": filters.q}),
            "import_url": reverse("spreadsheets:import", args=[importer])
            if not scope.is_read_only
            else None,
        },
    )


@login_required
@require_GET
def point_list(request):
    return _list_page(
        request, template="circles/coverage_points.html", rows=residential_point_list,
        export="residential_points", importer="residential_points",
    )  # fmt: skip


@login_required
@require_GET
def site_list(request):
    return _list_page(
        request, template="circles/coverage_sites.html", rows=candidate_site_list,
        export="candidate_sites", importer="candidate_sites",
    )  # fmt: skip
