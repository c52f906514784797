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


def _communities(qs: QuerySet[OrgUnit]) -> list[OrgUnit]:
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
    inputs = inputs_for(_communities(qs), rule)
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


# ----- the coverage report -------------------------------------------------------------------
@dataclass
class UnitCoverage:
    """One unit's row: counts at the policy radius and at the city radius."""

    code: str
    name: str
    level: str
    parent_code: str
    points: int = 0
    points_covered: int = 0
    population: int = 0
    population_covered: int = 0
    points_covered_city: int = 0
    population_covered_city: int = 0
    lacking: dict[str, int] = field(default_factory=dict)  # requirement -> homes lacking it
    complete: bool = True  # False: a community inside could not be placed (no share)
    source: str = ""  # communities: imported | generated | centroid | unlocated

    def _share(self, part: int, whole: int) -> float | None:
        return part / whole if (whole and self.complete) else None

    @property
    def share_population(self) -> float | None:
        return self._share(self.population_covered, self.population)

    @property
    def share_points(self) -> float | None:
        return self._share(self.points_covered, self.points)

    @property
    def share_population_city(self) -> float | None:
        return self._share(self.population_covered_city, self.population)

    @property
    def share_points_city(self) -> float | None:
        return self._share(self.points_covered_city, self.points)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "parent": self.parent_code,
            "points": self.points,
            "points_covered": self.points_covered,
            "population": self.population,
            "population_covered": self.population_covered,
            "share_population": self.share_population,
            "share_points": self.share_points,
            "points_covered_city": self.points_covered_city,
            "population_covered_city": self.population_covered_city,
            "share_population_city": self.share_population_city,
            "share_points_city": self.share_points_city,
            "homes_lacking": dict(self.lacking),
            "complete": self.complete,
            "source": self.source,
        }


@dataclass
class CoverageReport:
    rule: CoverageRule
    radius_m: float
    city_radius_m: float
    total: UnitCoverage
    subdistricts: list[UnitCoverage]
    communities: list[UnitCoverage]
    inputs: CoverageInputs
    coverage: engine.Coverage
    coverage_city: engine.Coverage

    @property
    def unlocated(self) -> list[UnitCoverage]:
        return [c for c in self.communities if c.source == "unlocated"]


def _units_by_id(ids: set[int]) -> dict[int, OrgUnit]:
    return {
        u.id: u
        for u in OrgUnit.objects.filter(id__in=ids).only(
            "id", "code", "name_zh", "name_en", "parent_id", "level", "path"
        )
    }


def summarise(
    inputs: CoverageInputs,
    cov: engine.Coverage,
    city: engine.Coverage,
    root: OrgUnit | None,
) -> tuple[UnitCoverage, list[UnitCoverage], list[UnitCoverage]]:
    """Per community, per subdistrict and for the root: counts of points and residents."""
    comms = inputs.communities
    index = {c.id: i for i, c in enumerate(comms)}
    home_c = np.array([index[int(c)] for c in inputs.community_ids], dtype=np.int64)
    n = len(comms)
    w = inputs.weights.astype(np.float64)

    def sums(mask: np.ndarray | None = None, weights: np.ndarray | None = None) -> np.ndarray:
        values = np.ones(len(home_c)) if weights is None else weights
        if mask is not None:
            values = values * mask
        return np.bincount(home_c, weights=values, minlength=n).round().astype(np.int64)

    cols = {
        "points": sums(),
        "points_covered": sums(cov.covered),
        "population": sums(weights=w),
        "population_covered": sums(cov.covered, w),
        "points_covered_city": sums(city.covered),
        "population_covered_city": sums(city.covered, w),
    }
    lack = {k: sums(cov.lacks[k] > 0) for k in cov.keys}
    parents = _units_by_id({c.parent_id for c in comms if c.parent_id})
    rows: list[UnitCoverage] = []
    for i, c in enumerate(comms):
        parent = parents.get(c.parent_id)
        how = inputs.homes.source.get(c.id, "")
        rows.append(
            UnitCoverage(
                code=c.code, name=c.display_name, level=OrgLevel.COMMUNITY,
                parent_code=parent.code if parent else "",
                **{k: int(v[i]) for k, v in cols.items()},
                lacking={k: int(v[i]) for k, v in lack.items()},
                complete=how != "unlocated", source=how,
            )
        )  # fmt: skip

    def roll(unit: UnitCoverage, children: list[UnitCoverage]) -> UnitCoverage:
        for key in cols:
            setattr(unit, key, sum(getattr(ch, key) for ch in children))
        unit.lacking = {k: sum(ch.lacking.get(k, 0) for ch in children) for k in cov.keys}
        unit.complete = all(ch.complete for ch in children)
        return unit

    subs: list[UnitCoverage] = []
    by_parent: dict[str, list[UnitCoverage]] = {}
    for r in rows:
        by_parent.setdefault(r.parent_code, []).append(r)
    for code in sorted(by_parent):
        parent = next((p for p in parents.values() if p.code == code), None)
        if parent is None:
            continue
        subs.append(
            roll(
                UnitCoverage(code, parent.display_name, OrgLevel.SUBDISTRICT, ""),
                by_parent[code],
            )
        )
    if root is not None:
        total = UnitCoverage(root.code, root.display_name, root.level, "")
    else:
        total = UnitCoverage("", _("我的范围"), "", "")
    return roll(total, rows), subs, rows


