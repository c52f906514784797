#!/usr/bin/env python
"""The 15-minute coverage benchmark (quality.md): our engine (one k-nearest query per
requirement, scipy ``cKDTree``) against geopandas ``sjoin(predicate="dwithin")`` (an exact
radius count) and the usual buffer + spatial join, on 50 k and 500 k homes x 2 k and 20 k
facilities. Pure numpy in metres (EPSG:4549): no database.

The rule is the culture circle's: within R = 1,500 m at least 1 venue and at least 2 spaces.
Before anything is timed, dwithin must give the same answer as ours for every home (covered or
not, and how many of each requirement it lacks); buffer + sjoin is reported with how many homes
it answers differently (a polygon buffer lies inside the true circle). Never fails for being
slow; exits non-zero when ours and dwithin disagree.

Data: homes and facilities uniform in a square whose side grows with the number of facilities
(25 km at 2,000) so that about nine homes in ten are covered whatever the size; 10 % of the
facilities are venues, 90 % spaces; seeded.

    .venv/bin/python bench/coverage.py                 # the four sizes, 3 runs each
    BENCH_COVERAGE_RUNS=5 .venv/bin/python bench/coverage.py
    .venv/bin/python bench/coverage.py --homes 5000 --facilities 200 --runs 1 --out /tmp/c.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from culture.circles.coverage import TOLERANCE_M, Facilities, coverage_compute  # noqa: E402

README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- coverage:begin -->", "<!-- coverage:end -->"
RADIUS = 1500.0
REQUIREMENTS = (("venue", 1), ("spaces", 2))
VENUE_SHARE = 0.10
SIDE_AT_2000 = 25_000.0  # metres
ORIGIN = (480_000.0, 3_330_000.0)  # EPSG:4549 metres, around Hangzhou
SIZES = ((50_000, 2_000), (50_000, 20_000), (500_000, 2_000), (500_000, 20_000))


def make_data(homes: int, facilities: int, seed: int = 42) -> dict[str, Any]:
    rng = np.random.default_rng(seed + homes + facilities)
    side = SIDE_AT_2000 * (facilities / 2000) ** 0.5
    n_venues = max(1, int(round(facilities * VENUE_SHARE)))

    def points(n: int) -> np.ndarray:
        return np.asarray(ORIGIN) + rng.uniform(0.0, side, size=(n, 2))

    return {
        "side_m": side,
        "homes": points(homes),
        "weights": rng.integers(50, 2000, size=homes),
        "facilities": {"venue": points(n_venues), "spaces": points(facilities - n_venues)},
    }


# ----- contenders: each returns (covered bool[n], lacks {key: int[n]}) ------------------------
def ours(data: dict[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    reqs = [Facilities(k, n, data["facilities"][k]) for k, n in REQUIREMENTS]
    cov = coverage_compute(data["homes"], data["weights"], reqs, RADIUS)
    return cov.covered, cov.lacks


def geo_frames(data: dict[str, Any]) -> dict[str, Any]:
    """GeoDataFrames built once, outside the timings (the peers' data preparation)."""
    import geopandas as gpd  # noqa: PLC0415 - a benchmark-only dependency

    homes = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(data["homes"][:, 0], data["homes"][:, 1]), crs="EPSG:4549"
    )
    fac = {
        k: gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:4549")
        for k, xy in data["facilities"].items()
    }
    return {"homes": homes, "facilities": fac, "n": len(data["homes"])}


