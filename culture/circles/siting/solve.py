"""The two siting questions as integer programs on a sparse matrix (``scipy.optimize.milp``,
HiGHS), with a time limit and a labelled greedy heuristic.

- fewest new facilities so that every reachable failing home meets the rule (set multi-cover):
  minimise sum x[r, j] subject to, for every home i and requirement r it lacks,
  sum_{j within R of i} x[r, j] >= need[i, r]; a fixed candidate takes at least one facility;
- best ``k`` facilities (maximal covering with multi-cover): maximise sum w[i] z[i] subject to
  need[i, r] z[i] <= sum_{j within R of i} x[r, j] for every r, sum x <= k, fixed as above;
  z[i] is binary where a home needs two of something, continuous in [0, 1] elsewhere (integral at
  an optimum there anyway).

How an answer is found, within ``time_limit`` seconds in all:
1. the LP relaxation gives a bound (rounded up for the count of facilities; down for the
   population when populations are whole numbers);
2. three roundings (the plain greedy, the greedy weighted by the LP values, the LP's largest
   values completed greedily) give an answer; when it meets the bound it is proven optimal
   (``proof: "lp_bound"``);
3. otherwise HiGHS solves the integer program with the rounding's value as a cutoff: it either
   finds a better answer and proves it optimal, or proves none exists (``proof: "milp"``).

When the clock runs out first, the best answer found is returned with ``optimal: false`` and the
relative ``gap`` to the best bound known. ``method`` is "exact" for an answer from (or proven by)
the integer program and "heuristic" for an unproven greedy answer; ``fallback_reason`` says why
("time_limit", or "size": more non-zeros than ``max_nonzeros``, where only the greedy runs,
because HiGHS's presolve checks the clock only between its passes).

Every answer is checked against ``covered_groups`` (the rule applied to the picks) and pruned of
picks that cover nobody new (never a fixed candidate's last), then put in build order.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

from culture.circles.siting.heuristics import (
    Pick,
    greedy_budget,
    greedy_min_cover,
    offsets,
    order_picks,
    picks_of,
    prune,
    value_of,
)
from culture.circles.siting.model import Instance

MIN_COVER = "min_cover"
BUDGET = "budget"
EXACT = "exact"
HEURISTIC = "heuristic"
TIME_LIMIT = "time_limit"
SIZE = "size"
PROOF_LP = "lp_bound"
PROOF_MILP = "milp"


@dataclass(frozen=True)
class Solution:
    problem: str  # MIN_COVER | BUDGET
    method: str  # EXACT | HEURISTIC
    optimal: bool
    gap: float | None  # relative gap to the best bound known, when one is
    proof: str  # "" | PROOF_LP | PROOF_MILP
    fallback_reason: str  # "" | TIME_LIMIT | SIZE
    bound: float | None  # the best bound on the objective known
    picks: list[Pick]  # in the recommended build order
    added: list[float]  # population newly covered by each pick, in that order
    served: list[float]  # newly covered population within reach of each pick that needed it
    covered_groups: np.ndarray  # bool per group of the instance: covered after the picks
    seconds: float

    @property
    def facilities(self) -> int:
        return len(self.picks)

    @property
    def population_added(self) -> float:
        return float(sum(self.added))


def _fixed_rows(inst: Instance, ncols: int) -> list[LinearConstraint]:
    if not len(inst.fixed):
        return []
    pos = {int(j): k for k, j in enumerate(inst.fixed)}
    cols = [v for v, j in enumerate(inst.var_j) if int(j) in pos]
    rows = [pos[int(inst.var_j[v])] for v in cols]
    a = sp.csr_array((np.ones(len(cols)), (rows, cols)), shape=(len(inst.fixed), ncols))
    return [LinearConstraint(a, 1, np.inf)]


def _milp(
    c: np.ndarray, constraints: list[LinearConstraint], integrality: np.ndarray, seconds: float
) -> OptimizeResult:
    return milp(
        c=c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": max(seconds, 1e-3), "mip_rel_gap": 0.0, "presolve": True},
    )


def _dual_bound(res: OptimizeResult) -> float | None:
    bound = getattr(res, "mip_dual_bound", None)
    return float(bound) if bound is not None and np.isfinite(bound) else None


class _Clock:
    def __init__(self, limit: float):
        self.started = time.perf_counter()
        self.limit = float(limit)

    @property
    def left(self) -> float:
        return self.limit - (time.perf_counter() - self.started)


def _finish(inst: Instance, problem: str, picks: list[Pick], clock: _Clock, **labels) -> Solution:
    order, added, served, final = order_picks(inst, prune(inst, picks))
    return Solution(
        problem=problem,
        picks=order,
        added=added,
        served=served,
        covered_groups=final,
        seconds=time.perf_counter() - clock.started,
        **labels,
    )


def _labels(method: str, optimal: bool, gap: float | None, proof: str, reason: str,
            bound: float | None) -> dict:  # fmt: skip
    return {"method": method, "optimal": optimal, "gap": gap, "proof": proof,
            "fallback_reason": reason, "bound": bound}  # fmt: skip


def _gap(value: float, bound: float | None) -> float | None:
    if bound is None:
        return None
    if value == 0:
        return 0.0 if abs(bound) < 1e-9 else 1.0
    return max(0.0, abs(value - bound) / abs(value))


# ----- fewest facilities to reach every reachable home -----------------------------------------
def solve_min_cover(inst: Instance, *, time_limit: float, max_nonzeros: int) -> Solution:
    """Fewest new facilities bringing every reachable failing home to the rule."""
    clock = _Clock(time_limit)
    nv = len(inst.var_r)
    if inst.nonzeros > max_nonzeros:
        picks = greedy_min_cover(inst)
        return _finish(inst, MIN_COVER, picks, clock,
                       **_labels(HEURISTIC, False, None, "", SIZE, None))  # fmt: skip
    if nv == 0 or not any(len(rows) for rows in inst.rows):
        picks = greedy_min_cover(inst)  # only fixed candidates, if any
        return _finish(inst, MIN_COVER, picks, clock,
                       **_labels(EXACT, True, 0.0, PROOF_LP, "", float(len(inst.fixed))))  # fmt: skip
    cover = sp.block_diag(inst.blocks, format="csr")
    need = np.concatenate([inst.needs[rows, r] for r, rows in enumerate(inst.rows)])
    constraints = [LinearConstraint(cover, need, np.inf), *_fixed_rows(inst, nv)]
    c = np.ones(nv)
    best = prune(inst, greedy_min_cover(inst))
    lp = _milp(c, constraints, np.zeros(nv), clock.left) if clock.left > 0 else None
    if lp is None or lp.x is None:
        return _finish(inst, MIN_COVER, best, clock,
                       **_labels(HEURISTIC, False, None, "", TIME_LIMIT, None))  # fmt: skip
    bound = float(math.ceil(lp.fun - 1e-6))
    x_lp = np.asarray(lp.x)
    for trial in (
        greedy_min_cover(inst, bias=x_lp + 1e-3),
        greedy_min_cover(inst, bias=np.where(x_lp >= 0.5, 1e3, 1.0) * (x_lp + 1e-3)),
    ):
        trial = prune(inst, trial)
        if len(trial) < len(best):
            best = trial
    if len(best) <= bound:
        return _finish(inst, MIN_COVER, best, clock,
                       **_labels(EXACT, True, 0.0, PROOF_LP, "", bound))  # fmt: skip
    if clock.left <= 0:
        return _finish(inst, MIN_COVER, best, clock, **_labels(
            HEURISTIC, False, _gap(float(len(best)), bound), "", TIME_LIMIT, bound))  # fmt: skip
    cutoff = LinearConstraint(sp.csr_array(c.reshape(1, -1)), 0, len(best) - 1)
    res = _milp(c, [*constraints, cutoff], np.ones(nv), clock.left)
    if res.status == 2:  # nothing with fewer facilities exists
        return _finish(inst, MIN_COVER, best, clock,
                       **_labels(EXACT, True, 0.0, PROOF_MILP, "", float(len(best))))  # fmt: skip
    if res.status == 0 and res.x is not None:
        picks = picks_of(inst, res.x)
        return _finish(inst, MIN_COVER, picks, clock,
                       **_labels(EXACT, True, 0.0, PROOF_MILP, "", float(len(picks))))  # fmt: skip
    method = HEURISTIC
    if res.x is not None and len(prune(inst, picks_of(inst, res.x))) < len(best):
        method, best = EXACT, prune(inst, picks_of(inst, res.x))
    dual = _dual_bound(res)
    bound = max(bound, float(math.ceil(dual - 1e-6))) if dual is not None else bound
    gap = _gap(float(len(best)), bound)
    return _finish(inst, MIN_COVER, best, clock,
                   **_labels(method, gap == 0.0, gap, "", TIME_LIMIT, bound))  # fmt: skip


# ----- the best k facilities ----------------------------------------------------------------------
def _budget_program(
    inst: Instance, budget: int
) -> tuple[np.ndarray, list[LinearConstraint], np.ndarray]:
    nv, ng = len(inst.var_r), len(inst.weights)
    starts = offsets(inst)
    parts = []
    for r, rows in enumerate(inst.rows):
        if not len(rows):
            continue
        x_part = sp.hstack(
            [sp.csr_array((len(rows), int(starts[r]))), inst.blocks[r],
             sp.csr_array((len(rows), nv - int(starts[r + 1])))]
        )  # fmt: skip
        z_part = sp.csr_array(
            (-inst.needs[rows, r].astype(float), (np.arange(len(rows)), rows)),
            shape=(len(rows), ng),
        )
        parts.append(sp.hstack([x_part, z_part]))
    cover = sp.csr_array(sp.vstack(parts, format="csr"))
    ones = sp.csr_array(np.concatenate([np.ones(nv), np.zeros(ng)]).reshape(1, -1))
    fixed = [
        LinearConstraint(sp.hstack([lc.A, sp.csr_array((lc.A.shape[0], ng))]), 1, np.inf)
        for lc in _fixed_rows(inst, nv)
    ]
    constraints = [LinearConstraint(cover, 0, np.inf), LinearConstraint(ones, 0, budget), *fixed]
    integrality = np.concatenate([np.ones(nv), (inst.needs.max(axis=1) >= 2).astype(float)])
    c = np.concatenate([np.zeros(nv), -inst.weights])
    return c, constraints, integrality


def _top_of_lp(inst: Instance, budget: int, x_lp: np.ndarray) -> list[Pick]:
    """The fixed candidates, then the variables with the largest LP values, up to the budget."""
    chosen: list[Pick] = []
    for j in inst.fixed:
        options = np.flatnonzero(inst.var_j == j)
        v = int(options[np.argmax(x_lp[options])])
        chosen.append((int(inst.var_r[v]), int(j)))
    for v in np.argsort(-x_lp[: len(inst.var_r)], kind="stable"):
        if len(chosen) >= budget or x_lp[v] <= 1e-6:
            break
        pick = (int(inst.var_r[v]), int(inst.var_j[v]))
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def solve_budget(inst: Instance, budget: int, *, time_limit: float, max_nonzeros: int) -> Solution:
    """The ``budget`` new facilities covering the most population (fixed ones included)."""
    clock = _Clock(time_limit)
    if budget < len(inst.fixed):
        raise ValueError("the budget is smaller than the number of fixed candidates")
    nv, ng = len(inst.var_r), len(inst.weights)
    if inst.nonzeros > max_nonzeros:
        picks = greedy_budget(inst, budget)
        return _finish(inst, BUDGET, picks, clock,
                       **_labels(HEURISTIC, False, None, "", SIZE, None))  # fmt: skip
    if nv == 0 or ng == 0 or budget == 0:
        picks = greedy_budget(inst, budget)
        value = value_of(inst, picks)
        return _finish(inst, BUDGET, picks, clock,
                       **_labels(EXACT, True, 0.0, PROOF_LP, "", value))  # fmt: skip
    whole = bool(np.all(inst.weights == np.round(inst.weights)))
    c, constraints, integrality = _budget_program(inst, budget)
    best = greedy_budget(inst, budget)
    best_value = value_of(inst, best)
    lp = _milp(c, constraints, np.zeros(nv + ng), clock.left) if clock.left > 0 else None
    if lp is None or lp.x is None:
        return _finish(inst, BUDGET, best, clock,
                       **_labels(HEURISTIC, False, None, "", TIME_LIMIT, None))  # fmt: skip
    bound = -float(lp.fun)
    bound = float(math.floor(bound + 1e-6)) if whole else bound
    x_lp = np.asarray(lp.x)[:nv]
    for trial in (
        greedy_budget(inst, budget, bias=x_lp + 1e-3),
        _top_of_lp(inst, budget, x_lp),
    ):
        value = value_of(inst, trial)
        if value > best_value:
            best, best_value = trial, value
    if best_value >= bound - (0.0 if whole else 1e-9 * max(1.0, bound)):
        return _finish(inst, BUDGET, best, clock,
                       **_labels(EXACT, True, 0.0, PROOF_LP, "", bound))  # fmt: skip
    if clock.left <= 0:
        return _finish(inst, BUDGET, best, clock, **_labels(
            HEURISTIC, False, _gap(best_value, bound), "", TIME_LIMIT, bound))  # fmt: skip
    step = 1.0 if whole else 1e-9 * max(1.0, best_value)
    objective = sp.csr_array(-c.reshape(1, -1))
    cutoff = LinearConstraint(objective, best_value + step, np.inf)
    res = _milp(c, [*constraints, cutoff], integrality, clock.left)
    if res.status == 2:  # nothing covers more
        return _finish(inst, BUDGET, best, clock,
                       **_labels(EXACT, True, 0.0, PROOF_MILP, "", best_value))  # fmt: skip
    if res.status == 0 and res.x is not None:
        picks = picks_of(inst, res.x)
        return _finish(inst, BUDGET, picks, clock,
                       **_labels(EXACT, True, 0.0, PROOF_MILP, "", value_of(inst, picks)))  # fmt: skip
    method = HEURISTIC
    if res.x is not None and value_of(inst, picks_of(inst, res.x)) > best_value:
        best = picks_of(inst, res.x)
        method, best_value = EXACT, value_of(inst, best)
    dual = _dual_bound(res)
    if dual is not None:
        bound = min(bound, -dual)
    gap = _gap(best_value, bound)
    return _finish(inst, BUDGET, best, clock,
                   **_labels(method, gap == 0.0, gap, "", TIME_LIMIT, bound))  # fmt: skip
