"""The platform's siting answer (a read: nothing is stored): where the next venues and spaces
should go, for the page, ``POST /api/circles/siting`` and ``manage.py siting``.

Homes and facilities come from the coverage selectors (``coverage_inputs``: the viewer's homes,
every open venue of the rule's kinds in the district), so siting and coverage always agree; the
answer is checked against the coverage engine with the suggested sites added (``verified``).
District officers ask for the district or any unit; subdistrict officers for their own area,
where the candidates are those of their communities (or the grid inside their boundary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from culture.circles import coverage as engine
from culture.circles.rules import CoverageRule
from culture.circles.selectors import (
    CoverageInputs,
    communities_of,
    coverage_inputs,
    inputs_for,
    rule_for,
    scope_root,
)
from culture.circles.siting.candidates import Candidates, candidates_for
from culture.circles.siting.model import build_instance
from culture.circles.siting.solve import Solution, solve_budget, solve_min_cover
from culture.core.errors import FieldErrors, ValidationFailed
from culture.core.roles import Role
from culture.core.scope import viewer_scope
from culture.org.models import OrgLevel, OrgUnit

MUST_BE = {
    "venue": gettext_lazy("公共文化场馆（大项目，如社区文化家园）"),
    "spaces": gettext_lazy("公益性文化空间（城市书房或文化驿站）"),
}
MAX_CODES = 500


def time_limit_s() -> float:
    return float(getattr(settings, "CULTURE_SITING_TIME_LIMIT_S", 10.0))


def max_nonzeros() -> int:
    return int(getattr(settings, "CULTURE_SITING_MAX_NONZEROS", 1_000_000))


@dataclass(frozen=True)
class SitingQuestion:
    budget: int | None = None  # None: fewest new facilities reaching every reachable home
    fixed: tuple[str, ...] = ()  # candidate codes that must be chosen
    excluded: tuple[str, ...] = ()  # candidate codes never chosen
    radius_m: float | None = None  # default: the rule's (CULTURE_CIRCLE_RADIUS_M)
    unit: str | None = None  # a unit in the viewer's scope (default: their area)
    rule: str | None = None  # culture_circle (default) or fitness_circle
    time_limit_s: float | None = None  # default: CULTURE_SITING_TIME_LIMIT_S


def codes_from_text(text: str) -> tuple[str, ...]:
    """Codes typed in a box: separated by commas, semicolons, spaces or new lines."""
    for sep in "，,；;\n\r\t":
        text = text.replace(sep, " ")
    return tuple(dict.fromkeys(c for c in text.split(" ") if c))


def _check_question(q: SitingQuestion) -> None:
    errors: dict[str, list[Any]] = {}
    if q.budget is not None and not (1 <= q.budget <= 1000):
        errors["budget"] = [_("预算须为 1 到 1000 之间的整数（新增点位个数）")]
    if len(q.fixed) > MAX_CODES or len(q.excluded) > MAX_CODES:
        errors["fixed"] = [_("必选或排除的点位最多 %(n)d 个") % {"n": MAX_CODES}]
    both = sorted(set(q.fixed) & set(q.excluded))
    if both:
        errors["excluded"] = [_("点位不能既必选又排除：%(codes)s") % {"codes": "、".join(both)}]
    if q.budget is not None and q.budget < len(set(q.fixed)):
        errors.setdefault("budget", []).append(
            _("预算（%(k)d 个）少于必选点位数（%(n)d 个）")
            % {"k": q.budget, "n": len(set(q.fixed))}
        )
    if q.time_limit_s is not None and not (0 < q.time_limit_s <= 600):
        errors["time_limit_s"] = [_("求解时限须在 0 到 600 秒之间")]
    if errors:
        raise FieldErrors(errors)


def siting_plan(*, viewer: Any, question: SitingQuestion) -> dict[str, Any]:
    """The answer for a district officer (any unit) or a subdistrict officer (their area)."""
    scope = viewer_scope(viewer)
    scope.require_staff()
    scope.require_role(Role.DISTRICT_OFFICER, Role.SUBDISTRICT_OFFICER)
    _check_question(question)
    rule = rule_for(question.rule, question.radius_m)
    root = scope_root(viewer=viewer, unit=question.unit)
    inputs = coverage_inputs(viewer=viewer, rule=rule, unit=question.unit)
    return answer(inputs, rule, root, question)


def system_siting_plan(*, question: SitingQuestion) -> dict[str, Any]:
    """The answer for the whole district (or ``question.unit``), no viewer: the command."""
    _check_question(question)
    rule = rule_for(question.rule, question.radius_m)
    root = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code").first()
    if question.unit:
        root = OrgUnit.objects.filter(code=question.unit).first()
        if root is None:
            raise ValidationFailed(
                _("没有区划代码为 %(code)s 的单位") % {"code": question.unit}, field="unit"
            )
    qs = OrgUnit.objects.all()
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    inputs = inputs_for(communities_of(qs), rule)
    if not len(inputs.homes) and not inputs.homes.unlocated:
        raise ValidationFailed(
            _("没有居住点：请导入居住点，或为社区填写常住人口和边界后再计算"), field="unit"
        )
    return answer(inputs, rule, root, question)


def _check_homes(inputs: CoverageInputs) -> None:
    if inputs.homes.unlocated:
        names = [c.name_zh for c in inputs.communities if c.id in set(inputs.homes.unlocated)]
        raise ValidationFailed(
            _("以下社区既没有居住点，也没有边界和中心点，无法选址：%(names)s")
            % {"names": "、".join(names)},
            field="unit",
        )
    if not len(inputs.homes):
        raise ValidationFailed(_("没有居住点，无法选址"), field="unit")
    if (inputs.weights < 0).any():
        raise ValidationFailed(_("居住人口不能为负数"), field="homes")


def _indices(codes: tuple[str, ...], cands: Candidates, field: str) -> list[int]:
    index = {code: i for i, code in enumerate(cands.codes)}
    unknown = [c for c in codes if c not in index]
    if unknown:
        raise ValidationFailed(
            _("没有这些候选点位（或不在您的范围内）：%(codes)s") % {"codes": "、".join(unknown)},
            field=field,
        )
    return [index[c] for c in codes]


def answer(
    inputs: CoverageInputs, rule: CoverageRule, root: OrgUnit | None, q: SitingQuestion
) -> dict[str, Any]:
    _check_homes(inputs)
    cands = candidates_for(root, inputs.communities)
    fixed = _indices(q.fixed, cands, "fixed")
    excluded = _indices(q.excluded, cands, "excluded")
    keys = [r.key for r in rule.requirements]
    reqs = inputs.requirements()
    dist = engine.distances(inputs.homes_xy, reqs, bound_m=rule.radius_m + engine.TOLERANCE_M)
    needs = np.column_stack([dist.short(k, rule.radius_m) for k in keys]).astype(np.int64)
    before = dist.covered(rule.radius_m)
    inst = build_instance(
        home_xy=inputs.homes_xy, weights=inputs.weights, needs=needs, cand_xy=cands.xy,
        radius_m=rule.radius_m, fixed=fixed, excluded=excluded,
    )  # fmt: skip
    limit = q.time_limit_s if q.time_limit_s is not None else time_limit_s()
    if q.budget is None:
        sol = solve_min_cover(inst, time_limit=limit, max_nonzeros=max_nonzeros())
    else:
        sol = solve_budget(inst, q.budget, time_limit=limit, max_nonzeros=max_nonzeros())
    extra = {k: cands.xy[[j for r, j in sol.picks if keys[r] == k]] for k in keys}
    after = engine.what_if(inputs.homes_xy, inputs.weights, reqs, rule.radius_m, extra).covered
    mine = np.zeros(len(before), dtype=bool)
    for g in np.flatnonzero(sol.covered_groups):
        mine[inst.groups[g]] = True
    lived = inputs.weights > 0  # homes without residents are not sited for
    verified = bool(np.array_equal(after[lived], (before | mine)[lived]))
    return _as_dict(inputs, rule, root, q, cands, inst, sol, before, after, needs, verified, limit)


def _summary(weights: np.ndarray, covered: np.ndarray) -> dict[str, Any]:
    pop = int(weights.sum())
    pop_cov = int(weights[covered].sum())
    return {
        "points": int(len(covered)),
        "points_covered": int(covered.sum()),
        "population": pop,
        "population_covered": pop_cov,
        "share_population": pop_cov / pop if pop else None,
        "share_points": float(covered.mean()) if len(covered) else None,
    }


def _as_dict(inputs, rule, root, q, cands, inst, sol: Solution, before, after, needs, verified,
             limit) -> dict[str, Any]:  # fmt: skip
    keys = [r.key for r in rule.requirements]
    labels = {r.key: str(r.label) for r in rule.requirements}
    names = {c.code: c.name_zh for c in inputs.communities}
    codes_by_id = {c.id: c.code for c in inputs.communities}
    homes, w = inputs.homes, inputs.weights
    fixed_set = {int(j) for j in inst.fixed}
    sites = []
    for k, (r, j) in enumerate(sol.picks):
        key = keys[r]
        sites.append({
            "order": k + 1, "code": cands.codes[j], "name": cands.names[j],
            "community": cands.community_codes[j],
            "community_name": names.get(cands.community_codes[j], ""),
            "lon": round(float(cands.lonlat[j, 0]), 6), "lat": round(float(cands.lonlat[j, 1]), 6),
            "requirement": key, "requirement_label": labels[key],
            "must_be": str(MUST_BE.get(key, labels[key])),
            "residents_added": int(round(sol.added[k])),
            "residents_served": int(round(sol.served[k])), "fixed": j in fixed_set,
        })  # fmt: skip
    unreachable = {int(i): k for k, i in enumerate(inst.unreachable)}
    failing = []
    for i in np.flatnonzero(~before & (w > 0)):
        row = {
            "code": homes.codes[i], "name": homes.names[i],
            "community": codes_by_id.get(int(homes.community_ids[i]), ""),
            "lon": round(float(homes.lonlat[i, 0]), 6), "lat": round(float(homes.lonlat[i, 1]), 6),
            "population": int(w[i]), "lacks": {k: int(needs[i, r]) for r, k in enumerate(keys)},
            "status": "unreachable" if int(i) in unreachable
            else ("covered_after" if after[i] else "uncovered_after"),
        }  # fmt: skip
        if int(i) in unreachable:
            u = unreachable[int(i)]
            row["candidates_within_r"] = int(inst.reachable_counts[u])
            row["short_even_with_every_site"] = {
                k: int(inst.shortfall[u, r]) for r, k in enumerate(keys)
            }
        failing.append(row)
    unreach_idx = np.asarray(inst.unreachable, dtype=np.int64)
    return {
        "question": "min_cover" if q.budget is None else "budget",
        "budget": q.budget,
        "rule": rule.key,
        "rule_label": str(rule.label),
        "radius_m": rule.radius_m,
        "unit": {"code": root.code, "name": root.name_zh} if root is not None else None,
        "requirements": [
            {
                "key": r.key,
                "label": str(r.label),
                "at_least": r.at_least,
                "must_be": str(MUST_BE.get(r.key, r.label)),
            }
            for r in rule.requirements
        ],  # fmt: skip
        "candidates": {
            "source": cands.source,
            "count": len(cands),
            "grid_m": cands.grid_m,
            "fixed": list(q.fixed),
            "excluded": list(q.excluded),
        },  # fmt: skip
        "solver": {
            "method": sol.method,
            "optimal": sol.optimal,
            "gap": sol.gap,
            "proof": sol.proof,
            "fallback_reason": sol.fallback_reason,
            "bound": sol.bound,
            "seconds": round(sol.seconds, 3),
            "time_limit_s": limit,
            "max_nonzeros": max_nonzeros(),
            "variables": int(len(inst.var_r)),
            "nonzeros": inst.nonzeros,
            "home_groups": int(len(inst.weights)),
            "verified": verified,
        },  # fmt: skip
        "before": _summary(w, before),
        "after": _summary(w, after),
        "new_facilities": len(sites),
        "new_places": len({s["code"] for s in sites}),
        "new_by_requirement": {k: sum(1 for s in sites if s["requirement"] == k) for k in keys},
        "residents_added": int(w[after & ~before].sum()),
        "failing": {
            "points": int((~before & (w > 0)).sum()),
            "population": int(w[~before].sum()),
            "lacking": {k: int(((needs[:, r] > 0) & (w > 0)).sum()) for r, k in enumerate(keys)},
        },  # fmt: skip
        "unreachable": {
            "points": int(len(unreach_idx)),
            "population": int(w[unreach_idx].sum()),
        },  # fmt: skip
        "sites": sites,
        "homes": failing,
    }
