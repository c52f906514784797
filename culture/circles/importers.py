"""Spreadsheet import of residential points (居住点, keyed by 居住点编号) and candidate sites
(候选点位, keyed by 候选点编号).

Coordinates may come from a Chinese web map: the 坐标系 column says which system (WGS-84,
GCJ-02, BD-09); they are converted to WGS-84 and must lie in the district. The community is the
one named in 社区代码, or else the one whose boundary holds the point. Every row is checked by
the service's own rules before anything is saved; a code twice in one file is refused by the
framework (the key column).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from culture.circles.services import (
    candidate_site_check,
    candidate_site_upsert,
    residential_point_check,
    residential_point_upsert,
)
from culture.core import geo
from culture.core.errors import FieldErrors, OutOfScope
from culture.org.models import OrgUnit
from culture.spreadsheets.framework import DECIMAL, INT, TEXT, Column, Importer, register_importer
from culture.venues.models import CoordSystem

COORD_HELP = "留空表示 WGS-84；高德/腾讯地图坐标选 GCJ-02，百度地图坐标选 BD-09"
COMMUNITY_HELP = "12位社区区划代码；留空则按坐标所在社区确定"

POINT_COLUMNS = (
    Column("code", "居住点编号", "Code", TEXT, required=True, help_zh="唯一编号；重复导入按编号更新"),
    Column("name", "名称", "Name", TEXT, help_zh="小区或居住区名称"),
    Column("community", "社区代码", "Community code", TEXT, help_zh=COMMUNITY_HELP),
    Column("lon", "经度", "Longitude", DECIMAL, required=True),
    Column("lat", "纬度", "Latitude", DECIMAL, required=True),
    Column("coord_system", "坐标系", "Coordinate system", choices=CoordSystem, help_zh=COORD_HELP),
    Column("population", "居住人口", "Population", INT, required=True, help_zh="不小于0的整数"),
)  # fmt: skip

SITE_COLUMNS = (
    Column("code", "候选点编号", "Code", TEXT, required=True, help_zh="唯一编号；重复导入按编号更新"),
    Column("name", "名称", "Name", TEXT),
    Column("community", "社区代码", "Community code", TEXT, help_zh=COMMUNITY_HELP),
    Column("lon", "经度", "Longitude", DECIMAL, required=True),
    Column("lat", "纬度", "Latitude", DECIMAL, required=True),
    Column("coord_system", "坐标系", "Coordinate system", choices=CoordSystem, help_zh=COORD_HELP),
    Column("note", "说明", "Note", TEXT, help_zh="如：可用房屋面积、产权单位"),
)  # fmt: skip


class _PlacedImporter(Importer):
    """Shared: the community column and one boundary index per import run."""

    def __init__(self) -> None:
        self.units: dict[str, OrgUnit | None] = {}
        self.locator: geo.CommunityIndex | None = None

    def _locator(self) -> geo.CommunityIndex:
        if self.locator is None:
            self.locator = geo.CommunityIndex.load()
        return self.locator

    def _community(self, row: dict[str, Any]) -> OrgUnit | None:
        code = row.get("community") or ""
        if not code:
            return None
        if code not in self.units:
            self.units[code] = OrgUnit.objects.filter(code=code).first()
        unit = self.units[code]
        if unit is None:
            raise FieldErrors({"community": [_("没有区划代码为 %(code)s 的社区") % {"code": code}]})
        return unit

    @staticmethod
    def _scoped(row: dict[str, Any], check: Any, **kwargs: Any) -> Any:
        """Run the service's check; a place outside the viewer's scope is reported on the
        community column (or the longitude when the community comes from the coordinates)."""
        try:
            return check(**kwargs)
        except OutOfScope as exc:
            raise FieldErrors(
                {"community" if row.get("community") else "lon": [exc.message]}
            ) from None

    def _place(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "lon": float(row["lon"]),
            "lat": float(row["lat"]),
            "coord_system": row.get("coord_system") or CoordSystem.WGS84,
            "community": self._community(row),
            "locator": self._locator(),
        }


@register_importer
class ResidentialPointImporter(_PlacedImporter):
    name = "residential_points"
    title_zh = "居住点"
    title_en = "Residential points"
    description_zh = (
        "按居住点编号新增或更新居住点（小区坐标与居住人口），用于计算15分钟文化生活圈覆盖率。"
        "坐标可为 WGS-84、GCJ-02（高德/腾讯）或 BD-09（百度），导入时转换为 WGS-84，须在本区范围内。"
        "导入了居住点的社区按导入的点计算，其余社区按人口在边界内均布生成。"
    )
    columns = POINT_COLUMNS
    key_columns = ("code",)

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        place = self._place(row)
        self._scoped(
            row, residential_point_check, actor=viewer, code=row["code"],
            population=row["population"], name=row["name"], **place,
        )  # fmt: skip
        row["_place"] = place
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _point, outcome = residential_point_upsert(
            actor=actor, code=row["code"], population=row["population"], name=row["name"],
            request=request, **row["_place"],
        )  # fmt: skip
        return outcome


@register_importer
class CandidateSiteImporter(_PlacedImporter):
    name = "candidate_sites"
    title_zh = "候选点位"
    title_en = "Candidate sites"
    description_zh = (
        "按候选点编号新增或更新可新建城市书房、文化驿站等的候选点位，用于选址测算。"
        "坐标规则同居住点；同一位置（1米内）不能有两个候选点。"
    )
    columns = SITE_COLUMNS
    key_columns = ("code",)

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, float, float]] = []

    def validate_row(self, row: dict[str, Any], *, viewer: Any) -> dict[str, Any]:
        place = self._place(row)
        values, _existing = self._scoped(
            row, candidate_site_check, actor=viewer, code=row["code"], name=row["name"],
            note=row["note"], **place,
        )  # fmt: skip
        here = geo.metric_transformer().transform(values["lon"], values["lat"])
        for code, x, y in self.seen:
            if ((x - here[0]) ** 2 + (y - here[1]) ** 2) ** 0.5 < 1.0:
                raise FieldErrors(
                    {"lon": [_("与本文件中的候选点 %(code)s 位置重复") % {"code": code}]}
                )
        self.seen.append((row["code"], here[0], here[1]))
        row["_place"] = place
        return row

    def save_row(self, row: dict[str, Any], *, actor: Any, request: Any) -> str:
        _site, outcome = candidate_site_upsert(
            actor=actor, code=row["code"], name=row["name"], note=row["note"], request=request,
            **row["_place"],
        )  # fmt: skip
        return outcome
