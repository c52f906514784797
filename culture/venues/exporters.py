"""Spreadsheet export of venues and rooms: the importers' columns, so an export re-imports
(coordinates are written in WGS-84; the computed columns are ignored on import)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from culture.core.errors import ServiceError
from culture.spreadsheets.framework import Exporter, register_exporter
from culture.venues.importers import ROOM_COLUMNS, VENUE_COLUMNS, multi_labels
from culture.venues.models import CoordSystem, FreeDay, TargetGroup
from culture.venues.selectors import VenueFilters, room_list, venue_list


def _filters(filters: dict[str, Any]) -> VenueFilters:
    return VenueFilters.from_query(filters)


@register_exporter
class VenueExporter(Exporter):
    name = "venues"
    title_zh = "场馆与空间"
    title_en = "Venues and spaces"
    columns = VENUE_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        try:
            qs = venue_list(viewer=viewer, filters=_filters(filters))
        except ServiceError:
            qs = venue_list(viewer=viewer)
        keys = [c.key for c in VENUE_COLUMNS]
        for v in qs.iterator(chunk_size=2000):
            row = {k: getattr(v, k, None) for k in keys}
            row.update(
                operator_unit=v.operator_unit.code,
                location_community=v.location_community.code if v.location_community else "",
                coord_system=CoordSystem.WGS84,
                waiver_groups=multi_labels(v.waiver_groups, TargetGroup),
                free_days=multi_labels(v.free_days, FreeDay),
            )
            yield row


@register_exporter
class RoomExporter(Exporter):
    name = "rooms"
    title_zh = "活动室"
    title_en = "Rooms"
    columns = ROOM_COLUMNS

    def rows(self, *, viewer: Any, filters: dict[str, Any]) -> Iterator[dict[str, Any]]:
        try:
            qs = room_list(viewer=viewer, filters=_filters(filters))
        except ServiceError:
            qs = room_list(viewer=viewer)
        for r in qs.iterator(chunk_size=2000):
            yield {
                "venue_code": r.venue.code,
                "name": r.name,
                "capacity": r.capacity,
                "area_m2": r.area_m2,
                "equipment": r.equipment,
                "is_active": r.is_active,
            }
