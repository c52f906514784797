"""The standards evaluation benchmark (quality.md): every indicator, every org unit, one year.

Measured in one configured Django process, on the database it points at:
- ours: ``evaluate_compute(year)`` over the whole catalogue (whatever it holds now), which reads
  the activity summaries; and, for a like-for-like figure, the per-unit/per-kind yearly sums
  alone from the summaries (one grouped query, folded into every unit of every level);
- peer (a): a Django ORM loop, one grouped query per org unit over the raw Activity rows;
- peer (b): a hand-written DuckDB query over the same raw rows, loaded into DuckDB (and the
  same query over a Parquet copy), since DuckDB's SQLite scanner is an extension fetched online.

Before any timing the per-unit, per-kind yearly sums (activities, attendance, sessions, books;
every unit, every indicator-relevant kind) of the indicators' own helper (``kind_totals`` over
the summaries), of the loop and of DuckDB are checked equal; a mismatch stops the benchmark.
Then each contender runs once as a warm-up and ``runs`` times measured; medians are reported.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

COLUMNS = ("activities", "attendance", "sessions", "books")
Sums = dict[tuple[int, str], tuple[int, int, int, int]]


def relevant_kinds() -> tuple[str, ...]:
    """The activity kinds some catalogue row counts (``kinds.KINDS[*].indicators``)."""
    from culture.activities.kinds import KINDS

    return tuple(k.code for k in KINDS if k.indicators)


def _kind_totals():
    try:
        from culture.standards.calculators.activities.base import kind_totals
    except ImportError:  # the first layout: one module
        from culture.standards.calculators.activities import kind_totals
    return kind_totals


def _clean(sums: dict[tuple[int, str], list[float]]) -> Sums:
    """Drop all-zero pairs (a unit with none of a kind) and make the numbers ints."""
    return {k: tuple(int(x) for x in v) for k, v in sums.items() if any(v)}  # type: ignore[misc]


# ----- ours -------------------------------------------------------------------------------------
def ours_check_sums(ctx) -> Sums:
    """Through the indicators' helper: kind_totals per level, kind and column (untimed)."""
    kind_totals = _kind_totals()
    out: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0] * 4)
    for level in ctx.unit_rows:
        for kind in relevant_kinds():
            for i, column in enumerate(COLUMNS):
                for unit_id, total in kind_totals(ctx, level, (kind,), column).items():
                    out[(unit_id, kind)][i] += total
    return _clean(out)


def ours_sums(ctx) -> Sums:
    """The same sums from the summaries in one grouped query, folded into every unit."""
    from django.db.models import Sum

    from culture.activities.models import ActivityMonthSummary

    rows = list(
        ActivityMonthSummary.objects.filter(year=ctx.year, kind__in=relevant_kinds())
        .values("organiser_path", "kind")
        .annotate(**{f"t_{c}": Sum(c) for c in COLUMNS})
        .order_by()
        .values_list("organiser_path", "kind", *(f"t_{c}" for c in COLUMNS))
    )
    out: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0] * 4)
    units = [u for level in ctx.unit_rows.values() for u in level]
    by_len: dict[int, dict[str, int]] = defaultdict(dict)
    for u in units:
        by_len[len(u.path)][u.path] = u.id
    for path, kind, *totals in rows:
        for n, keys in by_len.items():
            unit_id = keys.get(path[:n]) if len(path) >= n else None
            if unit_id is not None:
                acc = out[(unit_id, kind)]
                for i, t in enumerate(totals):
                    acc[i] += t or 0
    return _clean(out)


# ----- peer (a): the per-unit ORM loop -------------------------------------------------------
def loop_sums(ctx) -> Sums:
    """One query per org unit over the raw rows, grouped by kind. The subtree filter is a path
    range (``>= path`` and ``< path + U+FFFF``), which the (organiser_path, start_at) index
    serves; ``__startswith`` is a LIKE that SQLite cannot answer from that index."""
    from django.db.models import Count, Sum

    from culture.activities.models import Activity

    out: dict[tuple[int, str], list[float]] = {}
    kinds = relevant_kinds()
    for level in ctx.unit_rows.values():
        for unit in level:
            rows = (
                Activity.objects.filter(
                    cancelled=False,
                    organiser_path__gte=unit.path,
                    organiser_path__lt=unit.path + "\uffff",
                    start_at__gte=ctx.year_start,
                    start_at__lt=ctx.year_end,
                    kind__in=kinds,
                )
                .values("kind")
                .annotate(
                    n=Count("id"), a=Sum("attendance"), s=Sum("sessions"), b=Sum("books_count")
                )
                .order_by()
            )
            for r in rows:
                out[(unit.id, r["kind"])] = [r["n"], r["a"] or 0, r["s"] or 0, r["b"] or 0]
    return _clean(out)


