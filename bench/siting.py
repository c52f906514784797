#!/usr/bin/env python
"""Siting benchmark (quality.md): where new facilities should go, ours (a sparse integer program,
scipy ``milp`` / HiGHS, culture/circles/siting) against spopt's LSCP and MCLP (PuLP + CBC).

District-sized gap instances: the homes of the demo district (``seed_demo --seed 42``: one point
per 250 m cell of every community, 1.19 M residents), its open venues and spaces, the 250 m
candidate grid inside the district, at the policy radius (1.5 km), at the city radius (1 km) and
with half the venues and spaces taken away (seeded), so the gaps grow. Without a database
(``--synthetic``) a district-shaped synthetic instance stands in (the smoke test).

spopt can express single cover only (spopt's LSCP cannot say "two spaces"), so the like-for-like
comparison is the single-cover part: every failing home needs one new facility within R; LSCP
(fewest sites covering them all) and MCLP (the K sites covering the most residents), ours and
spopt's on the same instance. Before anything is timed, both must reach the same optimal
objective (the run fails otherwise: a disagreement is a bug). Our full multi-cover model (a venue
and two spaces) is timed beside it, with the greedy heuristic's objective for comparison.

Timing is end to end from coordinates: ours builds the neighbour pairs (cKDTree), the sparse
model and solves; spopt computes the dense cost matrix (scipy ``cdist``), builds its PuLP model
and solves with CBC (``results=False``: its result bookkeeping is not counted). Median of
``--runs`` (default 5) after a warm-up; spopt's runs default to the same.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
OUT = ROOT / "bench" / "results" / "siting.json"
BEGIN, END = "<!-- siting:begin -->", "<!-- siting:end -->"
BIG = 10**12


# ----- instances ---------------------------------------------------------------------------------
def synthetic(seed: int = 1, homes: int = 2000, radius: float = 1500.0) -> dict:
    """A district-shaped instance without a database: homes in clusters over 12 x 10 km, venues
    and spaces concentrated in the older west, the 250 m candidate grid."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    width, height = 12000.0, 10000.0
    centres = rng.uniform([0, 0], [width, height], (60, 2))
    xy = centres[rng.integers(0, len(centres), homes)] + rng.normal(0, 700, (homes, 2))
    xy = np.clip(xy, 0, [width, height])
    weights = rng.integers(200, 3000, homes)
    venues = rng.uniform([0, 0], [width * 0.6, height], (40, 2))
    spaces = rng.uniform([0, 0], [width * 0.7, height], (200, 2))
    needs = np.zeros((homes, 2), dtype=np.int64)
    for r, (fac, n) in enumerate(((venues, 1), (spaces, 2))):
        d, _ = cKDTree(fac).query(xy, k=n)
        needs[:, r] = n - (np.asarray(d).reshape(homes, -1) <= radius).sum(axis=1)
    gx, gy = np.meshgrid(np.arange(125, width, 250.0), np.arange(125, height, 250.0))
    cand = np.column_stack([gx.ravel(), gy.ravel()])
    return {"label": f"synthetic {homes:,} homes, R {radius:g} m", "homes": xy,
            "weights": weights, "needs": needs, "cand": cand, "radius": radius}  # fmt: skip