def coverage_report(
    *,
    viewer: Any,
    rule: CoverageRule | None = None,
    unit: str | None = None,
    extra: dict[str, list[tuple[float, float]]] | None = None,
) -> CoverageReport:
    """Coverage of the viewer's homes (under ``unit``) at the rule's radius and at the city
    radius; ``extra`` adds hypothetical facilities (WGS-84 lon/lat per requirement key)."""
    rule = rule or culture_circle()
    root = scope_root(viewer=viewer, unit=unit)
    inputs = coverage_inputs(viewer=viewer, rule=rule, unit=unit)
    reqs = inputs.requirements()
    if extra:
        t = geo.metric_transformer()
        known = {r.key for r in reqs}
        for key in extra:
            if key not in known:
                raise ValidationFailed(_("未知的设施类别：%(key)s") % {"key": key}, field="sites")
        reqs = [
            r.plus(np.column_stack(t.transform(*zip(*extra[r.key], strict=True))))
            if extra.get(r.key)
            else r
            for r in reqs
        ]
    d = engine.distances(inputs.homes_xy, reqs)
    cov = engine.coverage_at(d, inputs.weights, rule.radius_m)
    city = engine.coverage_at(d, inputs.weights, city_radius_m())
    total, subs, comms = summarise(inputs, cov, city, root)
    return CoverageReport(
        rule=rule, radius_m=rule.radius_m, city_radius_m=city_radius_m(), total=total,
        subdistricts=subs, communities=comms, inputs=inputs, coverage=cov, coverage_city=city,
    )  # fmt: skip


def lacks_text(rule: CoverageRule, lacks: dict[str, int]) -> str:
    """What a home lacks, e.g. 缺公共文化场馆；公益性公共文化空间缺1个."""
    parts = []
    for req in rule.requirements:
        short = lacks.get(req.key, 0)
        if not short:
            continue
        if req.at_least == 1:
            parts.append(_("缺%(label)s") % {"label": req.label})
        else:
            parts.append(
                _("%(label)s缺%(n)d个（需%(need)d个）")
                % {"label": req.label, "n": short, "need": req.at_least}
            )
    return "；".join(parts)


def home_rows(report: CoverageReport) -> list[dict[str, Any]]:
    """Every home for the map: place, residents, covered or what it lacks."""
    h, cov = report.inputs.homes, report.coverage
    codes = {c.id: c.code for c in report.inputs.communities}
    out = []
    for i in range(len(h)):
        lacks = {k: int(cov.lacks[k][i]) for k in cov.keys}
        out.append(
            {
                "code": h.codes[i],
                "name": h.names[i],
                "community": codes.get(int(h.community_ids[i]), ""),
                "lon": round(float(h.lonlat[i, 0]), 6),
                "lat": round(float(h.lonlat[i, 1]), 6),
                "population": int(h.weights[i]),
                "covered": bool(cov.covered[i]),
                "covered_city": bool(report.coverage_city.covered[i]),
                "lacks": lacks,
                "category": ",".join(k for k in cov.keys if lacks[k]) or "ok",
                "lacks_text": lacks_text(report.rule, lacks),
                "nth_m": {
                    k: (None if not np.isfinite(v[i]) else round(float(v[i]), 1))
                    for k, v in cov.nth_m.items()
                },
            }
        )
    return out


def facility_rows(report: CoverageReport, *, viewer: Any) -> list[dict[str, Any]]:
    """The counted facilities; names only of the venues the viewer may see."""
    visible = visible_venue_ids(viewer)
    out = []
    for f in report.inputs.facilities.values():
        for i in range(len(f.codes)):
            shown = int(f.venue_ids[i]) in visible
            out.append(
                {
                    "requirement": f.key,
                    "requirement_label": f.label,
                    "code": f.codes[i] if shown else "",
                    "name": f.names[i] if shown else "",
                    "kind": f.kinds[i],
                    "kind_label": str(KIND_LABELS.get(f.kinds[i], f.kinds[i])),
                    "lon": round(float(f.lonlat[i, 0]), 6),
                    "lat": round(float(f.lonlat[i, 1]), 6),
                }
            )
    return out


def district_coverage(*, rule: CoverageRule | None = None) -> CoverageReport | None:
    """The whole district's coverage for the standards engine (a system read, no viewer):
    None when the district has no homes or no facility of the rule at all."""
    rule = rule or culture_circle()
    comms = _communities(OrgUnit.objects.all())
    inputs = inputs_for(comms, rule)
    if not len(inputs.homes) or not any(len(f.codes) for f in inputs.facilities.values()):
        return None
    d = engine.distances(inputs.homes_xy, inputs.requirements())
    cov = engine.coverage_at(d, inputs.weights, rule.radius_m)
    city = engine.coverage_at(d, inputs.weights, city_radius_m())
    root = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()
    total, subs, rows = summarise(inputs, cov, city, root)
    return CoverageReport(
        rule=rule, radius_m=rule.radius_m, city_radius_m=city_radius_m(), total=total,
        subdistricts=subs, communities=rows, inputs=inputs, coverage=cov, coverage_city=city,
    )  # fmt: skip