# ----- peer (b): DuckDB over the raw rows -----------------------------------------------------
def duckdb_load(ctx, folder: Path) -> tuple[Any, dict]:
    """Copy the raw activity rows (through Django's connection: SQLite or PostgreSQL) into an
    in-memory DuckDB table and a Parquet file; the units into a small table."""
    import duckdb
    import numpy as np
    from django.db import connection

    started = time.perf_counter()
    epoch = (
        "CAST(strftime('%%s', start_at) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "CAST(EXTRACT(EPOCH FROM start_at) AS BIGINT)"
    )
    sql = (
        f"SELECT organiser_path, kind, {epoch}, cancelled, attendance, sessions, books_count "  # noqa: S608
        "FROM activities_activity"
    )
    cols: list[list] = [[] for _ in range(7)]
    with connection.cursor() as cur:
        cur.execute(sql, [])  # with params, so '%%' reads as '%' on both backends
        while chunk := cur.fetchmany(200_000):
            for i, col in enumerate(zip(*chunk, strict=True)):
                cols[i].extend(col)
    frame = {  # noqa: F841 - read by DuckDB's replacement scan below
        "organiser_path": np.array(cols[0], dtype=object),
        "kind": np.array(cols[1], dtype=object),
        "start_epoch": np.array(cols[2], dtype=np.int64),
        "cancelled": np.array(cols[3], dtype=bool),
        "attendance": np.array(cols[4], dtype=np.int64),
        "sessions": np.array([x or 0 for x in cols[5]], dtype=np.int64),
        "books_count": np.array([x or 0 for x in cols[6]], dtype=np.int64),
    }
    del cols
    units = {  # noqa: F841
        "id": np.array([u.id for lv in ctx.unit_rows.values() for u in lv], dtype=np.int64),
        "path": np.array([u.path for lv in ctx.unit_rows.values() for u in lv], dtype=object),
    }
    con = duckdb.connect()
    con.execute("CREATE TABLE activity AS SELECT * FROM frame")
    con.execute("CREATE TABLE units AS SELECT * FROM units")
    parquet = folder / "activity.parquet"
    con.execute(f"COPY activity TO '{parquet}' (FORMAT parquet)")
    rows = con.execute("SELECT count(*) FROM activity").fetchone()[0]
    return con, {
        "rows": rows,
        "load_seconds": round(time.perf_counter() - started, 2),
        "parquet": str(parquet),
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
    }


DUCKDB_SQL = """
WITH live AS (
    SELECT organiser_path, kind, count(*) AS n, sum(attendance) AS a,
           sum(sessions) AS s, sum(books_count) AS b
    FROM {source}
    WHERE NOT cancelled AND start_epoch >= ? AND start_epoch < ?
      AND kind IN ({kinds})
    GROUP BY organiser_path, kind
)
SELECT u.id, live.kind, sum(n), sum(a), sum(s), sum(b)
FROM live JOIN units u ON starts_with(live.organiser_path, u.path)
GROUP BY u.id, live.kind
"""


def duckdb_sums(con, ctx, source: str = "activity") -> Sums:
    params = [int(ctx.year_start.timestamp()), int(ctx.year_end.timestamp())]
    kinds = ", ".join(f"'{k}'" for k in relevant_kinds())  # fixed codes from kinds.py
    rows = con.execute(DUCKDB_SQL.format(source=source, kinds=kinds), params).fetchall()
    return _clean({(r[0], r[1]): list(r[2:]) for r in rows})


# ----- timing ---------------------------------------------------------------------------------
def timed(fn: Callable[[], Any], *, runs: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    seconds = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 2),
        "min_ms": round(min(seconds) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
        "runs": runs,
    }


def _first_difference(a: Sums, b: Sums) -> str:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return f"unit {key[0]}, kind {key[1]}: {a.get(key)} != {b.get(key)}"
    return ""


def check_equal(named: dict[str, Sums]) -> int:
    """Raise when any two differ; return the number of (unit, kind) pairs compared."""
    (first_name, first), *rest = named.items()
    for name, sums in rest:
        if sums != first:
            raise AssertionError(
                f"{name} differs from {first_name}: {_first_difference(first, sums)}"
            )
    return len(first)