def from_demo(radius: float, thin: float = 0.0, seed: int = 1) -> dict:
    """The demo district from the database (DATABASE_URL), optionally with a share ``thin`` of
    its venues and spaces taken away (seeded)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from culture.circles import coverage as engine
    from culture.circles.selectors import communities_of, inputs_for, rule_for
    from culture.circles.siting.candidates import candidates_for
    from culture.org.models import OrgLevel, OrgUnit

    rule = rule_for(None, radius)
    root = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).first()
    inputs = inputs_for(communities_of(OrgUnit.objects.all()), rule)
    cands = candidates_for(root, inputs.communities)
    rng = np.random.default_rng(seed)
    reqs = []
    for f in inputs.requirements():
        keep = rng.random(len(f.xy)) >= thin
        reqs.append(engine.Facilities(f.key, f.at_least, f.xy[keep]))
    d = engine.distances(inputs.homes_xy, reqs)
    needs = np.column_stack([d.short(r.key, radius) for r in reqs]).astype(np.int64)
    label = f"demo district, R {radius:g} m" + (
        f", {thin:.0%} of facilities removed" if thin else ""
    )
    return {"label": label, "homes": inputs.homes_xy, "weights": inputs.weights,
            "needs": needs, "cand": cands.xy, "radius": radius}  # fmt: skip


def single_cover(data: dict) -> dict:
    """The part spopt can express: every failing home with residents needs one new facility."""
    failing = (data["needs"].sum(axis=1) > 0) & (data["weights"] > 0)
    return {**data, "homes": data["homes"][failing], "weights": data["weights"][failing],
            "needs": np.ones((int(failing.sum()), 1), dtype=np.int64)}  # fmt: skip


# ----- contenders ----------------------------------------------------------------------------------
def _instance(data: dict):
    from culture.circles.siting.model import build_instance

    return build_instance(home_xy=data["homes"], weights=data["weights"], needs=data["needs"],
                          cand_xy=data["cand"], radius_m=data["radius"])  # fmt: skip


def ours_min(data: dict, time_limit: float = 600.0):
    from culture.circles.siting.solve import solve_min_cover

    return solve_min_cover(_instance(data), time_limit=time_limit, max_nonzeros=BIG)


def ours_budget(data: dict, k: int, time_limit: float = 600.0):
    from culture.circles.siting.solve import solve_budget

    return solve_budget(_instance(data), k, time_limit=time_limit, max_nonzeros=BIG)


def greedy(data: dict, k: int | None) -> float:
    from culture.circles.siting.heuristics import greedy_budget, greedy_min_cover, prune, value_of

    inst = _instance(data)
    if k is None:
        return float(len(prune(inst, greedy_min_cover(inst))))
    return value_of(inst, greedy_budget(inst, k))


def _cost(data: dict) -> np.ndarray:
    from scipy.spatial.distance import cdist

    return cdist(data["homes"], data["cand"])


def spopt_lscp(data: dict) -> float:
    import pulp
    from spopt.locate import LSCP

    model = LSCP.from_cost_matrix(_cost(data), data["radius"])
    model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    return float(pulp.value(model.problem.objective))


def spopt_mclp(data: dict, k: int) -> float:
    import pulp
    from spopt.locate import MCLP

    model = MCLP.from_cost_matrix(_cost(data), data["weights"], data["radius"], p_facilities=k)
    model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    return float(pulp.value(model.problem.objective))


def _timed(fn, runs: int) -> dict:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1), "runs": runs}  # fmt: skip


# ----- one instance --------------------------------------------------------------------------------
def run_instance(
    data: dict, *, budgets: list[int], runs: int, peer_runs: int, time_limit: float = 120.0
) -> dict:
    single = single_cover(data)
    out: dict = {
        "label": data["label"], "radius_m": data["radius"], "homes": int(len(data["homes"])),
        "failing_homes": int(len(single["homes"])), "candidates": int(len(data["cand"])),
        "lacking": {"venue": int((data["needs"][:, 0] > 0).sum()),
                    "spaces": int((data["needs"][:, 1] > 0).sum())},
        "single_cover": [], "multi_cover": [],
    }  # fmt: skip
    if not len(single["homes"]):
        return out
    for k in [None, *budgets]:
        ours = ours_min(single) if k is None else ours_budget(single, k)
        value = float(ours.facilities) if k is None else ours.population_added
        peer = spopt_lscp(single) if k is None else spopt_mclp(single, k)
        if not ours.optimal or abs(value - peer) > 1e-6 * max(1.0, abs(peer)):
            raise SystemExit(
                f"{data['label']}, {'LSCP' if k is None else f'MCLP k={k}'}: ours {value} "
                f"(optimal={ours.optimal}) != spopt {peer}: a bug, not a speed"
            )
        t_ours = _timed((lambda: ours_min(single)) if k is None
                        else (lambda k=k: ours_budget(single, k)), runs)  # fmt: skip
        t_peer = _timed((lambda: spopt_lscp(single)) if k is None
                        else (lambda k=k: spopt_mclp(single, k)), peer_runs)  # fmt: skip
        out["single_cover"].append({
            "problem": "LSCP (fewest sites)" if k is None else f"MCLP (best {k})",
            "objective": value, "spopt_objective": peer, "same_objective": True,
            "greedy_objective": greedy(single, k), "proof": ours.proof,
            "ours": t_ours, "spopt": t_peer,
            "spopt_over_ours": round(t_peer["median_ms"] / max(t_ours["median_ms"], 1e-3), 1),
        })  # fmt: skip
    tl = time_limit
    for k in [None, *budgets]:
        sol = ours_min(data, tl) if k is None else ours_budget(data, k, tl)
        value = float(sol.facilities) if k is None else sol.population_added
        t = _timed(
            (lambda: ours_min(data, tl)) if k is None else (lambda k=k: ours_budget(data, k, tl)),
            runs,
        )
        out["multi_cover"].append({
            "problem": "fewest to 100 %" if k is None else f"best {k}",
            "objective": value, "optimal": sol.optimal, "proof": sol.proof,
            "method": sol.method, "gap": sol.gap, "time_limit_s": tl,
            "greedy_objective": greedy(data, k), "ours": t,
        })  # fmt: skip
    return out


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for module in ("numpy", "scipy", "spopt", "pulp"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "versions": versions}  # fmt: skip


def _ms(v: float) -> str:
    return f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms"


def render_table(results: dict) -> str:
    lines = [
        "| instance | failing homes x candidates | problem | objective (ours = spopt) | greedy "
        "| ours | spopt (PuLP + CBC) | spopt / ours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for inst in results["instances"]:
        size = f"{inst['failing_homes']:,} x {inst['candidates']:,}"
        for row in inst["single_cover"]:
            lines.append(
                f"| {inst['label']} | {size} | single cover: {row['problem']} "
                f"| {row['objective']:,.0f} | {row['greedy_objective']:,.0f} "
                f"| {_ms(row['ours']['median_ms'])} | {_ms(row['spopt']['median_ms'])} "
                f"| {row['spopt_over_ours']}x |"
            )
        for row in inst["multi_cover"]:
            proven = "proven" if row["optimal"] else f"{row['method']}, not proven"
            lines.append(
                f"| {inst['label']} | {size} | venue + two spaces: {row['problem']} "
                f"| {row['objective']:,.0f} ({proven}) | {row['greedy_objective']:,.0f} "
                f"| {_ms(row['ours']['median_ms'])} | (cannot express) | |"
            )
    m = results["machine"]
    lines += ["", f"Measured {results['generated_at']} on {m['cpu']} ({m['cores']} cores, load "
              f"average {m['load_average_at_start']} at the start), scipy {m['versions']['scipy']}, "
              f"spopt {m['versions']['spopt']}, PuLP {m['versions']['pulp']}; medians of "
              f"{results['runs']} runs (spopt {results['peer_runs']}) after a warm-up; "
              "objectives checked equal before timing."]  # fmt: skip
    return "\n".join(lines)


def update_readme(results: dict, readme: Path) -> None:
    text = readme.read_text() if readme.exists() else ""
    if BEGIN not in text:
        text = text.rstrip() + f"\n\n## Siting (`bench/siting.py`)\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{BEGIN}\n{render_table(results)}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--synthetic", type=int, default=0, help="homes of a synthetic instance")
    p.add_argument("--budgets", default="5,10", help="K for MCLP / best K, comma-separated")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--peer-runs", type=int, default=None)
    p.add_argument("--time-limit", type=float, default=120.0, help="seconds, multi-cover rows")
    p.add_argument("--out", default=str(OUT))
    p.add_argument("--readme", default=str(README))
    args = p.parse_args(argv)
    budgets = [int(k) for k in args.budgets.split(",") if k]
    if args.synthetic:
        datasets = [synthetic(1, args.synthetic)]
    else:
        datasets = [from_demo(1500.0), from_demo(1000.0), from_demo(1500.0, thin=0.5)]
    results = {
        "benchmark": "siting",
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(), "runs": args.runs, "peer_runs": args.peer_runs or args.runs,
        "goals": {"same_objective": True, "spopt_over_ours": ">= 20", "proven_optimum_s": "< 2"},
        "time_limit_s": args.time_limit,
        "instances": [],
    }  # fmt: skip
    for data in datasets:
        print(f"siting: {data['label']}", flush=True)
        results["instances"].append(run_instance(
            data, budgets=budgets, runs=args.runs, peer_runs=args.peer_runs or args.runs,
            time_limit=args.time_limit))  # fmt: skip
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    update_readme(results, Path(args.readme))
    print(render_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
