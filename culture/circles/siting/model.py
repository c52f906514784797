"""The siting instance, pure numpy/scipy: which homes fail the rule and by how much, which
candidate sites reach them, which homes no choice of candidates can help.

The model (docs/circles.md, "Siting"):

- a rule has requirements r ("venue": at least 1; "spaces": at least 2); a home's *need* for r is
  how many more facilities of r it must have within R (the rule's N minus what exists within R,
  never below 0); existing facilities are fixed, so a home that meets the rule needs nothing;
- a candidate site (a place) can take at most one new facility of each requirement (a new venue,
  a new space, or both, e.g. a community culture centre with a reading room in it); a home needing
  two spaces needs two different sites within R (multi-cover);
- a home is *unreachable* when fewer candidates lie within R than it needs of some requirement
  (excluded candidates do not count): no choice of sites covers it, so it is reported apart, never
  silently dropped.

Distances are Euclidean in the projected metres given (EPSG:4549 in the platform); a candidate is
within reach when its distance is <= R (with the coverage engine's one-micrometre allowance,
``TOLERANCE_M``, so both agree at the boundary).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from culture.circles.coverage import TOLERANCE_M


@dataclass(frozen=True)
class Instance:
    """What the solvers see. ``groups`` are the failing, reachable homes, merged when they have
    the same needs and the same candidates in reach (their weights added)."""

    needs: np.ndarray  # (g, q) int: per group and requirement, facilities still needed
    weights: np.ndarray  # (g,) population of each group
    reach: sp.csr_array  # (g, m) bool: candidate j within R of group i (excluded: no column)
    groups: list[np.ndarray]  # original home indices in each group
    fixed: np.ndarray  # candidate indices that must be chosen
    excluded: np.ndarray  # candidate indices never chosen
    failing: np.ndarray  # original indices of every failing home with residents
    unreachable: np.ndarray  # original indices of failing homes no choice can cover
    shortfall: np.ndarray  # (len(unreachable), q): facilities of r missing even with every site
    reachable_counts: np.ndarray  # (len(unreachable),) candidates within R of each
    n_homes: int
    n_candidates: int
    # The integer program's variables: one per (requirement, candidate) that can help.
    var_r: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    var_j: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # Per requirement: the groups needing it, and their rows over that requirement's variables.
    rows: list[np.ndarray] = field(default_factory=list)
    blocks: list[sp.csr_array] = field(default_factory=list)

    @property
    def q(self) -> int:
        return int(self.needs.shape[1])

    @property
    def nonzeros(self) -> int:
        return int(sum(b.nnz for b in self.blocks))

    @cached_property
    def reach_csc(self) -> sp.csc_array:
        return sp.csc_array(self.reach)

    def reached_by(self, j: int) -> np.ndarray:
        """The groups within reach of candidate ``j``."""
        csc = self.reach_csc
        return csc.indices[csc.indptr[j] : csc.indptr[j + 1]]

    def have(self, picks: Iterable[tuple[int, int]]) -> np.ndarray:
        """(g, q): how many picked facilities of each requirement lie within reach."""
        have = np.zeros(self.needs.shape, dtype=np.int64)
        for r, j in set(picks):
            have[self.reached_by(j), r] += 1
        return have


def within_radius(points_xy: np.ndarray, sites_xy: np.ndarray, radius_m: float) -> sp.csr_array:
    """Boolean (points x sites) matrix: site within ``radius_m`` of point (distance <= R plus the
    engine's micrometre, exact at the boundary: the pairs are found by a k-d tree with a margin,
    then each distance is recomputed and compared)."""
    n, m = len(points_xy), len(sites_xy)
    if n == 0 or m == 0:
        return sp.csr_array((n, m), dtype=bool)
    limit = radius_m + TOLERANCE_M
    pairs = cKDTree(points_xy).sparse_distance_matrix(
        cKDTree(sites_xy), limit + max(1e-6, limit * 1e-9), output_type="ndarray"
    )
    i, j = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64)
    d = points_xy[i] - sites_xy[j]
    keep = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]) <= limit
    i, j = i[keep], j[keep]
    return sp.csr_array((np.ones(len(i), dtype=bool), (i, j)), shape=(n, m))


def _as_index(values: Iterable[int], m: int, what: str) -> np.ndarray:
    out = np.unique(np.asarray(list(values), dtype=np.int64))
    if len(out) and (out[0] < 0 or out[-1] >= m):
        raise ValueError(f"{what}: candidate index out of range")
    return out


def build_instance(
    *,
    home_xy: np.ndarray,
    weights: np.ndarray,
    needs: np.ndarray,
    cand_xy: np.ndarray,
    radius_m: float,
    fixed: Iterable[int] = (),
    excluded: Iterable[int] = (),
) -> Instance:
    """The instance for homes (n x 2 metres) with their weights and per-requirement needs
    (n x q ints), and candidate sites (m x 2 metres)."""
    home_xy = np.asarray(home_xy, dtype=float).reshape(-1, 2)
    cand_xy = np.asarray(cand_xy, dtype=float).reshape(-1, 2)
    weights = np.asarray(weights, dtype=float).reshape(-1)
    needs = np.asarray(needs, dtype=np.int64)
    if needs.ndim == 1:
        needs = needs.reshape(-1, 1)
    n, m = len(home_xy), len(cand_xy)
    if len(weights) != n or len(needs) != n:
        raise ValueError("homes, weights and needs differ in length")
    if not (np.isfinite(home_xy).all() and np.isfinite(cand_xy).all()):
        raise ValueError("coordinates must be finite")
    if (weights < 0).any() or (needs < 0).any() or not radius_m > 0:
        raise ValueError("weights and needs must be >= 0 and the radius > 0")
    fixed_ix = _as_index(fixed, m, "fixed")
    excluded_ix = _as_index(excluded, m, "excluded")
    if np.intersect1d(fixed_ix, excluded_ix).size:
        raise ValueError("a candidate is both fixed and excluded")

    failing = np.flatnonzero((needs.sum(axis=1) > 0) & (weights > 0))  # nobody lives at 0
    allowed = np.ones(m, dtype=bool)
    allowed[excluded_ix] = False
    allowed_ix = np.flatnonzero(allowed)
    sub = within_radius(home_xy[failing], cand_xy[allowed_ix], radius_m).tocoo()
    reach_f = sp.csr_array(
        (sub.data, (sub.row, allowed_ix[sub.col])), shape=(len(failing), m), dtype=bool
    )
    degree = np.diff(reach_f.indptr)
    need_f = needs[failing]
    short = np.maximum(need_f - degree[:, None], 0)
    bad = short.sum(axis=1) > 0
    inst_groups, inst_needs, inst_weights, keep_rows = _merge(
        failing[~bad], need_f[~bad], weights[failing[~bad]], reach_f[~bad]
    )
    reach = reach_f[~bad][keep_rows] if len(keep_rows) else sp.csr_array((0, m), dtype=bool)
    inst = Instance(
        needs=inst_needs.reshape(-1, needs.shape[1]),
        weights=inst_weights,
        reach=sp.csr_array(reach),
        groups=inst_groups,
        fixed=fixed_ix,
        excluded=excluded_ix,
        failing=failing,
        unreachable=failing[bad],
        shortfall=short[bad],
        reachable_counts=degree[bad],
        n_homes=n,
        n_candidates=m,
    )
    return _with_variables(inst)


def _merge(
    index: np.ndarray, need: np.ndarray, weight: np.ndarray, reach: sp.csr_array
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Group homes with the same needs and the same candidates in reach."""
    reach = sp.csr_array(reach)
    reach.sort_indices()
    seen: dict[bytes, int] = {}
    members: list[list[int]] = []
    first_rows: list[int] = []
    for row in range(len(index)):
        cols = reach.indices[reach.indptr[row] : reach.indptr[row + 1]]
        key = need[row].tobytes() + b"|" + cols.tobytes()
        slot = seen.get(key)
        if slot is None:
            seen[key] = len(members)
            members.append([row])
            first_rows.append(row)
        else:
            members[slot].append(row)
    groups = [index[np.asarray(rows, dtype=np.int64)] for rows in members]
    weights = np.array([weight[rows].sum() for rows in members], dtype=float)
    keep = np.asarray(first_rows, dtype=np.int64)
    return groups, need[keep] if len(keep) else need[:0], weights, keep