def slowest_indicators(ctx, top: int = 8) -> list[dict]:
    """One timed pass per indicator (after the warm-up), the slowest first: where time goes.
    Each indicator gets a fresh Context (``dataclasses.replace``: an empty memo), so what a
    whole evaluation shares (T03's coverage, the opening-hours figures, the grouped activity
    rows) is counted in every indicator that needs it, not in whichever comes first."""
    import dataclasses

    from culture.standards import engine
    from culture.standards.catalogue import CATALOGUE

    reported, attested = engine._reported(ctx.year), engine._attested(ctx.year)
    places = engine._venue_places()
    spent = []
    for indicator in CATALOGUE.values():
        t = time.perf_counter()
        engine.evaluate_indicator(
            indicator, dataclasses.replace(ctx), reported=reported, attested=attested, places=places
        )
        spent.append((time.perf_counter() - t, indicator.id))
    spent.sort(reverse=True)
    return [{"indicator": i, "ms": round(s * 1000, 1)} for s, i in spent[:top]]


def measure(*, label: str, year: int, runs: int, warmup: int = 1, say=print) -> dict:
    """Check the contenders agree, then time them; return the dataset's result record."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from culture.activities.models import Activity, ActivityMonthSummary, ActivityWeekSummary
    from culture.standards.catalogue import CATALOGUE
    from culture.standards.engine import build_context, evaluate_compute

    ctx = build_context(year)
    with tempfile.TemporaryDirectory(prefix="bench-duckdb-") as tmp:
        say(f"[{label}] loading the raw rows into DuckDB ...")
        con, loaded = duckdb_load(ctx, Path(tmp))
        parquet = f"read_parquet('{loaded['parquet']}')"
        say(f"[{label}] checking the sums agree ...")
        pairs = check_equal(
            {
                "kind_totals over the summaries": ours_check_sums(ctx),
                "one grouped query over the summaries": ours_sums(ctx),
                "ORM loop per unit": loop_sums(ctx),
                "DuckDB": duckdb_sums(con, ctx),
                "DuckDB over Parquet": duckdb_sums(con, ctx, parquet),
            }
        )
        with CaptureQueriesContext(connection) as queries:
            _ctx, result_rows = evaluate_compute(year)
        timings = {}
        contenders = {
            "ours_evaluate_all": lambda: evaluate_compute(year),
            "ours_kind_sums": lambda: ours_sums(build_context(year)),
            "orm_loop": lambda: loop_sums(build_context(year)),
            "duckdb": lambda: duckdb_sums(con, ctx),
            "duckdb_parquet": lambda: duckdb_sums(con, ctx, parquet),
        }
        for name, fn in contenders.items():
            say(f"[{label}] timing {name} ({warmup} warm-up, {runs} runs) ...")
            timings[name] = timed(fn, runs=runs, warmup=warmup)
        con.close()
    live = Activity.objects.filter(cancelled=False)
    med = {k: v["median_ms"] for k, v in timings.items()}
    return {
        "label": label,
        "year": year,
        "database": connection.vendor,
        "activity_rows": Activity.objects.count(),
        "live_rows_in_year": live.filter(
            start_at__gte=ctx.year_start, start_at__lt=ctx.year_end
        ).count(),
        "month_summary_rows": ActivityMonthSummary.objects.count(),
        "week_summary_rows": ActivityWeekSummary.objects.count(),
        "org_units": sum(len(v) for v in ctx.unit_rows.values()),
        "indicators": len(CATALOGUE),
        "result_rows": len(result_rows),
        "evaluate_queries": len(queries),
        "kinds": list(relevant_kinds()),
        "checked_equal": True,
        "pairs_compared": pairs,
        "duckdb_load": {k: v for k, v in loaded.items() if k != "parquet"},
        "timings": timings,
        "ratios": {
            "orm_loop_over_ours_evaluate_all": round(med["orm_loop"] / med["ours_evaluate_all"], 2),
            "duckdb_over_ours_evaluate_all": round(med["duckdb"] / med["ours_evaluate_all"], 3),
            "orm_loop_over_ours_kind_sums": round(med["orm_loop"] / med["ours_kind_sums"], 1),
            "duckdb_over_ours_kind_sums": round(med["duckdb"] / med["ours_kind_sums"], 2),
        },
        "slowest_indicators": slowest_indicators(ctx),
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


if __name__ == "__main__":
    import argparse
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.data import _setup_django

    parser = argparse.ArgumentParser(description="standards evaluation benchmark (one dataset)")
    parser.add_argument("--label", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-runs", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    _setup_django()
    record = measure(label=args.label, year=args.year, runs=args.runs)
    if args.latency_runs:
        from bench.latency import write_to_cockpit

        record["write_to_cockpit"] = write_to_cockpit(runs=args.latency_runs)
    Path(args.out).write_text(json.dumps(record, ensure_ascii=False, indent=2))
