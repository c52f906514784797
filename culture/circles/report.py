"""Reads: the coverage report (per district, subdistrict and community, by residents and by
point, at the policy radius and at the city radius beside it), the homes and facilities for the
map, and the whole district's coverage for the standards engine (T03).

Scoped like every selector: the homes are the viewer's (``selectors.coverage_inputs``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from culture.circles import coverage as engine
from culture.circles.rules import CoverageRule, culture_circle
from culture.circles.selectors import (
    KIND_LABELS,
    CoverageInputs,
    city_radius_m,
    communities_of,
    coverage_inputs,
    inputs_for,
    scope_root,
    visible_venue_ids,
)
from culture.core import geo
from culture.core.errors import ValidationFailed
from culture.org.models import OrgLevel, OrgUnit


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
        parent = parents.get(c.parent_id) if c.parent_id else None
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
    # Subdistrict rows only where they are whole (the root is the district or a subdistrict).
    whole = root is not None and root.level in (OrgLevel.DISTRICT, OrgLevel.SUBDISTRICT)
    for code in sorted(by_parent) if whole else []:
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
    total = roll(total, rows)
    if root is not None and root.level == OrgLevel.COMMUNITY and len(rows) == 1:
        total.source = rows[0].source
    return total, subs, rows


def table_rows(report: CoverageReport) -> list[UnitCoverage]:
    """The root, then its subdistricts and communities (each unit once)."""
    seen: set[str] = set()
    out = []
    for row in [report.total, *report.subdistricts, *report.communities]:
        if row.code and row.code in seen:
            continue
        seen.add(row.code)
        out.append(row)
    return out


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
        added = {}
        for key, places in extra.items():
            lonlat = np.asarray(places, dtype=float).reshape(-1, 2)
            added[key] = np.column_stack(t.transform(lonlat[:, 0], lonlat[:, 1]))
        reqs = [r.plus(added[r.key]) if r.key in added else r for r in reqs]
    return _report(inputs, rule, root, reqs)


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
                    k: (None if not np.isfinite(v[i]) else round(float(v[i]), 3))
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
    comms = communities_of(OrgUnit.objects.all())
    inputs = inputs_for(comms, rule)
    if not len(inputs.homes) or not any(len(f.codes) for f in inputs.facilities.values()):
        return None
    root = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()
    return _report(inputs, rule, root)


MAX_SITES = 50


def parse_sites(text: str, rule: CoverageRule) -> dict[str, list[tuple[float, float]]]:
    """Hypothetical sites from ``lon,lat,key;lon,lat,key`` (WGS-84; key: a requirement of the
    rule, e.g. venue or spaces)."""
    keys = {r.key for r in rule.requirements}
    out: dict[str, list[tuple[float, float]]] = {}
    parts = [p for p in (text or "").split(";") if p.strip()]
    if len(parts) > MAX_SITES:
        raise ValidationFailed(_("假设点位最多 %(n)d 个") % {"n": MAX_SITES}, field="sites")
    for part in parts:
        fields = [f.strip() for f in part.split(",")]
        try:
            lon, lat = float(fields[0]), float(fields[1])
            key = fields[2]
        except (IndexError, ValueError):
            raise ValidationFailed(
                _("假设点位格式应为“经度,纬度,类别”：%(p)s") % {"p": part[:60]}, field="sites"
            ) from None
        if key not in keys:
            raise ValidationFailed(
                _("未知的设施类别：%(key)s（可选：%(keys)s）")
                % {"key": key[:30], "keys": "、".join(sorted(keys))},
                field="sites",
            )
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationFailed(_("经纬度超出范围"), field="sites")
        out.setdefault(key, []).append((lon, lat))
    return out


def report_dict(report: CoverageReport, *, homes: bool = False) -> dict[str, Any]:
    """The report as JSON-ready data (the command and the API)."""
    rule = report.rule
    data: dict[str, Any] = {
        "rule": rule.key,
        "rule_label": str(rule.label),
        "radius_m": report.radius_m,
        "city_radius_m": report.city_radius_m,
        "requirements": [
            {"key": r.key, "label": str(r.label), "kinds": list(r.kinds), "at_least": r.at_least}
            for r in rule.requirements
        ],
        "facilities": {k: len(f.codes) for k, f in report.inputs.facilities.items()},
        "total": report.total.as_dict(),
        "subdistricts": [r.as_dict() for r in report.subdistricts],
        "communities": [r.as_dict() for r in report.communities],
    }
    if homes:
        data["homes"] = home_rows(report)
    return data


def system_report(*, rule: CoverageRule | None = None, unit: str | None = None) -> CoverageReport:
    """The coverage of the district (or of ``unit``) for the command line: no viewer, every
    community; raises ValidationFailed when there is nothing to count."""
    rule = rule or culture_circle()
    qs = OrgUnit.objects.all()
    root = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()
    if unit:
        root = OrgUnit.objects.filter(code=unit).first()
        if root is None:
            raise ValidationFailed(
                _("没有区划代码为 %(code)s 的单位") % {"code": unit}, field="unit"
            )
        qs = qs.filter(path__startswith=root.path)
    inputs = inputs_for(communities_of(qs), rule)
    if not len(inputs.homes) and not inputs.homes.unlocated:
        raise ValidationFailed(
            _("没有居住点：请导入居住点，或为社区填写常住人口和边界后再计算覆盖率"), field="unit"
        )
    return _report(inputs, rule, root)


def _report(
    inputs: CoverageInputs,
    rule: CoverageRule,
    root: OrgUnit | None,
    reqs: list[engine.Facilities] | None = None,
) -> CoverageReport:
    bound = max(rule.radius_m, city_radius_m()) + engine.TOLERANCE_M  # only a speed-up
    d = engine.distances(inputs.homes_xy, reqs or inputs.requirements(), bound_m=bound)
    cov = engine.coverage_at(d, inputs.weights, rule.radius_m)
    city = engine.coverage_at(d, inputs.weights, city_radius_m())
    total, subs, rows = summarise(inputs, cov, city, root)
    return CoverageReport(
        rule=rule, radius_m=rule.radius_m, city_radius_m=city_radius_m(), total=total,
        subdistricts=subs, communities=rows, inputs=inputs, coverage=cov, coverage_city=city,
    )  # fmt: skip
