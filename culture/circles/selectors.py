"""Reads of the circles' coverage, scoped by the viewer.

The homes are those of the communities the viewer may see; the facilities are every OPEN venue
of the rule's kinds in the district, wherever it stands (a home at the edge of a community is
served by the venue across the street in the next one). Names of venues outside the viewer's
venue scope are not shown, only their places.

``coverage_inputs`` is the one place the engine's inputs come from (the siting solver uses it
too); ``coverage_report`` is what the page, the command and the API show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from culture.circles import coverage as engine
from culture.circles.models import CandidateSite, ResidentialPoint
from culture.circles.points import Homes, homes_for
from culture.circles.rules import CoverageRule, culture_circle, fitness_circle
from culture.core import geo
from culture.core.errors import NotFound, OutOfScope, ValidationFailed
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit
from culture.venues.access import venue_q
from culture.venues.models import Venue, VenueKind, VenueStatus

RULES = {"culture_circle": culture_circle, "fitness_circle": fitness_circle}


def rule_for(key: str | None, radius_m: float | None = None) -> CoverageRule:
    """The named rule (default: the culture circle), optionally at another radius."""
    factory = RULES.get(key or "culture_circle")
    if factory is None:
        raise ValidationFailed(
            _("未知的覆盖规则：%(key)s（可选：%(keys)s）") % {"key": key, "keys": ", ".join(RULES)},
            field="rule",
        )
    if radius_m is not None and not (0 < float(radius_m) <= 20000):
        raise ValidationFailed(_("半径须在 0 到 20000 米之间"), field="radius")
    return factory(radius_m)


def city_radius_m() -> float:
    return float(settings.CULTURE_CIRCLE_CITY_RADIUS_M)


@dataclass
class FacilityInput:
    """The open venues that count for one requirement of the rule."""

    key: str
    label: str
    at_least: int
    xy: np.ndarray  # (m, 2) EPSG:4549 metres
    lonlat: np.ndarray  # (m, 2) WGS-84
    venue_ids: np.ndarray  # (m,)
    codes: list[str]
    names: list[str]
    kinds: list[str]

    def as_engine(self) -> engine.Facilities:
        return engine.Facilities(self.key, self.at_least, self.xy)


@dataclass
class CoverageInputs:
    rule: CoverageRule
    homes: Homes
    facilities: dict[str, FacilityInput]
    communities: list[OrgUnit]

    @property
    def homes_xy(self) -> np.ndarray:
        return self.homes.xy

    @property
    def weights(self) -> np.ndarray:
        return self.homes.weights

    @property
    def community_ids(self) -> np.ndarray:
        return self.homes.community_ids

    def requirements(self) -> list[engine.Facilities]:
        return [f.as_engine() for f in self.facilities.values()]


def _facilities(rule: CoverageRule) -> dict[str, FacilityInput]:
    kinds = {k for r in rule.requirements for k in r.kinds}
    rows = list(
        Venue.objects.filter(status=VenueStatus.OPEN, kind__in=kinds)
        .order_by("code")
        .values_list("id", "code", "name_zh", "kind", "lon", "lat")
    )
    t = geo.metric_transformer()
    out: dict[str, FacilityInput] = {}
    for req in rule.requirements:
        mine = [r for r in rows if r[3] in req.kinds]
        lonlat = np.array([(r[4], r[5]) for r in mine], dtype=float).reshape(-1, 2)
        if len(mine):
            x, y = t.transform(lonlat[:, 0], lonlat[:, 1])
            xy = np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])
        else:
            xy = np.empty((0, 2))
        out[req.key] = FacilityInput(
            key=req.key,
            label=str(req.label),
            at_least=req.at_least,
            xy=xy,
            lonlat=lonlat,
            venue_ids=np.array([r[0] for r in mine], dtype=np.int64),
            codes=[r[1] for r in mine],
            names=[r[2] for r in mine],
            kinds=[r[3] for r in mine],
        )
    return out


def communities_of(qs: QuerySet[OrgUnit]) -> list[OrgUnit]:
    return list(
        qs.filter(level=OrgLevel.COMMUNITY, is_active=True)
        .order_by("code")
        .only(
            "id",
            "code",
            "path",
            "name_zh",
            "name_en",
            "parent_id",
            "population",
            "boundary",
            "centroid_lon",
            "centroid_lat",
        )
    )


def inputs_for(communities: list[OrgUnit], rule: CoverageRule) -> CoverageInputs:
    """The engine's inputs for these communities (no scope check: callers check)."""
    return CoverageInputs(
        rule=rule,
        homes=homes_for(communities),
        facilities=_facilities(rule),
        communities=communities,
    )


def scope_root(*, viewer: Any, unit: str | None = None) -> OrgUnit | None:
    """The unit whose communities are counted: ``unit`` (checked) or, by default, the district
    for district-wide viewers and None (all of the viewer's units) for the others."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    if not scope.all_units and not scope.read_paths:
        raise OutOfScope(_("您的范围内没有社区"))
    if unit:
        root = OrgUnit.objects.filter(code=unit).first()
        if root is None:
            raise NotFound(_("没有区划代码为 %(code)s 的单位") % {"code": unit})
        scope.require_see(root.path)
        return root
    if scope.all_units:
        return OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()
    if len(scope.read_paths) == 1:
        return OrgUnit.objects.filter(path=scope.read_paths[0]).first()
    return None


def coverage_inputs(
    *, viewer: Any, rule: CoverageRule | None = None, unit: str | None = None
) -> CoverageInputs:
    """Homes of the communities the viewer may see (under ``unit`` when given), and every open
    facility of the rule's kinds in the district. Raises when there is nothing to count."""
    rule = rule or culture_circle()
    root = scope_root(viewer=viewer, unit=unit)
    qs = viewer_scope(viewer).filter(OrgUnit.objects.all(), "path")
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    inputs = inputs_for(communities_of(qs), rule)
    if not len(inputs.homes) and not inputs.homes.unlocated:
        raise ValidationFailed(
            _("没有居住点：请导入居住点，或为社区填写常住人口和边界后再计算覆盖率"), field="unit"
        )
    return inputs


def visible_venue_ids(viewer: Any) -> set[int]:
    return set(Venue.objects.filter(venue_q(viewer)).values_list("id", flat=True))


# ----- lists -------------------------------------------------------------------------------
@dataclass
class ListFilters:
    unit: str = ""
    q: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def residential_point_list(*, viewer: Any, filters: ListFilters | None = None) -> QuerySet[Any]:
    f = filters or ListFilters()
    scope = viewer_scope(viewer)
    scope.require_staff()
    qs = scope.filter(ResidentialPoint.objects.select_related("community"), "community_path")
    return _filtered(qs, f).order_by("code")


def candidate_site_list(*, viewer: Any, filters: ListFilters | None = None) -> QuerySet[Any]:
    f = filters or ListFilters()
    scope = viewer_scope(viewer)
    scope.require_staff()
    qs = scope.filter(CandidateSite.objects.select_related("community"), "community_path")
    return _filtered(qs, f).order_by("code")


def _filtered(qs: QuerySet[Any], f: ListFilters) -> QuerySet[Any]:
    if f.unit:
        qs = qs.filter(community_path__contains=f"{f.unit}/")
    if f.q:
        qs = qs.filter(Q(code__icontains=f.q) | Q(name__icontains=f.q))
    return qs


KIND_LABELS = dict(VenueKind.choices)
