"""The coverage engine: pure numpy/scipy, no database.

A rule says "within R metres of home, at least N facilities of these kinds" for each of its
requirements (the culture circle: >= 1 public culture venue and >= 2 public-welfare spaces;
the fitness circle: >= 1 sports facility). A home is covered when every requirement holds.

All coordinates are metres in one projection (EPSG:4549, see ``culture.core.geo.project``).
For a requirement with ``at_least = N`` the only numbers needed are the distances from each
home to its N nearest facilities of those kinds: one k-nearest query (scipy ``cKDTree``,
``k = N``) per requirement answers the whole district at once. A home with fewer than N
facilities in the district gets ``inf`` for the missing ones. The distances do not depend on
the radius, so one pass answers the policy radius and the 1 km city radius alike.

Within the radius means ``distance <= R``. Stored coordinates are floating-point degrees, and
projecting a point to metres and back moves it by nanometres, so the comparison allows one
micrometre (``TOLERANCE_M``): a home placed at exactly R by construction stays covered, one
placed a millimetre beyond R does not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

TOLERANCE_M = 1e-6  # one micrometre: far below any coordinate's real precision


@dataclass(frozen=True)
class Facilities:
    """The facilities that count for one requirement: ``xy`` is (m, 2) metres."""

    key: str
    at_least: int
    xy: np.ndarray

    def __post_init__(self) -> None:
        if self.at_least < 1:
            raise ValueError(f"requirement {self.key!r}: at_least must be >= 1")
        xy = np.asarray(self.xy, dtype=float).reshape(-1, 2)
        object.__setattr__(self, "xy", xy)

    def plus(self, extra: np.ndarray | Sequence[Sequence[float]]) -> Facilities:
        """The same requirement with hypothetical ``extra`` facilities added (what-if)."""
        more = np.asarray(extra, dtype=float).reshape(-1, 2)
        if not len(more):
            return self
        return Facilities(self.key, self.at_least, np.vstack([self.xy, more]))


def nearest_distances(
    homes_xy: np.ndarray, facilities_xy: np.ndarray, n: int, bound_m: float | None = None
) -> np.ndarray:
    """(homes, n): the distances from each home to its n nearest facilities, ascending;
    ``inf`` where the district has fewer than n facilities.

    ``bound_m`` only makes it faster: the tree is first searched within that distance (pruning
    every branch beyond it), and the homes whose n-th nearest lies further are searched again
    without it, so the answer is the same with or without it."""
    homes = np.asarray(homes_xy, dtype=float).reshape(-1, 2)
    fac = np.asarray(facilities_xy, dtype=float).reshape(-1, 2)
    out = np.full((len(homes), n), np.inf)
    if not len(homes) or not len(fac):
        return out
    k = min(n, len(fac))
    tree = cKDTree(fac)
    if bound_m is None:
        d, _ = tree.query(homes, k=k, workers=-1)
        out[:, :k] = np.asarray(d).reshape(len(homes), k)
        return out
    d, _ = tree.query(homes, k=k, workers=-1, distance_upper_bound=bound_m)
    out[:, :k] = np.asarray(d).reshape(len(homes), k)
    far = np.flatnonzero(np.isinf(out[:, k - 1]))
    if len(far):
        d, _ = tree.query(homes[far], k=k, workers=-1)
        out[far, :k] = np.asarray(d).reshape(len(far), k)
    return out


@dataclass
class Distances:
    """Per home and requirement, the distances to the N nearest facilities (radius-free)."""

    keys: tuple[str, ...]
    at_least: dict[str, int]
    nearest: dict[str, np.ndarray]  # key -> (homes, N) ascending

    @property
    def n_homes(self) -> int:
        return len(next(iter(self.nearest.values()))) if self.nearest else 0

    def nth(self, key: str) -> np.ndarray:
        """Distance to the N-th nearest facility of the requirement (inf: fewer than N)."""
        return self.nearest[key][:, self.at_least[key] - 1]

    def within(self, key: str, radius_m: float) -> np.ndarray:
        """How many of the N nearest lie within the radius (0..N): never more than N."""
        return (self.nearest[key] <= radius_m + TOLERANCE_M).sum(axis=1)

    def short(self, key: str, radius_m: float) -> np.ndarray:
        """How many facilities of the requirement a home lacks within the radius (0..N)."""
        return self.at_least[key] - self.within(key, radius_m)

    def covered(self, radius_m: float) -> np.ndarray:
        ok = np.ones(self.n_homes, dtype=bool)
        for key in self.keys:
            ok &= self.nth(key) <= radius_m + TOLERANCE_M
        return ok


SORT_ABOVE = 10_000  # homes; below this the queries are too quick to gain from ordering
ORDER_CELLS = 256  # the ordering grid: 256 x 256 cells over the homes' bounding box


def _spread(v: np.ndarray) -> np.ndarray:
    """The 8 bits of ``v`` spread to the even bits of 16 (for a Morton key)."""
    v = v.astype(np.uint16)
    v = (v | (v << 4)) & 0x0F0F
    v = (v | (v << 2)) & 0x3333
    return (v | (v << 1)) & 0x5555


def _spatial_order(homes: np.ndarray) -> np.ndarray:
    """Homes in Morton (Z) order of a 256 x 256 grid over their bounding box: neighbouring
    queries walk the same branches of the tree, which makes a large query a third to a half
    faster; the answers are unchanged. The 16-bit key sorts in linear time (radix)."""
    x, y = homes[:, 0], homes[:, 1]  # one-dimensional reductions: min(axis=0) is 30x slower
    low = np.array([x.min(), y.min()])
    span = float(max(x.max() - low[0], y.max() - low[1]))
    scale = (ORDER_CELLS - 1e-9) / span if span > 0 else 0.0
    cells = ((homes - low) * scale).astype(np.uint16)
    key = _spread(cells[:, 0]) | (_spread(cells[:, 1]) << 1)
    return np.argsort(key, kind="stable")


def distances(
    homes_xy: np.ndarray, requirements: Sequence[Facilities], bound_m: float | None = None
) -> Distances:
    """One k-nearest query per requirement for every home. ``bound_m`` (e.g. the largest radius
    the caller will ask about) speeds the queries up without changing any distance."""
    if not requirements:
        raise ValueError("a coverage rule needs at least one requirement")
    homes = np.asarray(homes_xy, dtype=float).reshape(-1, 2)
    order = _spatial_order(homes) if len(homes) > SORT_ABOVE else None
    queried = homes[order] if order is not None else homes
    nearest = {}
    for r in requirements:
        d = nearest_distances(queried, r.xy, r.at_least, bound_m)
        if order is not None:
            back = np.empty_like(d)
            back[order] = d
            d = back
        nearest[r.key] = d
    return Distances(
        keys=tuple(r.key for r in requirements),
        at_least={r.key: r.at_least for r in requirements},
        nearest=nearest,
    )


@dataclass
class Coverage:
    """The answer at one radius: per-home arrays and the totals."""

    radius_m: float
    covered: np.ndarray  # bool (homes,)
    lacks: dict[str, np.ndarray]  # key -> facilities short within R (0..N), int (homes,)
    nth_m: dict[str, np.ndarray]  # key -> distance to the N-th nearest (inf: fewer than N)
    weights: np.ndarray  # residents per home
    keys: tuple[str, ...] = field(default=())

    @property
    def points(self) -> int:
        return int(len(self.covered))

    @property
    def points_covered(self) -> int:
        return int(self.covered.sum())

    @property
    def population(self) -> int:
        return int(self.weights.sum())

    @property
    def population_covered(self) -> int:
        return int(self.weights[self.covered].sum())

    @property
    def share_points(self) -> float | None:
        return self.points_covered / self.points if self.points else None

    @property
    def share_population(self) -> float | None:
        return self.population_covered / self.population if self.population else None

    def failing(self, key: str) -> np.ndarray:
        """Indices of homes that lack something of requirement ``key``."""
        return np.flatnonzero(self.lacks[key] > 0)


def coverage_at(d: Distances, weights: np.ndarray, radius_m: float) -> Coverage:
    return Coverage(
        radius_m=float(radius_m),
        covered=d.covered(radius_m),
        lacks={k: d.short(k, radius_m).astype(np.int64) for k in d.keys},
        nth_m={k: d.nth(k) for k in d.keys},
        weights=np.asarray(weights, dtype=np.int64).reshape(-1),
        keys=d.keys,
    )


def coverage_compute(
    homes_xy: np.ndarray,
    weights: np.ndarray | Sequence[int],
    requirements: Sequence[Facilities],
    radius_m: float,
) -> Coverage:
    """Coverage of ``homes_xy`` (n, 2 metres, ``weights`` residents each) at ``radius_m``."""
    homes = np.asarray(homes_xy, dtype=float).reshape(-1, 2)
    w = np.asarray(weights, dtype=np.int64).reshape(-1)
    if len(w) != len(homes):
        raise ValueError("one weight per home")
    if (w < 0).any():
        raise ValueError("weights must not be negative")
    return coverage_at(distances(homes, requirements, bound_m=radius_m + TOLERANCE_M), w, radius_m)


def what_if(
    homes_xy: np.ndarray,
    weights: np.ndarray | Sequence[int],
    requirements: Sequence[Facilities],
    radius_m: float,
    extra: Mapping[str, np.ndarray | Sequence[Sequence[float]]],
) -> Coverage:
    """Coverage with hypothetical facilities ``extra[key]`` (metres) added to requirements."""
    unknown = set(extra) - {r.key for r in requirements}
    if unknown:
        raise ValueError(f"unknown requirement(s): {sorted(unknown)}")
    changed = [r.plus(extra[r.key]) if r.key in extra else r for r in requirements]
    return coverage_compute(homes_xy, weights, changed, radius_m)
