#!/usr/bin/env python
"""``make bench``: the standards evaluation benchmark (quality.md) on SQLite, at demo scale and at
``BENCH_SCALE`` activity rows, with the results in ``bench/results/standards_evaluation.json``
and a table in ``bench/README.md``. Never fails for being slow; fails when the contenders'
sums disagree (that is a bug, not a speed).

Settings (environment):
  BENCH_SCALE         activity rows of the large dataset (default 5000000; 0 skips it)
  BENCH_RUNS          measured runs per contender after one warm-up (default 5, at least 5 in
                      the committed results)
  BENCH_LATENCY_RUNS  write-to-cockpit samples per dataset (default 5; 0 skips)
  BENCH_YEAR          the evaluated year (default: last year, a whole year)
  BENCH_SEED          the demo seed (default 42)
  BENCH_DIR           where the throwaway databases live (default /tmp/culture-bench); they
                      are kept and reused by the next run (delete the folder to rebuild)
  BENCH_OUT           the results file (default bench/results/standards_evaluation.json)
  BENCH_README        the page whose table is replaced (default bench/README.md)
  BENCH_POSTGRES_URL  also run on PostgreSQL: a server URL (e.g. postgres://postgres@127.0.0.1:
                      5432/postgres) where the benchmark databases culture_bench_* are created
                      once and kept (drop them to rebuild)
  BENCH_DATABASES     sqlite, postgresql or both (default: sqlite, plus postgresql when
                      BENCH_POSTGRES_URL is set)
  BENCH_COVERAGE      0 skips the 15-minute coverage benchmark run after it (bench/coverage.py,
                      results in bench/results/coverage.json; BENCH_COVERAGE_RUNS runs each)
  BENCH_BOOKING       0 skips the booking rush (bench/booking.py: gunicorn on copies of the demo,
                      SQLite and, with BENCH_POSTGRES_URL, PostgreSQL; results in
                      bench/results/booking.json)
  BENCH_LIBRARY_CIRC  0 skips the circulation benchmark (bench/library_circulation.py: desk
                      checkouts and returns through the API on gunicorn, on copies of the demo,
                      beside the raw commit rate; SQLite and, with BENCH_POSTGRES_URL,
                      PostgreSQL; results in bench/results/library_circulation.json)
  BENCH_LIBRARY_SEARCH 0 skips the catalogue search benchmark (bench/library_search.py:
                      200,000 titles and 1,000,000 copies in its own SQLite file; results in
                      bench/results/library_search.json)

The data: ``seed_demo --seed 42`` builds the demo district into a throwaway SQLite file; the
large dataset copies that file and adds activity rows with ``bench/data.py`` (copies of the
demo's activities spread over the same two years) and rebuilds the summaries once.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- standards_evaluation:begin -->", "<!-- standards_evaluation:end -->"


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def _url(db: Path | str) -> str:
    return db if isinstance(db, str) else f"sqlite:///{db}"


def _django_env(db: Path | str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        DATABASE_URL=_url(db),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        CULTURE_EVALUATE_ON_WRITE="0",
    )
    env.pop("TASKS_BACKEND", None)
    return env


def _run(args: list[str], db: Path | str) -> None:
    print("$", " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, env=_django_env(db), check=True)  # noqa: S603


def _copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a WAL-mode database (the backup API, not a file copy)."""
    dst.unlink(missing_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def ensure_demo(folder: Path, seed: int) -> Path:
    db = folder / f"demo-seed{seed}.sqlite3"
    if not db.exists():
        building = db.with_suffix(".building")
        for stale in folder.glob(building.name + "*"):
            stale.unlink()
        _run(["manage.py", "migrate", "--noinput", "-v0"], building)
        _run(["manage.py", "seed_demo", "--seed", str(seed)], building)
        _copy_sqlite(building, db)
        for done in folder.glob(building.name + "*"):
            done.unlink()
    _run(["manage.py", "migrate", "--noinput", "-v0"], db)  # the code may have moved on
    return db


def ensure_scale(folder: Path, demo: Path, rows: int, seed: int) -> Path:
    db = folder / f"activities-{rows}-seed{seed}.sqlite3"
    if not db.exists():
        building = db.with_suffix(".building")
        _copy_sqlite(demo, building)
        _run(["bench/data.py", "--rows", str(rows), "--seed", str(seed)], building)
        _copy_sqlite(building, db)
        for done in folder.glob(building.name + "*"):
            done.unlink()
    _run(["manage.py", "migrate", "--noinput", "-v0"], db)
    return db


# ----- PostgreSQL (BENCH_POSTGRES_URL: a server to create the benchmark databases on) ---------
def _pg_admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _pg_url(url: str, name: str) -> str:
    base, _, _old = url.rpartition("/")
    return f"{base}/{name}"


def _pg_exists(admin, name: str) -> bool:
    return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def ensure_pg(url: str, name: str, *, template: str | None, build: list[list[str]]) -> str:
    """The database ``name`` on the server of ``url`` (built once: ``build`` commands run
    against ``<name>_building``, created empty or from ``template``, then renamed)."""
    with _pg_admin(url) as admin:
        if not _pg_exists(admin, name):
            building = f"{name}_building"
            admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
            suffix = f' TEMPLATE "{template}"' if template else ""
            admin.execute(f'CREATE DATABASE "{building}"{suffix}')
            for args in build:
                _run(args, _pg_url(url, building))
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    target = _pg_url(url, name)
    _run(["manage.py", "migrate", "--noinput", "-v0"], target)
    return target


def pg_datasets(url: str, seed: int, scale: int) -> list[tuple[str, str]]:
    demo_name = f"culture_bench_demo_seed{seed}"
    migrate = ["manage.py", "migrate", "--noinput", "-v0"]
    demo = ensure_pg(
        url,
        demo_name,
        template=None,
        build=[migrate, ["manage.py", "seed_demo", "--seed", str(seed)]],
    )
    out = [("demo", demo)]
    if scale > 0:
        rows = ["bench/data.py", "--rows", str(scale), "--seed", str(seed)]
        name = f"culture_bench_{scale}_seed{seed}"
        out.append((f"{scale:,} rows", ensure_pg(url, name, template=demo_name, build=[rows])))
    return out


def machine() -> dict:
    cpu = ""
    mem_gib = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for module in ("django", "duckdb", "numpy"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = None
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
        "memory_gib": mem_gib,
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "versions": versions,
        "commit": commit,
    }


def _ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def render_table(results: dict) -> str:
    lines = [
        "| dataset | activity rows (in the year) | ours: every indicator | ours: the kind sums "
        "| ORM loop per unit | DuckDB (table / Parquet) | loop / ours (all; sums) "
        "| DuckDB / ours (all; sums) | write to cockpit (median) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for d in results["datasets"]:
        t, r = d["timings"], d["ratios"]
        latency = d.get("write_to_cockpit") or {}
        lines.append(
            f"| {d['label']}, {d['database']} | {d['activity_rows']:,} ({d['live_rows_in_year']:,}) "
            f"| {_ms(t['ours_evaluate_all']['median_ms'])} ({d['indicators']} indicators, "
            f"{d['result_rows']:,} results, {d['evaluate_queries']} queries) "
            f"| {_ms(t['ours_kind_sums']['median_ms'])} "
            f"| {_ms(t['orm_loop']['median_ms'])} "
            f"| {_ms(t['duckdb']['median_ms'])} / {_ms(t['duckdb_parquet']['median_ms'])} "
            f"| {r['orm_loop_over_ours_evaluate_all']}x; {r['orm_loop_over_ours_kind_sums']}x "
            f"| {r['duckdb_over_ours_evaluate_all']}x; {r['duckdb_over_ours_kind_sums']}x "
            f"| {_ms(latency['median_latency_ms']) if latency.get('runs') else '-'} |"
        )
    lines.append("")
    for d in results["datasets"]:
        slow = ", ".join(f"{s['indicator']} {_ms(s['ms'])}" for s in d["slowest_indicators"][:5])
        lines.append(f"- slowest indicators, {d['label']}, {d['database']}: {slow}")
    m = results["machine"]
    lines.append("")
    lines.append(
        f"Measured {results['generated_at']} on {m['cpu']} ({m['cores']} cores, "
        f"{m['memory_gib']} GiB, load average {m['load_average_at_start'][0]} at the start), "
        f"SQLite {m['versions']['sqlite']}, DuckDB "
        f"{m['versions']['duckdb']}, commit {m['commit']}; medians of {results['runs']} runs "
        "after a warm-up; sums checked equal before timing."
    )
    return "\n".join(lines)


def update_readme(results: dict, readme: Path = README) -> None:
    text = readme.read_text() if readme.exists() else f"{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{BEGIN}\n{render_table(results)}\n{END}{tail}")


def main() -> int:
    scale = int(_env("BENCH_SCALE", "5000000"))
    runs = int(_env("BENCH_RUNS", "5"))
    latency_runs = int(_env("BENCH_LATENCY_RUNS", "5"))
    year = int(_env("BENCH_YEAR", str(datetime.now(ZoneInfo("Asia/Shanghai")).year - 1)))
    seed = int(_env("BENCH_SEED", "42"))
    folder = Path(_env("BENCH_DIR", str(Path(tempfile.gettempdir()) / "culture-bench")))
    out = Path(_env("BENCH_OUT", str(ROOT / "bench" / "results" / "standards_evaluation.json")))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["BENCH_DIR"] = str(folder)  # the worker's log goes there (bench/latency.py)
    default = "sqlite,postgresql" if os.environ.get("BENCH_POSTGRES_URL") else "sqlite"
    databases = _env("BENCH_DATABASES", default).split(",")
    started = time.monotonic()
    results = {
        "benchmark": "standards_evaluation",
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": runs,
        "goals": {"orm_loop_over_ours": ">= 50", "duckdb_over_ours": ">= 1"},
        "datasets": [],
    }
    datasets: list[tuple[str, Path | str]] = []
    if "sqlite" in databases:
        demo = ensure_demo(folder, seed)
        datasets.append(("demo", demo))
        if scale > 0:
            datasets.append((f"{scale:,} rows", ensure_scale(folder, demo, scale, seed)))
    if "postgresql" in databases:
        datasets += pg_datasets(os.environ["BENCH_POSTGRES_URL"], seed, scale)
    for n, (label, db) in enumerate(datasets):
        part = folder / f"result-{n}.json"
        _run(
            [
                "bench/standards_evaluation.py",
                "--label",
                label,
                "--year",
                str(year),
                "--runs",
                str(runs),
                "--latency-runs",
                str(latency_runs),
                "--out",
                str(part),
            ],
            db,
        )
        results["datasets"].append(json.loads(part.read_text()))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    readme = Path(_env("BENCH_README", str(README)))
    update_readme(results, readme)
    print(render_table(results))
    print(f"wrote {out} and {readme} in {time.monotonic() - started:.0f} s")
    if _env("BENCH_COVERAGE", "1") != "0":  # the 15-minute coverage benchmark (no database)
        subprocess.run([sys.executable, "bench/coverage.py"], cwd=ROOT, check=True)  # noqa: S603
    if _env("BENCH_SITING", "1") != "0":  # siting on the demo district (bench/siting.py)
        _run(["bench/siting.py"], ensure_demo(folder, seed))
    if _env("BENCH_BOOKING", "1") != "0":  # the booking rush on copies of the demo
        rush = [sys.executable, "bench/booking.py", "--folder", str(folder)]
        if "sqlite" in databases:
            rush += ["--sqlite", str(ensure_demo(folder, seed))]
        if "postgresql" in databases:
            url = os.environ["BENCH_POSTGRES_URL"]
            pg_datasets(url, seed, 0)  # the demo database (built once), the copies' template
            rush += ["--postgres-url", url, "--postgres-template", f"culture_bench_demo_seed{seed}"]
        subprocess.run(rush, cwd=ROOT, check=True)  # noqa: S603
    if _env("BENCH_LIBRARY_CIRC", "1") != "0":  # checkouts and returns at the desk, via the API
        circ = [sys.executable, "bench/library_circulation.py", "--folder", str(folder)]
        if "sqlite" in databases:
            circ += ["--sqlite", str(ensure_demo(folder, seed))]
        if "postgresql" in databases:
            url = os.environ["BENCH_POSTGRES_URL"]
            pg_datasets(url, seed, 0)  # the demo database (built once), the copies' template
            circ += ["--postgres-url", url, "--postgres-template", f"culture_bench_demo_seed{seed}"]
        subprocess.run(circ, cwd=ROOT, check=True)  # noqa: S603
    if _env("BENCH_LIBRARY_SEARCH", "1") != "0":  # catalogue search vs LIKE, 1 M copies
        search = ["bench/library_search.py", "--db", str(folder / "library-search.sqlite3")]
        subprocess.run([sys.executable, *search], cwd=ROOT, check=True)  # noqa: S603
    return 0


if __name__ == "__main__":
    if shutil.which("git") is None:
        print("note: git not found; the commit is not recorded")
    sys.exit(main())
