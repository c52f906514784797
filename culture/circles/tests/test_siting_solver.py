"""The siting solver (pure numpy/scipy): the integer programs against brute force over every
subset on small instances, multi-cover, fixed and excluded sites, unreachable homes, the
boundary, and the labels of the heuristic and time-limit paths."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from culture.circles.siting.model import build_instance, covered_groups
from culture.circles.siting.solve import (
    BUDGET,
    EXACT,
    HEURISTIC,
    MIN_COVER,
    SIZE,
    TIME_LIMIT,
    solve_budget,
    solve_min_cover,
)

R = 1500.0
BIG = 10**9


# ----- an independent brute force -----------------------------------------------------------------
def _brute(homes, weights, needs, cand, *, fixed=(), excluded=(), budget=None):
    """Enumerate every set of (requirement, candidate) pairs. Returns the optimum: the fewest
    pairs covering every coverable failing home, or the most population with <= budget pairs."""
    q = needs.shape[1]
    near = np.hypot(*(homes[:, None, :] - cand[None, :, :]).transpose(2, 0, 1)) <= R
    allowed = [j for j in range(len(cand)) if j not in excluded]
    pairs = [(r, j) for r in range(q) for j in allowed]
    failing = needs.sum(axis=1) > 0
    reach = near[:, allowed].sum(axis=1)
    coverable = failing & (needs <= reach[:, None]).all(axis=1)

    def covered(subset):
        have = np.zeros_like(needs)
        for r, j in subset:
            have[:, r] += near[:, j]
        return failing & (have >= needs).all(axis=1)

    best = None
    for size in range(len(pairs) + 1):
        if budget is not None and size > budget:
            break
        for subset in itertools.combinations(pairs, size):
            if any(all(p[1] != f for p in subset) for f in fixed):
                continue
            cov = covered(subset)
            if budget is None:
                if (cov >= coverable).all():
                    return size
            else:
                value = int(weights[cov].sum())
                best = value if best is None else max(best, value)
    return best


def _random_instance(seed, n=9, m=5, q=2):
    rng = np.random.default_rng(seed)
    homes = rng.uniform(0, 4000, (n, 2))
    cand = rng.uniform(0, 4000, (m, 2))
    weights = rng.integers(1, 100, n)
    needs = np.column_stack([rng.integers(0, 2, n), rng.integers(0, 3, n)])[:, :q]
    return homes, weights, needs, cand


def _inst(homes, weights, needs, cand, **kw):
    return build_instance(
        home_xy=homes, weights=weights, needs=needs, cand_xy=cand, radius_m=R, **kw
    )


@pytest.mark.parametrize("seed", range(12))
def test_min_cover_matches_brute_force(seed):
    homes, weights, needs, cand = _random_instance(seed)
    inst = _inst(homes, weights, needs, cand)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    assert (sol.problem, sol.method, sol.optimal) == (MIN_COVER, EXACT, True)
    assert sol.facilities == _brute(homes, weights, needs, cand)
    assert covered_groups(inst, sol.picks).all()  # every reachable failing home is met


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("budget", [1, 2, 3])
def test_budget_matches_brute_force(seed, budget):
    homes, weights, needs, cand = _random_instance(seed, m=4)
    inst = _inst(homes, weights, needs, cand)
    sol = solve_budget(inst, budget, time_limit=30, max_nonzeros=BIG)
    assert (sol.problem, sol.method, sol.optimal) == (BUDGET, EXACT, True)
    assert sol.facilities <= budget
    assert sol.population_added == _brute(homes, weights, needs, cand, budget=budget)


@pytest.mark.parametrize("seed", range(6))
def test_fixed_and_excluded_match_brute_force(seed):
    homes, weights, needs, cand = _random_instance(100 + seed, m=5)
    fixed, excluded = (1,), (3,)
    inst = _inst(homes, weights, needs, cand, fixed=fixed, excluded=excluded)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    expect = _brute(homes, weights, needs, cand, fixed=fixed, excluded=excluded)
    assert sol.optimal and sol.facilities == expect
    assert any(j == 1 for _, j in sol.picks)
    assert all(j != 3 for _, j in sol.picks)
    sol = solve_budget(inst, 2, time_limit=30, max_nonzeros=BIG)
    expect = _brute(homes, weights, needs, cand, fixed=fixed, excluded=excluded, budget=2)
    assert sol.optimal and sol.population_added == expect
    assert any(j == 1 for _, j in sol.picks) and all(j != 3 for _, j in sol.picks)


def test_multi_cover_one_space_short_needs_one_none_needs_two():
    # Home A has one space within R (needs 1 more), home B none (needs 2); three candidates sit
    # 100 m, 200 m and 300 m east of the origin, all within R of both.
    homes = np.array([[0.0, 0.0], [50.0, 0.0]])
    cand = np.array([[100.0, 0.0], [200.0, 0.0], [300.0, 0.0]])
    needs = np.array([[0, 1], [0, 2]])
    inst = _inst(homes, np.array([10, 20]), needs, cand)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    assert sol.facilities == 2  # two new spaces: B's two, which also give A its one
    assert {r for r, _ in sol.picks} == {1}
    assert len({j for _, j in sol.picks}) == 2  # two different places
    # Only A needs something: one space is enough.
    inst = _inst(homes, np.array([10, 20]), np.array([[0, 1], [0, 0]]), cand)
    assert solve_min_cover(inst, time_limit=30, max_nonzeros=BIG).facilities == 1
    # A budget of one covers A only (B still lacks one): 10 residents; two cover both: 30.
    inst = _inst(homes, np.array([10, 20]), needs, cand)
    one = solve_budget(inst, 1, time_limit=30, max_nonzeros=BIG)
    two = solve_budget(inst, 2, time_limit=30, max_nonzeros=BIG)
    assert (one.population_added, two.population_added) == (10, 30)
    assert two.added == [10, 20]  # the first space completes A; the second completes B


def test_a_place_can_take_a_venue_and_a_space():
    homes = np.array([[0.0, 0.0]])
    cand = np.array([[500.0, 0.0], [4000.0, 0.0]])  # only the first is within R
    inst = _inst(homes, np.array([7]), np.array([[1, 1]]), cand)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    assert sorted(sol.picks) == [(0, 0), (1, 0)]  # a venue and a space, both at place 0
    assert sol.added == [0.0, 7.0] and sol.population_added == 7


def test_unreachable_homes_are_reported_not_dropped():
    homes = np.array([[0.0, 0.0], [9000.0, 0.0], [0.0, 100.0]])
    cand = np.array([[100.0, 0.0], [8000.0, 0.0], [9000.0, 5000.0]])
    # home 0 needs 2 spaces but only candidate 0 is within R; home 1 needs a venue and has
    # candidate 1 (1,000 m); home 2 needs a venue, candidate 0 is within R.
    needs = np.array([[0, 2], [1, 0], [1, 0]])
    inst = _inst(homes, np.array([5, 6, 7]), needs, cand)
    assert inst.unreachable.tolist() == [0]
    assert inst.shortfall.tolist() == [[0, 1]]
    assert inst.reachable_counts.tolist() == [1]
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    assert sol.optimal and sorted(sol.picks) == [(0, 0), (0, 1)]
    # Excluding candidate 1 makes home 1 unreachable too.
    inst = _inst(homes, np.array([5, 6, 7]), needs, cand, excluded=[1])
    assert inst.unreachable.tolist() == [0, 1]


@pytest.mark.parametrize(
    ("distance", "reached"), [(1499.999, True), (1500.0, True), (1500.001, False)]
)
def test_reach_is_exact_at_the_boundary(distance, reached):
    angle = 0.7
    homes = np.array([[2000.0, 3000.0]])
    cand = homes + distance * np.array([[np.cos(angle), np.sin(angle)]])
    inst = _inst(homes, np.array([1]), np.array([[1, 0]]), cand)
    assert (len(inst.unreachable) == 0) is reached


def test_dominated_candidates_are_dropped_without_losing_the_optimum():
    # Candidates 0..2 all reach both homes; 3 reaches only the first. Two spaces are needed.
    homes = np.array([[0.0, 0.0], [1000.0, 0.0]])
    cand = np.array([[500.0, 0.0], [500.0, 10.0], [500.0, 20.0], [-1400.0, 0.0]])
    inst = _inst(homes, np.array([1, 1]), np.array([[0, 2], [0, 2]]), cand)
    assert 3 not in inst.var_j[inst.var_r == 1].tolist()
    assert solve_min_cover(inst, time_limit=30, max_nonzeros=BIG).facilities == 2


def test_nothing_failing_means_nothing_to_build():
    homes, cand = np.array([[0.0, 0.0]]), np.array([[10.0, 0.0]])
    inst = _inst(homes, np.array([3]), np.array([[0, 0]]), cand)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    assert sol.picks == [] and sol.optimal
    assert solve_budget(inst, 3, time_limit=30, max_nonzeros=BIG).picks == []


def test_huge_input_goes_to_the_labelled_heuristic():
    homes, weights, needs, cand = _random_instance(3, n=40, m=12)
    inst = _inst(homes, weights, needs, cand)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=0)
    assert (sol.method, sol.optimal, sol.fallback_reason, sol.gap) == (HEURISTIC, False, SIZE, None)
    assert covered_groups(inst, sol.picks).all()  # still a complete answer
    sol = solve_budget(inst, 3, time_limit=30, max_nonzeros=0)
    assert (sol.method, sol.optimal, sol.fallback_reason) == (HEURISTIC, False, SIZE)
    assert sol.facilities <= 3


def test_no_time_left_gives_the_labelled_heuristic():
    homes, weights, needs, cand = _random_instance(4, n=40, m=12)
    inst = _inst(homes, weights, needs, cand)
    for sol in (
        solve_min_cover(inst, time_limit=0, max_nonzeros=BIG),
        solve_budget(inst, 3, time_limit=0, max_nonzeros=BIG),
    ):
        assert (sol.method, sol.optimal, sol.fallback_reason) == (HEURISTIC, False, TIME_LIMIT)
        assert sol.picks  # an answer all the same


def test_a_tiny_time_limit_is_honoured_and_labelled_consistently():
    rng = np.random.default_rng(7)
    homes = rng.uniform(0, 8000, (600, 2))
    cand = np.stack(np.meshgrid(np.arange(125, 8000, 250), np.arange(125, 8000, 250)), -1)
    needs = np.column_stack([rng.integers(0, 2, 600), rng.integers(0, 3, 600)])
    inst = _inst(homes, rng.integers(1, 500, 600), needs, cand.reshape(-1, 2))
    sol = solve_budget(inst, 7, time_limit=1e-3, max_nonzeros=BIG)
    if sol.fallback_reason:  # stopped by the clock: never claims optimality it has not proved
        assert sol.fallback_reason == TIME_LIMIT
        assert sol.optimal is (sol.gap == 0.0)
    else:
        assert sol.method == EXACT and sol.optimal
    assert sol.facilities <= 7


def test_build_order_adds_up_to_the_total():
    homes, weights, needs, cand = _random_instance(11, n=30, m=8)
    inst = _inst(homes, weights, needs, cand)
    sol = solve_min_cover(inst, time_limit=30, max_nonzeros=BIG)
    assert sum(sol.added) == pytest.approx(float(inst.weights[sol.covered_groups].sum()))
    assert all(s >= a for s, a in zip(sol.served, sol.added, strict=True))


def test_budget_smaller_than_fixed_is_refused():
    homes, weights, needs, cand = _random_instance(1)
    inst = _inst(homes, weights, needs, cand, fixed=[0, 1])
    with pytest.raises(ValueError):
        solve_budget(inst, 1, time_limit=30, max_nonzeros=BIG)


def test_fixed_and_excluded_at_once_is_refused():
    homes, weights, needs, cand = _random_instance(1)
    with pytest.raises(ValueError):
        _inst(homes, weights, needs, cand, fixed=[0], excluded=[0])
