"""Heuristics and bookkeeping shared by the solvers: the greedy (lazy, optionally guided by the
LP relaxation's values), pruning of picks that cover nobody new, and the build order with the
population each pick adds.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from culture.circles.siting.model import Instance, covered_groups

Pick = tuple[int, int]  # (requirement index, candidate index)


def offsets(inst: Instance) -> np.ndarray:
    """Where each requirement's variables start in the variable vector."""
    return np.concatenate([[0], np.cumsum([b.shape[1] for b in inst.blocks])]).astype(np.int64)


def picks_of(inst: Instance, x: np.ndarray) -> list[Pick]:
    """The (requirement, candidate) pairs switched on in a variable vector."""
    on = np.flatnonzero(x[: len(inst.var_r)] > 0.5)
    return [(int(inst.var_r[v]), int(inst.var_j[v])) for v in on]


def value_of(inst: Instance, picks: Sequence[Pick]) -> float:
    """Population of the groups the picks cover."""
    return float(inst.weights[covered_groups(inst, picks)].sum())


def prune(inst: Instance, picks: list[Pick]) -> list[Pick]:
    """Drop picks whose removal leaves the same homes covered (never a fixed candidate's last)."""
    keep = sorted(set(picks))
    have = inst.have(keep)
    covered = covered_groups(inst, keep)
    fixed_left = {int(j): sum(1 for p in keep if p[1] == j) for j in inst.fixed}
    for pick in sorted(keep, reverse=True):
        r, j = pick
        if fixed_left.get(j) == 1:
            continue
        rows = inst.reached_by(j)
        if (covered[rows] & (have[rows, r] - 1 < inst.needs[rows, r])).any():
            continue
        have[rows, r] -= 1
        keep.remove(pick)
        if j in fixed_left:
            fixed_left[j] -= 1
    return keep


class _Greedy:
    """Lazy greedy over (requirement, candidate) pairs; gains only fall as picks are made."""

    def __init__(self, inst: Instance, unit_value: np.ndarray, bias: np.ndarray | None = None):
        self.inst = inst
        self.bias = np.ones(len(inst.var_r)) if bias is None else bias
        self.offsets = offsets(inst)
        self.cols = [b.tocsc() for b in inst.blocks]
        self.resid = [inst.needs[rows, r].astype(np.int64) for r, rows in enumerate(inst.rows)]
        self.value = [unit_value[rows] for rows in inst.rows]
        self.taken = np.zeros(len(inst.var_r), dtype=bool)

    def _col(self, v: int) -> tuple[int, np.ndarray]:
        r = int(self.inst.var_r[v])
        local = v - int(self.offsets[r])
        csc = self.cols[r]
        return r, csc.indices[csc.indptr[local] : csc.indptr[local + 1]]

    def gain(self, v: int) -> float:
        r, rows = self._col(v)
        live = rows[self.resid[r][rows] > 0]
        return float(self.value[r][live].sum()) * float(self.bias[v])

    def take(self, v: int) -> None:
        r, rows = self._col(v)
        self.resid[r][rows] = np.maximum(self.resid[r][rows] - 1, 0)
        self.taken[v] = True

    def take_fixed(self) -> None:
        for j in self.inst.fixed:
            options = np.flatnonzero(self.inst.var_j == j)
            best = max(options, key=lambda v: (self.gain(int(v)), int(self.inst.var_r[v])))
            self.take(int(best))

    def run(self, limit: int | None) -> None:
        heap = [(-self.gain(v), v) for v in range(len(self.taken)) if not self.taken[v]]
        heapq.heapify(heap)
        picked = int(self.taken.sum())
        while heap and (limit is None or picked < limit):
            neg, v = heapq.heappop(heap)
            fresh = self.gain(v)
            if fresh <= 0:
                if -neg <= 0:
                    break
                continue
            if heap and fresh + 1e-12 < -heap[0][0]:
                heapq.heappush(heap, (-fresh, v))
                continue
            self.take(v)
            picked += 1

    def picks(self) -> list[Pick]:
        return picks_of(self.inst, self.taken.astype(float))


def greedy_min_cover(inst: Instance, bias: np.ndarray | None = None) -> list[Pick]:
    """Repeatedly add the facility that meets the most outstanding unit needs (times ``bias``,
    e.g. the LP relaxation's values, when given)."""
    g = _Greedy(inst, np.ones(len(inst.weights)), bias)
    g.take_fixed()
    g.run(None)
    return g.picks()


def greedy_budget(inst: Instance, budget: int, bias: np.ndarray | None = None) -> list[Pick]:
    """Repeatedly add the facility whose outstanding unit needs are worth the most population
    (a home's population shared evenly over the facilities it lacks), times ``bias`` if given."""
    units = np.maximum(inst.needs.sum(axis=1), 1)
    g = _Greedy(inst, inst.weights / units, bias)
    g.take_fixed()
    g.run(budget)
    return g.picks()


# ----- the build order and what each pick adds ----------------------------------------------------
def order_picks(
    inst: Instance, picks: Sequence[Pick]
) -> tuple[list[Pick], list[float], list[float], np.ndarray]:
    """The picks in build order (each next the one completing the most population, then meeting
    the most population-weighted need), the population each adds, the newly covered population
    within its reach that needed its kind, and the final covered groups."""
    picks = sorted(set(picks))
    final = covered_groups(inst, picks)
    if not picks:
        return [], [], [], final
    # One column per pick over all groups, restricted to the groups needing its requirement.
    req = np.array([r for r, _ in picks], dtype=np.int64)
    row_parts, col_parts = [], []
    for k, (r, j) in enumerate(picks):
        rows = inst.reached_by(j)
        rows = rows[inst.needs[rows, r] > 0]
        row_parts.append(rows)
        col_parts.append(np.full(len(rows), k, dtype=np.int64))
    rows_all, cols_all = np.concatenate(row_parts), np.concatenate(col_parts)
    member = sp.csc_array(
        (np.ones(len(rows_all)), (rows_all, cols_all)), shape=(len(inst.weights), len(picks))
    )
    served = member.T @ (inst.weights * final)
    resid = inst.needs.astype(np.int64).copy()
    units = np.maximum(inst.needs.sum(axis=1), 1)
    left = np.ones(len(picks), dtype=bool)
    order: list[int] = []
    added: list[float] = []
    for _ in range(len(picks)):
        total = resid.sum(axis=1)
        finish = np.zeros(len(picks))
        progress = np.zeros(len(picks))
        for r in range(inst.q):
            mine = np.flatnonzero(left & (req == r))
            if not len(mine):
                continue
            sub = member[:, mine]
            finish[mine] = sub.T @ (inst.weights * ((resid[:, r] == 1) & (total == 1)))
            progress[mine] = sub.T @ (inst.weights / units * (resid[:, r] > 0))
        keys = np.lexsort((np.arange(len(picks))[::-1], np.round(progress, 9), np.round(finish, 9)))
        chosen = int(next(k for k in keys[::-1] if left[k]))
        before = total <= 0
        rows = inst.reached_by(picks[chosen][1])
        resid[rows, req[chosen]] -= 1
        np.maximum(resid, 0, out=resid)
        after = resid.sum(axis=1) <= 0
        order.append(chosen)
        added.append(float(inst.weights[after & ~before].sum()))
        left[chosen] = False
    return [picks[k] for k in order], added, [float(served[k]) for k in order], final