def _answer(counts: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    lacks = {k: np.maximum(0, n - counts[k]).astype(np.int64) for k, n in REQUIREMENTS}
    covered = np.ones(len(next(iter(counts.values()))), dtype=bool)
    for k in lacks:
        covered &= lacks[k] == 0
    return covered, lacks


def dwithin(frames: dict[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Every (home, facility) pair within R, counted per home: the exact radius count. The
    distance is ours, R plus the engine's one micrometre (the same rule)."""
    import geopandas as gpd  # noqa: PLC0415

    counts = {}
    for key, _n in REQUIREMENTS:
        pairs = gpd.sjoin(
            frames["homes"], frames["facilities"][key], predicate="dwithin",
            distance=RADIUS + TOLERANCE_M,
        )  # fmt: skip
        counts[key] = np.bincount(pairs.index.to_numpy(), minlength=frames["n"])
    return _answer(counts)


def buffer_sjoin(frames: dict[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The usual way: each home's 1.5 km buffer (a polygon of 16 segments a quarter circle,
    geopandas' default), then the facilities intersecting it."""
    import geopandas as gpd  # noqa: PLC0415

    circles = gpd.GeoDataFrame(geometry=frames["homes"].buffer(RADIUS), crs="EPSG:4549")
    counts = {}
    for key, _n in REQUIREMENTS:
        pairs = gpd.sjoin(circles, frames["facilities"][key], predicate="intersects")
        counts[key] = np.bincount(pairs.index.to_numpy(), minlength=frames["n"])
    return _answer(counts)


def differ(a: tuple[np.ndarray, dict], b: tuple[np.ndarray, dict]) -> int:
    """Homes answered differently (covered, or what they lack)."""
    bad = a[0] != b[0]
    for k in a[1]:
        bad |= a[1][k] != b[1][k]
    return int(bad.sum())


def timed(contenders: dict[str, Callable[[], Any]], runs: int) -> dict[str, dict[str, float]]:
    """One warm-up each, then ``runs`` rounds in which every contender runs once in turn: on a
    machine shared with other work, a change of load then touches all of them alike rather than
    whichever happened to be running (the ratios are what the goals are about)."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, fn in contenders.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    return {
        name: {
            "median_ms": round(statistics.median(ts), 1),
            "min_ms": round(min(ts), 1),
            "max_ms": round(max(ts), 1),
        }
        for name, ts in times.items()
    }


def measure(homes: int, facilities: int, runs: int, say: Callable[[str], None] = print) -> dict:
    data = make_data(homes, facilities)
    frames = geo_frames(data)
    mine = ours(data)
    exact = dwithin(frames)
    wrong = differ(mine, exact)
    if wrong:
        raise SystemExit(f"ours and dwithin disagree on {wrong} homes ({homes} x {facilities})")
    buffered = buffer_sjoin(frames)
    say(f"{homes:,} homes x {facilities:,} facilities: answers agree; timing")
    t = timed(
        {
            "ours": lambda: ours(data),
            "dwithin": lambda: dwithin(frames),
            "buffer_sjoin": lambda: buffer_sjoin(frames),
        },
        runs,
    )
    ms = {k: v["median_ms"] for k, v in t.items()}
    return {
        "homes": homes,
        "facilities": facilities,
        "venues": len(data["facilities"]["venue"]),
        "spaces": len(data["facilities"]["spaces"]),
        "side_m": round(data["side_m"]),
        "covered_share": round(float(mine[0].mean()), 4),
        "dwithin_differs": wrong,
        "buffer_sjoin_differs": differ(mine, buffered),
        "timings": t,
        "ratios": {
            "dwithin_over_ours": round(ms["dwithin"] / ms["ours"], 1),
            "buffer_sjoin_over_ours": round(ms["buffer_sjoin"] / ms["ours"], 1),
        },
    }


def machine() -> dict[str, Any]:
    import geopandas  # noqa: PLC0415
    import scipy  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "versions": {
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "geopandas": geopandas.__version__,
            "shapely": shapely.__version__,
        },  # fmt: skip
        "commit": commit,
    }


def _ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def render_table(results: dict) -> str:
    lines = [
        "| homes x facilities | covered | ours (cKDTree k-nearest) | geopandas dwithin "
        "| buffer + sjoin | dwithin / ours | buffer / ours | buffer answers wrong |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results["sizes"]:
        t, q = r["timings"], r["ratios"]
        lines.append(
            f"| {r['homes']:,} x {r['facilities']:,} | {r['covered_share'] * 100:.1f} % "
            f"| {_ms(t['ours']['median_ms'])} | {_ms(t['dwithin']['median_ms'])} "
            f"| {_ms(t['buffer_sjoin']['median_ms'])} | {q['dwithin_over_ours']}x "
            f"| {q['buffer_sjoin_over_ours']}x | {r['buffer_sjoin_differs']:,} homes |"
        )
    m = results["machine"]
    lines.append("")
    lines.append(
        f"Measured {results['generated_at']} on {m['cpu']} ({m['cores']} cores, load average "
        f"{m['load_average_at_start'][0]} at the start, "
        f"{m.get('load_average_at_end', ['?'])[0]} at the end), numpy {m['versions']['numpy']}, scipy "
        f"{m['versions']['scipy']}, geopandas {m['versions']['geopandas']}, shapely "
        f"{m['versions']['shapely']}, commit {m['commit']}; medians of {results['runs']} rounds "
        "(each contender once a round) after a warm-up; ours and dwithin agreed on every home "
        "before timing."
    )
    return "\n".join(lines)


def update_readme(results: dict, readme: Path = README) -> None:
    text = readme.read_text() if readme.exists() else ""
    if BEGIN not in text:
        text = f"{text.rstrip()}\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{BEGIN}\n{render_table(results)}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, action="append")
    parser.add_argument("--facilities", type=int, action="append")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_COVERAGE_RUNS", 5)))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "coverage.json"))
    parser.add_argument("--readme", default=str(README))
    args = parser.parse_args(argv)
    sizes = (
        [(h, f) for h in args.homes for f in args.facilities]
        if args.homes and args.facilities
        else list(SIZES)
    )
    results = {
        "benchmark": "coverage",
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": args.runs,
        "rule": {"radius_m": RADIUS, "requirements": dict(REQUIREMENTS)},
        "goals": {
            "dwithin_differs": "0",
            "buffer_sjoin_over_ours at 50,000 homes": ">= 25",
            "ours at 500,000 x 20,000": "< 1 s",
        },
        "sizes": [measure(h, f, args.runs) for h, f in sizes],
    }
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    if args.readme:
        update_readme(results, Path(args.readme))
    print(render_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
