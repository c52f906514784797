#!/usr/bin/env python
"""The booking rush (quality.md, issue 6): gunicorn on loopback, a bounded load generator, on
SQLite and on PostgreSQL; bookings per second, p50/p99, zero oversell checked after, beside the
same endpoint with the guard switched off (the negative control) and the database's raw commit
rate measured in the same run.

Per database, on a throwaway copy of the demo district (``seed_demo --seed 42``, as bench/run.py
prepares it; the copy is written to, the demo is not):

1. raw commit rate: single-row INSERT commits per second into a scratch table, through the
   database driver (no Django), for ``--commit-seconds``: SQLite in WAL mode with
   synchronous=NORMAL (what the platform uses) and FULL, one connection; PostgreSQL with 1 and
   with ``--concurrency`` clients;
2. ``--requests`` residents with an API token each; one activity per run with
   ``--capacity-share`` of that many seats, waiting list off;
3. gunicorn (``--workers`` processes x ``--threads`` threads, gthread) with the guard on, a
   warm-up rush on another activity, then the measured rush: every resident POSTs
   /api/booking/activities/<id>/bookings once (its own Idempotency-Key), at most
   ``--concurrency`` in flight; then the same with a server started with
   CULTURE_BOOKING_GUARD=False on a fresh activity;
4. after each rush, from the database: holding bookings, the seat counter, oversold seats
   (holding bookings beyond capacity), answers by status.

Fails (exit 1, after writing the results) when the guarded run oversold or answered anything
but 201/409 "full": that is a bug, not a speed.

  .venv/bin/python bench/booking.py --sqlite /tmp/culture-bench/demo-seed42.sqlite3 \
      [--postgres-url postgres://postgres@127.0.0.1:5432/postgres \
       --postgres-template culture_bench_demo_seed42]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
README = ROOT / "bench" / "README.md"
OUT = ROOT / "bench" / "results" / "booking.json"
BEGIN, END = "<!-- booking:begin -->", "<!-- booking:end -->"
SETTINGS = "config.settings.base"


# ----- raw commit rate (no Django) ------------------------------------------------------------
def sqlite_commit_rate(path: str, *, synchronous: str, seconds: float) -> float:
    conn = sqlite3.connect(path, isolation_level=None, timeout=20)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit (id INTEGER PRIMARY KEY, v TEXT)")
        n, t0 = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - t0) < seconds:
            conn.execute("INSERT INTO bench_commit (v) VALUES (?)", ("x" * 32,))  # autocommit
            n += 1
        conn.execute("DROP TABLE bench_commit")
        return n / elapsed
    finally:
        conn.close()


def postgres_commit_rate(url: str, *, clients: int, seconds: float) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, v text)")
    counts = [0] * clients
    barrier = threading.Barrier(clients)
    stop_at = [0.0]
    started = threading.Event()  # set once the first client has fixed the end of the run

    def client(i: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            barrier.wait()
            if i == 0:
                stop_at[0] = time.perf_counter() + seconds
                started.set()
            started.wait()
            while time.perf_counter() < stop_at[0]:
                conn.execute("INSERT INTO bench_commit (v) VALUES (%s)", ("x" * 32,))
                counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("DROP TABLE bench_commit")
    return sum(counts) / seconds


# ----- the rush (child process: DATABASE_URL is the throwaway database) -----------------------
def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _activity(capacity: int, label: str) -> Any:
    from django.utils import timezone

    from culture.activities.services import activity_create
    from culture.booking.services import seats_set
    from culture.org.models import OrgLevel, OrgUnit
    from culture.venues.models import Venue

    unit = OrgUnit.objects.filter(level=OrgLevel.COMMUNITY, is_active=True).order_by("code")[0]
    venue = Venue.objects.order_by("code").first()
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    activity = activity_create(
        actor=None,
        title=f"预约压测 {label} {uuid.uuid4().hex[:6]}",
        kind="mass_activity",
        organiser=unit,
        venue=venue,
        start_at=start,
        end_at=start + timedelta(hours=2),
        attendance=0,
    )
    seats_set(actor=None, activity=activity, capacity=capacity, waitlist_enabled=False)
    return activity


def _one_rush(
    *, guard: bool, callers: list, capacity: int, args: argparse.Namespace, url: str
) -> dict:
    from culture.booking.models import HOLDING_STATUSES, ActivitySeats, Booking
    from culture.core.tests.live import Call, GunicornServer, rush, tally

    warm = _activity(len(callers), "warm-up")
    measured = _activity(capacity, "guarded" if guard else "unguarded")
    env = {"CULTURE_BOOKING_GUARD": "True" if guard else "False", "DJANGO_DEBUG": "0"}
    server = GunicornServer(
        database_url=url,
        settings=SETTINGS,
        workers=args.workers,
        threads=args.threads,
        env=env,
    )
    with server:

        def calls(activity: Any, some: list) -> list[Call]:
            path = f"/api/booking/activities/{activity.pk}/bookings"
            return [
                Call(token="", headers=h, path=path, idempotency_key=uuid.uuid4().hex) for h in some
            ]

        rush(server.url, calls(warm, callers[: args.warmup]), concurrency=args.concurrency)
        t0 = time.perf_counter()
        answers = rush(server.url, calls(measured, callers), concurrency=args.concurrency)
        wall = time.perf_counter() - t0
        log = server.log()
    holding = Booking.objects.filter(activity=measured, status__in=HOLDING_STATUSES).count()
    seats = ActivitySeats.objects.get(activity=measured)
    created = [a for a in answers if a.status == 201]
    all_ms = [a.seconds * 1000 for a in answers]
    ok_ms = [a.seconds * 1000 for a in created]
    errors = [a for a in answers if a.status >= 500 or a.status == 0]
    return {
        "guard": guard,
        "requests": len(answers),
        "capacity": capacity,
        "wall_s": round(wall, 3),
        "requests_per_s": round(len(answers) / wall, 1),
        "bookings_per_s": round(len(created) / wall, 1),
        "answers": tally(answers),
        "p50_ms": round(_percentile(all_ms, 0.50), 1),
        "p99_ms": round(_percentile(all_ms, 0.99), 1),
        "max_ms": round(max(all_ms, default=0), 1),
        "booked_p50_ms": round(_percentile(ok_ms, 0.50), 1),
        "booked_p99_ms": round(_percentile(ok_ms, 0.99), 1),
        "holding_bookings": holding,
        "seat_counter": seats.taken,
        "oversold": max(0, holding - capacity),
        "errors": len(errors),
        "server_log_tail": log[-2000:] if errors else "",
    }


def measure(args: argparse.Namespace) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from culture.core.tests.live import database_url, residents_with_tokens, session_headers
    from culture.org.models import OrgLevel, OrgUnit

    db = connection.settings_dict
    url = database_url(db)
    vendor = connection.vendor
    commit: dict[str, float] = {}
    if vendor == "sqlite":
        for mode in ("NORMAL", "FULL"):
            rate = sqlite_commit_rate(db["NAME"], synchronous=mode, seconds=args.commit_seconds)
            commit[f"synchronous={mode}, 1 connection"] = round(rate)
    else:
        for clients in (1, args.concurrency):
            rate = postgres_commit_rate(url, clients=clients, seconds=args.commit_seconds)
            commit[f"{clients} client{'s' if clients > 1 else ''}"] = round(rate)
    print(f"  raw commits/s: {commit}", flush=True)

    community = OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").first()
    prefix = f"rush{uuid.uuid4().hex[:6]}"
    users = [u for u, _t in residents_with_tokens(args.requests, prefix=prefix,
                                                  community=community)]  # fmt: skip
    callers = session_headers(users)
    capacity = max(1, round(args.requests * args.capacity_share))
    runs = []
    for guard in (True, False):
        run = _one_rush(guard=guard, callers=callers, capacity=capacity, args=args, url=url)
        print(f"  guard {'on' if guard else 'off'}: " + json.dumps(
            {k: v for k, v in run.items() if k != "server_log_tail"}, ensure_ascii=False),
            flush=True)  # fmt: skip
        runs.append(run)
    if vendor == "sqlite":
        version = sqlite3.sqlite_version
    else:
        number = connection.cursor().connection.info.server_version  # 150018
        version = f"{number // 10000}.{number % 10000}"
    return {
        "database": "SQLite" if vendor == "sqlite" else "PostgreSQL",
        "database_version": str(version),
        "durability": (
            "WAL, synchronous=NORMAL (the platform's setting)"
            if vendor == "sqlite"
            else "server defaults (fsync on, synchronous_commit on)"
        ),
        "raw_commits_per_s": commit,
        "guard_setting_default": settings.CULTURE_BOOKING_GUARD,
        "runs": runs,
    }


# ----- the parent: databases, children, results ------------------------------------------------
def _copy_sqlite(src: Path, dst: Path) -> None:
    for stale in dst.parent.glob(dst.name + "*"):
        stale.unlink()
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def _pg_copy(url: str, template: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    base, _, _old = url.rpartition("/")
    return f"{base}/{name}"


def _pg_drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _child(args: argparse.Namespace, db_url: str, out: Path) -> dict:
    env = os.environ.copy()
    env.update(
        DATABASE_URL=db_url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="0",
        CULTURE_EVALUATE_ON_WRITE="0",
    )
    env.pop("TASKS_BACKEND", None)
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True)  # noqa: S603
    cmd = [sys.executable, "bench/booking.py", "--measure", "--out", str(out)]
    for name in ("requests", "concurrency", "workers", "threads", "warmup"):
        cmd += [f"--{name}", str(getattr(args, name))]
    cmd += ["--capacity-share", str(args.capacity_share)]
    cmd += ["--commit-seconds", str(args.commit_seconds)]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)  # noqa: S603
    return json.loads(out.read_text())


def machine() -> dict:
    cpu = ""
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
    import gunicorn

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "gunicorn": gunicorn.__version__,
        "commit": commit,
    }


def _version(d: dict) -> str:
    v = str(d["database_version"])
    return f"{int(v) // 10000}.{int(v) % 10000}" if v.isdigit() else v  # PostgreSQL's 150018


def render_table(results: dict) -> str:
    lines = [
        "| database | guard | requests (in flight) | seats | booked | bookings/s | requests/s "
        "| p50 | p99 | oversold | 5xx / no answer | raw commits/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for d in results["databases"]:
        raw = "; ".join(f"{v:,} ({k})" for k, v in d["raw_commits_per_s"].items())
        for r in d["runs"]:
            booked = r["answers"].get("201", 0)
            lines.append(
                f"| {d['database']} {_version(d)} | {'on' if r['guard'] else 'OFF'} "
                f"| {r['requests']:,} ({results['settings']['concurrency']}) | {r['capacity']:,} "
                f"| {booked:,} | {r['bookings_per_s']:,} | {r['requests_per_s']:,} "
                f"| {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms | {r['oversold']:,} "
                f"| {r['errors']} | {raw if r['guard'] else ''} |"
            )
    lines.append("")
    for d in results["databases"]:
        on, off = (next(r for r in d["runs"] if r["guard"] is g) for g in (True, False))
        cost = 1 - on["requests_per_s"] / off["requests_per_s"] if off["requests_per_s"] else 0
        lines.append(
            f"- {d['database']}: the guard costs {cost:.0%} of the unguarded request rate "
            f"({on['requests_per_s']:,} vs {off['requests_per_s']:,} requests/s); unguarded, "
            f"{off['oversold']:,} seat(s) oversold of {off['capacity']:,}; guarded answers "
            f"{on['answers']}."
        )
    m, s = results["machine"], results["settings"]
    lines.append("")
    lines.append(
        f"Measured {results['generated_at']} on {m['cpu']} ({m['cores']} cores, load average "
        f"{m['load_average_at_start'][0]} at the start), gunicorn {m['gunicorn']} "
        f"({s['workers']} workers x {s['threads']} threads, gthread), Python {m['python']}, "
        f"commit {m['commit']}; the load generator (Python threads, one connection per "
        "request) runs on the same machine."
    )
    return "\n".join(lines)


def update_readme(results: dict, readme: Path = README) -> None:
    text = readme.read_text() if readme.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{BEGIN}\n{render_table(results)}\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", type=Path, help="the demo SQLite database to copy")
    parser.add_argument("--postgres-url", help="a PostgreSQL server (any database on it)")
    parser.add_argument("--postgres-template", help="the demo database on that server")
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "culture-bench"
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--capacity-share", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--commit-seconds", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--render", action="store_true", help="only rewrite the README table from --out"
    )
    args = parser.parse_args()
    if args.measure:
        args.out.write_text(json.dumps(measure(args), ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.render:
        update_readme(json.loads(args.out.read_text()), args.readme)
        return 0
    results: dict[str, Any] = {
        "benchmark": "booking_rush",
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            k: getattr(args, k)
            for k in (
                "requests",
                "concurrency",
                "capacity_share",
                "workers",
                "threads",
                "warmup",
                "commit_seconds",
            )
        },  # fmt: skip
        "goals": {
            "oversold_with_guard": 0,
            "errors_with_guard": 0,
            "guard_cost_of_unguarded_throughput": "< 20 %",
        },  # fmt: skip
        "databases": [],
    }
    args.folder.mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        copy = args.folder / "booking-rush.sqlite3"
        print(f"SQLite: copying {args.sqlite} to {copy}", flush=True)
        _copy_sqlite(args.sqlite, copy)
        part = args.folder / "booking-sqlite.json"
        results["databases"].append(_child(args, f"sqlite:///{copy}", part))
    if args.postgres_url:
        name = "culture_bench_booking_rush"
        print(f"PostgreSQL: {name} from {args.postgres_template}", flush=True)
        url = _pg_copy(args.postgres_url, args.postgres_template, name)
        try:
            part = args.folder / "booking-postgresql.json"
            results["databases"].append(_child(args, url, part))
        finally:
            _pg_drop(args.postgres_url, name)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    update_readme(results, args.readme)
    print(render_table(results))
    bad = [
        (d["database"], r["oversold"], r["errors"], r["answers"])
        for d in results["databases"]
        for r in d["runs"]
        if r["guard"] and (r["oversold"] or set(r["answers"]) - {"201", "409 full"})
    ]
    if bad:
        print(f"the guarded runs oversold or failed: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
