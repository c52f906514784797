"""Spreadsheet export of activities: the importer's columns, so an export re-imports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from culture.activities.importers import ACTIVITY_COLUMNS, GROUP_LABELS
from culture.activities.selectors import activity_list
from culture.spreadsheets.framework import Exporter, register_exporter


@register_exporter
class ActivityExporter(Exporter):
    name = "activities"
    title_zh = "文化活动"
    title_en = "Activities"
    columns = ACTIVITY_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        qs = activity_list(viewer=viewer, filters=filters)
        for a in qs.iterator(chunk_size=2000):
            yield {
                "external_id": a.external_id,
                "title": a.title,
                "kind": a.kind,
                "organiser": a.organiser.code,
                "venue": a.venue.code if a.venue else "",
                "start_at": a.start_at,
                "end_at": a.end_at,
                "online": a.online,
                "attendance": a.attendance,
                "target_groups": "、".join(str(GROUP_LABELS[g]) for g in a.target_groups),
                "partner": a.partner,
                "brand": a.brand,
                "is_signature": a.is_signature,
                "film_release_date": a.film_release_date,
                "film_domestic": a.film_domestic,
                "sessions": a.sessions,
                "books_count": a.books_count,
                "branch_system": a.branch_system,
                "cancelled": a.cancelled,
                "description": a.description,
            }
