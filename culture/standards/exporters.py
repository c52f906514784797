"""Spreadsheet export of reported figures (``reported_figures``): the importer's columns, the
review status, reason and date last (an import ignores those), so an export re-imports. Rows from the scoped selector;
filters ``year``, ``unit`` (and below), ``indicator``, ``status``."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone

from culture.spreadsheets.framework import Exporter, register_exporter
from culture.standards import catalogue
from culture.standards.importers import COLUMNS
from culture.standards.models import ReportStatus
from culture.standards.selectors_reporting import figure_list


def _field_label(indicator_id: str, key: str) -> str:
    indicator = catalogue.get_indicator(indicator_id)
    for f in indicator.report_fields if indicator else ():
        if f.key == key:
            return f.label_zh
    return key


def _number(value: Decimal) -> int | float:
    """A numeric cell: 1500.0000 -> 1500, 0.8500 -> 0.85."""
    return int(value) if value == value.to_integral_value() else float(value)


@register_exporter
class ReportedFigureExporter(Exporter):
    name = "reported_figures"
    title_zh = "统计填报"
    title_en = "Reported figures"
    columns = COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for f in figure_list(viewer=viewer, filters=filters).iterator(chunk_size=2000):
            yield {
                "indicator_id": f.indicator_id,
                "field_key": _field_label(f.indicator_id, f.field_key),
                "org_unit": f.org_unit.code,
                "year": f.year,
                "value": _number(f.value),
                "note": f.note,
                "status": str(ReportStatus(f.status).label),
                "review_reason": f.review_reason,
                "updated": timezone.localdate(f.updated_at).isoformat(),
            }
