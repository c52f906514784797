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
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.rush_common import (  # noqa: E402 - after the path
    SETTINGS,
    commit_rates,
    database_facts,
    machine,
    on_copies,
    percentile,
    replace_block,
    run_child,
)

README = ROOT / "bench" / "README.md"
OUT = ROOT / "bench" / "results" / "booking.json"
BEGIN, END = "<!-- booking:begin -->", "<!-- booking:end -->"


# ----- the rush (child process: DATABASE_URL is the throwaway database) -----------------------
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
        "p50_ms": round(percentile(all_ms, 0.50), 1),
        "p99_ms": round(percentile(all_ms, 0.99), 1),
        "max_ms": round(max(all_ms, default=0), 1),
        "booked_p50_ms": round(percentile(ok_ms, 0.50), 1),
        "booked_p99_ms": round(percentile(ok_ms, 0.99), 1),
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

    url = database_url(connection.settings_dict)
    commit = commit_rates(connection, url, seconds=args.commit_seconds, clients=args.concurrency)
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
    return {
        **database_facts(connection),
        "raw_commits_per_s": commit,
        "guard_setting_default": settings.CULTURE_BOOKING_GUARD,
        "runs": runs,
    }


# ----- the parent: databases, children, results ------------------------------------------------
def _child(args: argparse.Namespace, db_url: str, out: Path) -> dict:
    argv = ["--out", str(out)]
    for name in ("requests", "concurrency", "workers", "threads", "warmup"):
        argv += [f"--{name}", str(getattr(args, name))]
    argv += ["--capacity-share", str(args.capacity_share)]
    argv += ["--commit-seconds", str(args.commit_seconds)]
    run_child("bench/booking.py", db_url, argv)
    return json.loads(out.read_text())


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
    replace_block(readme, BEGIN, END, render_table(results))


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
    results["databases"] = on_copies(
        name="booking-rush",
        folder=args.folder,
        sqlite=args.sqlite,
        postgres_url=args.postgres_url,
        postgres_template=args.postgres_template,
        measure=lambda url, part: _child(args, url, part),
    )
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
