"""The pure coverage engine on points placed by hand in metres (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from culture.circles.coverage import Facilities, coverage_compute, nearest_distances, what_if

R = 1500.0


def _cov(homes, venues, spaces, weights=None, radius=R):
    homes = np.array(homes, dtype=float)
    weights = np.ones(len(homes), dtype=int) if weights is None else weights
    reqs = [Facilities("venue", 1, np.array(venues)), Facilities("spaces", 2, np.array(spaces))]
    return coverage_compute(homes, weights, reqs, radius)


@pytest.mark.parametrize(
    ("dx", "covered"),
    [(1499.999, True), (1500.0, True), (1500.001, False)],
)
def test_venue_at_the_boundary(dx, covered):
    # 2.2.3: "家门口辐射半径1.5公里内": 1,500 m is within, a millimetre more is not.
    cov = _cov([[0, 0]], [[dx, 0]], [[10, 0], [0, 10]])
    assert bool(cov.covered[0]) is covered
    assert int(cov.lacks["venue"][0]) == (0 if covered else 1)
    assert int(cov.lacks["spaces"][0]) == 0


@pytest.mark.parametrize(
    ("dy", "covered", "short"),
    [(1499.999, True, 0), (1500.0, True, 0), (1500.001, False, 1)],
)
def test_second_space_at_the_boundary_on_a_diagonal(dy, covered, short):
    # The second-nearest space decides: one at 3-4-5 scaled (900, 1200) = 1,500 m exactly.
    d = dy / 1500.0
    cov = _cov([[0, 0]], [[0, 5]], [[100, 0], [900 * d, 1200 * d]])
    assert bool(cov.covered[0]) is covered
    assert int(cov.lacks["spaces"][0]) == short


def test_second_nearest_decides_and_counts_what_is_short():
    # Home A: one space at 200 m, the second at 2,000 m: lacks one space.
    # Home B: spaces at 300 and 1,400 m and a venue at 1,000 m: covered.
    # Home C: nothing within 1.5 km: lacks the venue and two spaces.
    homes = [[0, 0], [10000, 0], [50000, 0]]
    venues = [[0, 100], [11000, 0]]
    spaces = [[200, 0], [2000, 0], [10300, 0], [10000, 1400]]
    cov = _cov(homes, venues, spaces, weights=np.array([100, 250, 40]))
    assert cov.covered.tolist() == [False, True, False]
    assert cov.lacks["venue"].tolist() == [0, 0, 1]
    assert cov.lacks["spaces"].tolist() == [1, 0, 2]
    assert cov.nth_m["spaces"][0] == pytest.approx(2000.0)
    assert (cov.points, cov.points_covered) == (3, 1)
    assert (cov.population, cov.population_covered) == (390, 250)
    assert cov.share_population == pytest.approx(250 / 390)
    assert cov.share_points == pytest.approx(1 / 3)


def test_fewer_facilities_than_required_is_never_covered():
    # One space in the whole district: nobody has two, however close it is.
    cov = _cov([[0, 0], [5, 5]], [[1, 1]], [[2, 2]])
    assert cov.covered.tolist() == [False, False]
    assert cov.lacks["spaces"].tolist() == [1, 1]
    assert np.isinf(cov.nth_m["spaces"]).all()
    # No space at all: two short.
    cov = _cov([[0, 0]], [[1, 1]], np.empty((0, 2)))
    assert cov.lacks["spaces"].tolist() == [2]
    assert nearest_distances(np.array([[0.0, 0.0]]), np.empty((0, 2)), 2).tolist() == [
        [np.inf, np.inf]
    ]


def test_what_if_adds_hypothetical_facilities():
    homes = np.array([[0.0, 0.0], [4000.0, 0.0]])
    reqs = [
        Facilities("venue", 1, np.array([[0.0, 500.0], [4000.0, 500.0]])),
        Facilities("spaces", 2, np.array([[300.0, 0.0], [4300.0, 0.0]])),
    ]
    before = coverage_compute(homes, [10, 20], reqs, R)
    assert before.covered.tolist() == [False, False]
    # A space at 2,000 m east is 2,000 m from both: no change; at (700, 0) it covers home 1.
    assert what_if(homes, [10, 20], reqs, R, {"spaces": [[2000.0, 0.0]]}).covered.tolist() == [
        False,
        False,
    ]
    after = what_if(homes, [10, 20], reqs, R, {"spaces": [[700.0, 0.0]]})
    assert after.covered.tolist() == [True, False]
    assert after.population_covered == 10
    # The inputs are unchanged (what-if is not a write).
    assert len(reqs[1].xy) == 2
    with pytest.raises(ValueError):
        what_if(homes, [10, 20], reqs, R, {"sports": [[0.0, 0.0]]})


def test_one_requirement_rule_and_bad_weights():
    # The fitness circle: one requirement, N = 1.
    homes = np.array([[0.0, 0.0], [0.0, 1001.0]])
    cov = coverage_compute(homes, [5, 5], [Facilities("sports", 1, [[0.0, 0.0]])], 1000.0)
    assert cov.covered.tolist() == [True, False]
    with pytest.raises(ValueError):
        coverage_compute(homes, [5, -1], [Facilities("sports", 1, [[0.0, 0.0]])], 1000.0)
    with pytest.raises(ValueError):
        coverage_compute(homes, [5], [Facilities("sports", 1, [[0.0, 0.0]])], 1000.0)


def test_empty_homes():
    cov = _cov(np.empty((0, 2)), [[0, 0]], [[0, 0], [1, 1]])
    assert (cov.points, cov.population, cov.share_points, cov.share_population) == (
        0,
        0,
        None,
        None,
    )


def test_large_inputs_in_spatial_order_give_the_brute_force_answer():
    # Above 10,000 homes the engine queries them in Morton order and puts the answers back, and
    # searches within the radius first (again without it for the homes with too few there):
    # every home's covered/lacks equals a brute-force count of the facilities within 1.5 km,
    # and its distance to the N-th nearest the brute-force one, also beyond 1.5 km.
    rng = np.random.default_rng(7)
    homes = rng.uniform(0, 8000, size=(12_000, 2))
    venues, spaces = rng.uniform(0, 8000, size=(6, 2)), rng.uniform(0, 8000, size=(12, 2))
    cov = _cov(homes, venues, spaces)

    def pairwise(fac):
        return np.sqrt(((homes[:, None, :] - fac[None, :, :]) ** 2).sum(axis=2))

    def within(fac):
        return (pairwise(fac) <= R).sum(axis=1)

    short_v = np.maximum(0, 1 - within(venues))
    short_s = np.maximum(0, 2 - within(spaces))
    assert cov.lacks["venue"].tolist() == short_v.tolist()
    assert cov.lacks["spaces"].tolist() == short_s.tolist()
    assert cov.covered.tolist() == ((short_v == 0) & (short_s == 0)).tolist()
    assert 0 < cov.points_covered < cov.points  # a mixed answer, not a trivial one
    second = np.sort(pairwise(spaces), axis=1)[:, 1]
    assert np.array_equal(cov.nth_m["venue"], pairwise(venues).min(axis=1))
    assert np.abs(cov.nth_m["spaces"] - second).max() < 1e-9
    assert (second > R).any() and (second <= R).any()


def test_a_search_within_a_bound_gives_the_same_distances():
    # Home 0: both facilities within 100 m; home 1: one at 50 m, the other 2,000 m away (beyond
    # the bound); home 2: both beyond it.
    homes = np.array([[0.0, 0.0], [5000.0, 0.0], [0.0, 9000.0]])
    fac = np.array([[60.0, 80.0], [0.0, 100.0], [5030.0, 40.0], [7000.0, 0.0]])
    unbounded = nearest_distances(homes, fac, 2)
    bounded = nearest_distances(homes, fac, 2, bound_m=1500.0)
    assert np.array_equal(bounded, unbounded)
    assert bounded[1].tolist() == [50.0, 2000.0]
    assert bounded[0].tolist() == [100.0, 100.0]
    # fewer facilities than asked for: inf beyond them, with or without the bound
    assert nearest_distances(homes[:1], fac[:1], 2, bound_m=10.0).tolist() == [[100.0, np.inf]]
