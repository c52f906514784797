"""Spreadsheet export of org units: the same columns as the importer, so an export re-imports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from culture.core.scope import viewer_scope
from culture.org.importers import ORG_UNIT_COLUMNS
from culture.org.models import OrgLevel, OrgUnit
from culture.spreadsheets.framework import Exporter, register_exporter


@register_exporter
class OrgUnitExporter(Exporter):
    name = "org_units"
    title_zh = "组织单位"
    title_en = "Org units"
    columns = ORG_UNIT_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        qs = viewer_scope(viewer).filter(OrgUnit.objects.all(), "path").select_related("parent")
        level = filters.get("level")
        if level in OrgLevel.values:
            qs = qs.filter(level=level)
        parent = filters.get("parent")
        if parent:
            qs = qs.filter(path__contains=f"{parent}/").exclude(code=parent)
        q = (filters.get("q") or "").strip()
        if q:
            qs = qs.filter(name_zh__icontains=q) | qs.filter(code__startswith=q)
        for unit in qs.order_by("code").iterator(chunk_size=2000):
            yield {
                "code": unit.code,
                "level": unit.level,
                "parent_code": unit.parent.code if unit.parent else "",
                "name_zh": unit.name_zh,
                "name_en": unit.name_en,
                "population": unit.population,
                "area_km2": unit.area_km2,
            }