# Column dominance is skipped above this many multiply-adds (A^T A); HiGHS's presolve still runs.
DOMINANCE_WORK_LIMIT = 60_000_000


def _undominated(block: sp.csc_array, need: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Which candidate columns to keep for one requirement. Column j' *covers* j when every home
    j reaches is also reached by j' (ties between equal columns broken by position). A column
    covered by at least as many columns as the largest need among its homes is never needed: in
    any solution using it, either a coverer is unused (swap to it) or all its coverers are used
    and the homes it reaches are met without it. Coverers of a dropped column that are dropped
    too have their own coverers (the relation is transitive), so enough are always kept.
    Fixed columns are kept."""
    m = block.shape[1]
    keep = np.ones(m, dtype=bool)
    degree = np.diff(block.indptr)
    row_degree = np.diff(sp.csr_array(block).indptr)
    if m < 2 or float((row_degree.astype(float) ** 2).sum()) > DOMINANCE_WORK_LIMIT:
        return keep
    size = degree.astype(np.int64)
    inter = sp.coo_array(block.T @ block)  # shared homes of each pair of columns
    j, k = inter.row, inter.col  # k covers j when |N(j) & N(k)| = |N(j)|
    covers = (j != k) & (np.rint(inter.data).astype(np.int64) == size[j])
    covers &= (size[k] > size[j]) | (k < j)
    counts = np.bincount(j[covers], minlength=m)
    csc = block
    most = np.zeros(m, dtype=np.int64)
    for col in range(m):
        homes = csc.indices[csc.indptr[col] : csc.indptr[col + 1]]
        most[col] = need[homes].max() if len(homes) else 0
    keep = (counts < np.maximum(most, 1)) | fixed
    keep &= (size > 0) | fixed
    return keep


def _with_variables(inst: Instance) -> Instance:
    """Variables (r, j) for candidates that reach a group needing r (and every requirement of a
    fixed candidate), and each requirement's block of the covering matrix."""
    var_r: list[np.ndarray] = []
    var_j: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    blocks: list[sp.csr_array] = []
    for r in range(inst.q):
        rows_r = np.flatnonzero(inst.needs[:, r] > 0)
        sub = inst.reach[rows_r] if len(rows_r) else sp.csr_array((0, inst.n_candidates))
        used = np.union1d(np.unique(sp.csr_array(sub).indices), inst.fixed).astype(np.int64)
        keep = _undominated(
            sp.csc_array(sp.csr_array(sub)[:, used], dtype=float),
            inst.needs[rows_r, r],
            np.isin(used, inst.fixed),
        )
        used = used[keep]
        rows.append(rows_r)
        blocks.append(sp.csr_array(sp.csr_array(sub)[:, used], dtype=float))
        var_r.append(np.full(len(used), r, dtype=np.int64))
        var_j.append(used)
    object.__setattr__(inst, "var_r", np.concatenate(var_r) if var_r else inst.var_r)
    object.__setattr__(inst, "var_j", np.concatenate(var_j) if var_j else inst.var_j)
    object.__setattr__(inst, "rows", rows)
    object.__setattr__(inst, "blocks", blocks)
    return inst


def covered_groups(inst: Instance, picks: Iterable[tuple[int, int]]) -> np.ndarray:
    """Which groups meet every requirement with the picked (requirement, candidate) pairs added:
    the truth every answer is checked against."""
    return np.asarray((inst.have(picks) >= inst.needs).all(axis=1), dtype=bool)
