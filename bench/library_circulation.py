#!/usr/bin/env python
"""Circulation throughput (issue 7): checkouts and returns per second at library desks through
the JSON API, served by gunicorn on loopback, on SQLite and on PostgreSQL, beside the peer: the
same database's raw commit rate measured in the same run (bench/rush_common.py, shared with
bench/booking.py).

Per database, on a throwaway copy of the demo district (``seed_demo --seed 42``, as bench/run.py
prepares it; the copy is written to, the demo is not):

1. raw commit rate: single-row INSERT commits per second into a scratch table through the driver
   (no Django) for ``--commit-seconds``: SQLite in WAL mode with synchronous=NORMAL (the
   platform's setting) and FULL, one connection; PostgreSQL with 1 and ``--concurrency``
   clients;
2. a library branch (the demo's first venue of a library kind; one is made when there is none)
   with ``--copies`` copies of ``--titles`` titles on its shelf, ``--copies`` / 2 readers with
   their social-security cards (two loans each, within the default limit of 10), and
   ``--desks`` members of staff signed in at its desk, each in their own browser session
   (cookie + CSRF token);
3. gunicorn (``--workers`` x ``--threads``, gthread, the guard on: the platform's setting): a
   warm-up (``--warmup`` other copies lent and taken back), then the measured checkout rush
   (POST /api/library/desk/<branch>/checkout {card, barcode}: every copy lent once, at most
   ``--concurrency`` in flight), then the return rush (POST .../return {barcode}: every copy
   taken back);
4. after the rushes, from the database: loans made, loans still open, the readers' counters,
   the copies' statuses.

loans/s is the whole circulation: copies / (checkout wall time + return wall time), one
checkout and one return per loan. Fails (exit 1, after writing the results) when a checkout
answered anything but 201, a return anything but 200, or the database disagrees with the
answers: that is a bug, not a speed.

  .venv/bin/python bench/library_circulation.py --sqlite /tmp/culture-bench/demo-seed42.sqlite3 \\
      [--postgres-url postgres://postgres@127.0.0.1:5432/postgres \\
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
from datetime import datetime
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
OUT = ROOT / "bench" / "results" / "library_circulation.json"
BEGIN, END = "<!-- library_circulation:begin -->", "<!-- library_circulation:end -->"
LOANS_PER_READER = 2


# ----- the rushes (child process: DATABASE_URL is the throwaway database) ---------------------
def _branch() -> Any:
    from culture.org.models import OrgLevel, OrgUnit
    from culture.venues.models import LIBRARY_KINDS, Venue, VenueKind, VenueStatus

    found = Venue.objects.filter(kind__in=LIBRARY_KINDS).order_by("code").first()
    if found is not None:
        return found
    unit = OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").first()
    return Venue.objects.create(
        code=f"BENCHLIB{uuid.uuid4().hex[:4].upper()}",
        name_zh="压测分馆",
        kind=VenueKind.BRANCH_LIBRARY,
        status=VenueStatus.OPEN,
        operator_unit=unit,
        opening_hours="Mo-Su 08:00-21:00",
        lon=120.15,
        lat=30.32,
    )


def _copies(branch: Any, n: int, titles: int, tag: str) -> list[Any]:
    from culture.library.models import Title
    from culture.library.tests.rush_data import shelf_copies

    out: list[Any] = []
    per = max(1, -(-n // max(1, titles)))
    k = 0
    while len(out) < n:
        title = Title.objects.create(title=f"流通压测 {tag} {k}", source_id=f"bench-{tag}-{k}")
        out += shelf_copies(title, branch, min(per, n - len(out)), prefix=f"Z{tag}{k:04d}-")
        k += 1
    return out


def _phase(answers: list, wall: float, ok: int) -> dict:
    from culture.core.tests.live import tally

    ms = [a.seconds * 1000 for a in answers]
    return {
        "requests": len(answers),
        "wall_s": round(wall, 3),
        "per_s": round(len(answers) / wall, 1) if wall else 0.0,
        "answers": tally(answers),
        "unexpected": sum(1 for a in answers if a.status != ok),
        "errors": sum(1 for a in answers if a.status >= 500 or a.status == 0),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms, default=0), 1),
    }


def measure(args: argparse.Namespace) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from culture.core.tests.live import Call, GunicornServer, database_url, rush
    from culture.library.models import CopyStatus, Loan, Reader
    from culture.library.tests.rush_data import desk_sessions, readers_with_cards

    url = database_url(connection.settings_dict)
    commit = commit_rates(connection, url, seconds=args.commit_seconds, clients=args.concurrency)
    print(f"  raw commits/s: {commit}", flush=True)

    tag = uuid.uuid4().hex[:5].upper()
    t0 = time.perf_counter()
    branch = _branch()
    copies = _copies(branch, args.copies, args.titles, tag)
    warm = _copies(branch, args.warmup, 1, f"W{tag}")
    n_readers = max(1, -(-args.copies // LOANS_PER_READER))
    people = readers_with_cards(n_readers, prefix=f"circ{tag.lower()}", community=None)
    desks = desk_sessions(branch, args.desks, prefix=f"desk{tag.lower()}")
    setup_s = time.perf_counter() - t0
    print(
        f"  {branch.code}: {len(copies):,} copies, {len(people):,} readers, {len(desks)} desks "
        f"({setup_s:.1f} s)",
        flush=True,
    )

    def checkouts(items: list) -> list[Call]:
        path = f"/api/library/desk/{branch.code}/checkout"
        return [
            Call(
                token="",
                headers=desks[i % len(desks)],
                path=path,
                body={"card": people[i % len(people)][1], "barcode": c.barcode},
            )
            for i, c in enumerate(items)
        ]

    def returns(items: list) -> list[Call]:
        path = f"/api/library/desk/{branch.code}/return"
        return [
            Call(token="", headers=desks[i % len(desks)], path=path, body={"barcode": c.barcode})
            for i, c in enumerate(items)
        ]

    server = GunicornServer(
        database_url=url,
        settings=SETTINGS,
        workers=args.workers,
        threads=args.threads,
        env={"CULTURE_LIBRARY_GUARD": "True", "DJANGO_DEBUG": "0"},
    )
    with server:
        rush(server.url, checkouts(warm), concurrency=args.concurrency)
        rush(server.url, returns(warm), concurrency=args.concurrency)
        t0 = time.perf_counter()
        out = rush(server.url, checkouts(copies), concurrency=args.concurrency)
        out_wall = time.perf_counter() - t0
        t0 = time.perf_counter()
        back = rush(server.url, returns(copies), concurrency=args.concurrency)
        back_wall = time.perf_counter() - t0
        log = server.log()
    checkout, ret = _phase(out, out_wall, 201), _phase(back, back_wall, 200)
    ids = [c.pk for c in copies]
    loans = Loan.objects.filter(copy_id__in=ids)
    readers = Reader.objects.filter(pk__in=[r.pk for r, _c in people])
    statuses = set(
        type(copies[0]).objects.filter(pk__in=ids).values_list("status", flat=True).distinct()
    )
    check = {
        "loans_made": loans.count(),
        "loans_open_after": loans.filter(returned_at__isnull=True).count(),
        "readers_counter_sum_after": sum(readers.values_list("open_loans", flat=True)),
        "copy_statuses_after": sorted(statuses),
    }
    check["consistent"] = (
        check["loans_made"] == checkout["answers"].get("201", 0)
        and check["loans_open_after"]
        == checkout["answers"].get("201", 0) - ret["answers"].get("200", 0)
        and check["readers_counter_sum_after"] == check["loans_open_after"]
        and (check["loans_open_after"] > 0 or statuses == {CopyStatus.AVAILABLE})
    )
    total = out_wall + back_wall
    run = {
        "copies": len(copies),
        "titles": args.titles,
        "readers": len(people),
        "desks": len(desks),
        "checkout": checkout,
        "return": ret,
        "loans_per_s": round(len(copies) / total, 1) if total else 0.0,
        "database_check": check,
        "server_log_tail": log[-2000:] if checkout["unexpected"] or ret["unexpected"] else "",
    }
    print("  " + json.dumps({k: v for k, v in run.items() if k != "server_log_tail"},
                            ensure_ascii=False), flush=True)  # fmt: skip
    return {
        **database_facts(connection),
        "raw_commits_per_s": commit,
        "guard_setting_default": settings.CULTURE_LIBRARY_GUARD,
        "setup_s": round(setup_s, 1),
        "run": run,
    }


# ----- the parent: databases, children, results ------------------------------------------------
def _child(args: argparse.Namespace, db_url: str, out: Path) -> dict:
    argv = ["--out", str(out)]
    for name in ("copies", "titles", "desks", "concurrency", "workers", "threads", "warmup"):
        argv += [f"--{name}", str(getattr(args, name))]
    argv += ["--commit-seconds", str(args.commit_seconds)]
    run_child("bench/library_circulation.py", db_url, argv)
    return json.loads(out.read_text())


def render_table(results: dict) -> str:
    s, m = results["settings"], results["machine"]
    lines = [
        "| database | copies (readers, desks, in flight) | checkouts/s | returns/s "
        "| loans/s (checkout + return) | checkout p50 / p99 | return p50 / p99 "
        "| not 201 / 200 | raw commits/s (the peer) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for d in results["databases"]:
        r, c, b = d["run"], d["run"]["checkout"], d["run"]["return"]
        raw = "; ".join(f"{v:,} ({k})" for k, v in d["raw_commits_per_s"].items())
        lines.append(
            f"| {d['database']} {d['database_version']} "
            f"| {r['copies']:,} ({r['readers']:,}, {r['desks']}, {s['concurrency']}) "
            f"| {c['per_s']:,} | {b['per_s']:,} | {r['loans_per_s']:,} "
            f"| {c['p50_ms']:.0f} / {c['p99_ms']:.0f} ms | {b['p50_ms']:.0f} / {b['p99_ms']:.0f} ms "
            f"| {c['unexpected']} / {b['unexpected']} | {raw} |"
        )
    lines.append("")
    for d in results["databases"]:
        r = d["run"]
        best = max(d["raw_commits_per_s"].values())
        lines.append(
            f"- {d['database']}: {r['loans_per_s']:,} loans/s through the API is "
            f"{r['loans_per_s'] / best:.2%} of the best raw commit rate ({best:,}/s); "
            f"checkouts answered {r['checkout']['answers']}, returns {r['return']['answers']}; "
            f"after: {r['database_check']['loans_made']:,} loans made, "
            f"{r['database_check']['loans_open_after']} open, readers' counters summing to "
            f"{r['database_check']['readers_counter_sum_after']}, copies "
            f"{', '.join(r['database_check']['copy_statuses_after'])}."
        )
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


def failures(results: dict) -> list:
    return [
        (d["database"], d["run"]["checkout"]["answers"], d["run"]["return"]["answers"],
         d["run"]["database_check"])
        for d in results["databases"]
        if d["run"]["checkout"]["unexpected"] or d["run"]["return"]["unexpected"]
        or not d["run"]["database_check"]["consistent"]
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", type=Path, help="the demo SQLite database to copy")
    parser.add_argument("--postgres-url", help="a PostgreSQL server (any database on it)")
    parser.add_argument("--postgres-template", help="the demo database on that server")
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "culture-bench"
    )
    parser.add_argument("--copies", type=int, default=2000)
    parser.add_argument("--titles", type=int, default=200)
    parser.add_argument("--desks", type=int, default=32)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--commit-seconds", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--render", action="store_true", help="only rewrite the README table from --out"
    )
    args = parser.parse_args(argv)
    if args.measure:
        args.out.write_text(json.dumps(measure(args), ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.render:
        update_readme(json.loads(args.out.read_text()), args.readme)
        return 0
    results: dict[str, Any] = {
        "benchmark": "library_circulation",
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            k: getattr(args, k)
            for k in (
                "copies",
                "titles",
                "desks",
                "concurrency",
                "workers",
                "threads",
                "warmup",
                "commit_seconds",
            )
        },  # fmt: skip
        "databases": [],
    }
    results["databases"] = on_copies(
        name="library-circulation",
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
    bad = failures(results)
    if bad:
        print(f"circulation answers or database disagree: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
