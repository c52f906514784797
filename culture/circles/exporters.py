"""Spreadsheet export of residential points and candidate sites (the importers' columns, so an
export re-imports; coordinates written in WGS-84), and of the coverage table per unit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from culture.circles.importers import POINT_COLUMNS, SITE_COLUMNS
from culture.circles.points import SOURCE_LABELS
from culture.circles.report import coverage_report, table_rows
from culture.circles.selectors import (
    ListFilters,
    candidate_site_list,
    residential_point_list,
    rule_for,
)
from culture.core.errors import ServiceError
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel
from culture.spreadsheets.framework import DECIMAL, INT, TEXT, Column, Exporter, register_exporter
from culture.venues.models import CoordSystem

LEVEL_LABELS = dict(OrgLevel.choices)


def _filters(filters: dict[str, Any]) -> ListFilters:
    return ListFilters(unit=str(filters.get("unit") or ""), q=str(filters.get("q") or ""))


@register_exporter
class ResidentialPointExporter(Exporter):
    name = "residential_points"
    title_zh = "居住点"
    title_en = "Residential points"
    columns = POINT_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for p in residential_point_list(viewer=viewer, filters=_filters(filters)).iterator(
            chunk_size=2000
        ):
            yield {
                "code": p.code, "name": p.name, "community": p.community.code, "lon": p.lon,
                "lat": p.lat, "coord_system": CoordSystem.WGS84, "population": p.population,
            }  # fmt: skip


@register_exporter
class CandidateSiteExporter(Exporter):
    name = "candidate_sites"
    title_zh = "候选点位"
    title_en = "Candidate sites"
    columns = SITE_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for s in candidate_site_list(viewer=viewer, filters=_filters(filters)).iterator(
            chunk_size=2000
        ):
            yield {
                "code": s.code, "name": s.name, "community": s.community.code, "lon": s.lon,
                "lat": s.lat, "coord_system": CoordSystem.WGS84, "note": s.note,
            }  # fmt: skip


COVERAGE_COLUMNS = (
    Column("level", "层级", "Level", TEXT),
    Column("code", "区划代码", "Code", TEXT),
    Column("name", "名称", "Name", TEXT),
    Column("source", "居住点来源", "Points from", TEXT),
    Column("points", "居住点数", "Points", INT),
    Column("points_covered", "已覆盖居住点数", "Points covered", INT),
    Column("population", "居住人口", "Residents", INT),
    Column("population_covered", "已覆盖人口", "Residents covered", INT),
    Column("share_population", "人口覆盖率", "Share of residents covered", DECIMAL),
    Column("share_points", "居住点覆盖率", "Share of points covered", DECIMAL),
    Column("share_population_city", "人口覆盖率（1公里）", "Residents covered (1 km)", DECIMAL),
)  # fmt: skip


@register_exporter
class CoverageExporter(Exporter):
    """The coverage table of the page: the viewer's root unit, subdistricts, communities."""

    name = "circle_coverage"
    title_zh = "15分钟文化生活圈覆盖率"
    title_en = "15-minute culture circle coverage"
    columns = COVERAGE_COLUMNS

    @classmethod
    def allowed(cls, viewer: Any) -> bool:
        scope = viewer_scope(viewer)
        return scope.is_staff_user and bool(scope.all_units or scope.read_paths)

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        try:
            report = coverage_report(
                viewer=viewer,
                rule=rule_for(filters.get("rule") or None),
                unit=filters.get("unit") or None,
            )
        except ServiceError:
            return
        for row in table_rows(report):
            data = row.as_dict()
            for key in ("share_population", "share_points", "share_population_city"):
                if data[key] is not None:
                    data[key] = round(data[key], 4)
            data["level"] = str(LEVEL_LABELS.get(data["level"], data["level"]))
            data["source"] = str(SOURCE_LABELS.get(data["source"], ""))
            yield data
