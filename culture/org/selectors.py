"""Reads of the org tree, always through the viewer's scope (``culture.core.scope``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from culture.core.errors import NotFound, ValidationFailed
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit

CHILD_LEVEL = {OrgLevel.DISTRICT: OrgLevel.SUBDISTRICT, OrgLevel.SUBDISTRICT: OrgLevel.COMMUNITY}


def fmt_int(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def fmt_float(value: float | Decimal | None, digits: int = 1) -> str:
    return "—" if value is None else f"{float(value):,.{digits}f}"


@dataclass
class UnitRow:
    """One unit in a table, with its number of (visible) children."""

    unit: OrgUnit
    n_children: int = 0

    @property
    def population(self) -> str:
        return fmt_int(self.unit.population)

    @property
    def area(self) -> str:
        return fmt_float(self.unit.area_km2, 2)

    @property
    def density(self) -> str:
        return fmt_float(self.unit.density, 0)


@dataclass
class Overview:
    """What the org tree page shows a viewer: the units at the top of their scope, the units
    listed in the table and on the map, and the KPI tiles."""

    roots: list[OrgUnit]
    focus: OrgUnit | None  # the single root, when there is one
    rows: list[UnitRow]
    n_subdistricts: int
    n_communities: int
    population: int
    area_km2: Decimal | None
    geojson_query: dict[str, str] = field(default_factory=dict)

    @property
    def population_fmt(self) -> str:
        return fmt_int(self.population)

    @property
    def area_fmt(self) -> str:
        return fmt_float(self.area_km2, 1)


def _visible(viewer: Any) -> QuerySet[OrgUnit]:
    scope = viewer_scope(viewer)
    scope.require_staff()
    return scope.filter(OrgUnit.objects.filter(is_active=True), "path")


def _with_children(qs: QuerySet[OrgUnit], viewer: Any) -> QuerySet[OrgUnit]:
    scope = viewer_scope(viewer)
    visible_child = Q(children__is_active=True) & scope.q("children__path")
    return qs.annotate(n_children=Count("children", filter=visible_child, distinct=True))


def org_unit_list(
    *, viewer: Any, level: str | None = None, parent: str | None = None
) -> QuerySet[OrgUnit]:
    """The viewer's visible units, optionally of one level and/or under one parent code,
    annotated with ``n_children`` (visible children)."""
    qs = _visible(viewer)
    if level:
        if level not in OrgLevel.values:
            raise ValidationFailed(_("层级必须是 区/街道/社区 之一"), field="level")
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return _with_children(qs, viewer).order_by("code")


def org_unit_get(*, viewer: Any, code: str) -> OrgUnit:
    """One unit by code: NotFound if there is none, OutOfScope if the viewer may not see it."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    unit = OrgUnit.objects.filter(code=code).select_related("parent").first()
    if unit is None:
        raise NotFound(_("没有区划代码为 %(code)s 的单位") % {"code": code})
    scope.require_see(unit.path)
    return unit


def org_unit_get_for_edit(*, viewer: Any, code: str) -> OrgUnit:
    """A unit the viewer may change (evaluators and units out of write scope are refused)."""
    unit = org_unit_get(viewer=viewer, code=code)
    viewer_scope(viewer).require_write(unit.path)
    return unit


def org_unit_children(*, viewer: Any, unit: OrgUnit) -> list[UnitRow]:
    qs = _with_children(_visible(viewer).filter(parent=unit), viewer).order_by("code")
    return [UnitRow(u, int(getattr(u, "n_children", 0))) for u in qs]


def org_breadcrumbs(*, viewer: Any, unit: OrgUnit) -> list[tuple[OrgUnit, bool]]:
    """The unit's ancestors from the district down, each with whether the viewer may open it."""
    scope = viewer_scope(viewer)
    codes = [c for c in unit.path.split("/") if c and c != unit.code]
    ancestors = sorted(OrgUnit.objects.filter(code__in=codes), key=lambda u: len(u.code))
    return [(a, scope.can_see_path(a.path)) for a in ancestors]


def org_overview(*, viewer: Any) -> Overview:
    scope = viewer_scope(viewer)
    visible = _visible(viewer)
    if scope.all_units:
        roots = list(visible.filter(level=OrgLevel.DISTRICT))
    else:
        candidates = list(visible.filter(path__in=scope.read_paths).order_by("code"))
        roots = [
            u
            for u in candidates
            if not any(o is not u and u.path.startswith(o.path) for o in candidates)
        ]
    focus = roots[0] if len(roots) == 1 else None
    query: dict[str, str] = {}
    if focus is not None and focus.level in CHILD_LEVEL:
        rows = org_unit_children(viewer=viewer, unit=focus)
        query = {"level": CHILD_LEVEL[OrgLevel(focus.level)], "parent": focus.code}
    else:
        with_children = {
            u.pk: u for u in _with_children(visible.filter(pk__in=[r.pk for r in roots]), viewer)
        }
        rows = [UnitRow(r, int(getattr(with_children[r.pk], "n_children", 0))) for r in roots]
        if focus is not None:
            query = {"unit": focus.code}
        elif roots:
            query = {"level": roots[0].level}
    counts = visible.aggregate(
        s=Count("pk", filter=Q(level=OrgLevel.SUBDISTRICT)),
        c=Count("pk", filter=Q(level=OrgLevel.COMMUNITY)),
    )
    areas = [r.area_km2 for r in roots if r.area_km2 is not None]
    return Overview(
        roots=roots,
        focus=focus,
        rows=rows,
        n_subdistricts=counts["s"],
        n_communities=counts["c"],
        population=sum(r.population for r in roots),
        area_km2=sum(areas, Decimal(0)) if areas else None,
        geojson_query=query,
    )


def org_geojson(
    *, viewer: Any, level: str | None = None, parent: str | None = None, unit: str | None = None
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (lon/lat) of the viewer's visible units: one unit, or those of
    a level and/or parent. Properties: code, name, name_zh, name_en, level, population,
    area_km2, density (residents per km2) and url (the unit's page)."""
    scope = viewer_scope(viewer)
    if unit:
        units = [org_unit_get(viewer=viewer, code=unit)]
    else:
        if parent:
            parent_unit = OrgUnit.objects.filter(code=parent).first()
            if parent_unit is None:
                raise NotFound(_("没有区划代码为 %(code)s 的单位") % {"code": parent})
            # The parent itself may lie above the viewer's scope (a subdistrict officer asks for
            # the district's subdistricts); refuse only when nothing under it is visible.
            if not scope.can_see_path(parent_unit.path) and not any(
                p.startswith(parent_unit.path) for p in scope.read_paths
            ):
                scope.require_see(parent_unit.path)
        if not level and not parent:
            raise ValidationFailed(_("请指定层级、上级单位或单位代码"), field="level")
        units = list(org_unit_list(viewer=viewer, level=level, parent=parent))
    features = []
    for u in units:
        if not u.boundary:
            continue
        density = u.density
        features.append(
            {
                "type": "Feature",
                "id": u.code,
                "geometry": u.boundary,
                "properties": {
                    "code": u.code,
                    "name": u.display_name,
                    "name_zh": u.name_zh,
                    "name_en": u.name_en,
                    "level": u.level,
                    "population": u.population,
                    "area_km2": float(u.area_km2) if u.area_km2 is not None else None,
                    "density": round(density) if density is not None else None,
                    "url": reverse("org:unit", args=[u.code]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
