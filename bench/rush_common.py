"""What the benchmarks against a live gunicorn share (bench/booking.py,
bench/library_circulation.py): the database's raw commit rate (the peer measured in the same
run), throwaway copies of the demo database (SQLite backup, PostgreSQL template), the child
process that measures on a copy, percentiles, the machine, and the README table block.

The server and the load generator themselves are culture/core/tests/live.py (shared with the
rush tests).
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "config.settings.base"


# ----- the peer: the raw commit rate (no Django) ------------------------------------------------------------
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


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def copy_sqlite(src: Path, dst: Path) -> None:
    for stale in dst.parent.glob(dst.name + "*"):
        stale.unlink()
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def pg_copy(url: str, template: str, name: str) -> str:
    """A new database ``name`` copied from ``template``. PostgreSQL copies a template only while
    no other session is connected to it: a session left over (a test's thread, an idle
    connection of a stopped server) is ended and the copy tried again, up to three times."""
    import psycopg
    from psycopg import errors

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for attempt in range(3):
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                break
            except errors.ObjectInUse:
                if attempt == 2:
                    raise
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (template,),
                )
                time.sleep(0.5)
    base, _, _old = url.rpartition("/")
    return f"{base}/{name}"


def pg_drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


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


def commit_rates(connection: Any, url: str, *, seconds: float, clients: int) -> dict[str, int]:
    """The raw commit rates of the database behind a Django ``connection``: SQLite with one
    connection at synchronous=NORMAL (the platform's setting) and FULL; PostgreSQL with 1 and
    ``clients`` clients."""
    db = connection.settings_dict
    commit: dict[str, int] = {}
    if connection.vendor == "sqlite":
        for mode in ("NORMAL", "FULL"):
            rate = sqlite_commit_rate(db["NAME"], synchronous=mode, seconds=seconds)
            commit[f"synchronous={mode}, 1 connection"] = round(rate)
    else:
        for n in (1, clients):
            rate = postgres_commit_rate(url, clients=n, seconds=seconds)
            commit[f"{n} client{'s' if n > 1 else ''}"] = round(rate)
    return commit


def database_facts(connection: Any) -> dict[str, str]:
    """Name, version and durability of the database behind a Django ``connection``."""
    if connection.vendor == "sqlite":
        version = sqlite3.sqlite_version
    else:
        number = connection.cursor().connection.info.server_version  # 150018
        version = f"{number // 10000}.{number % 10000}"
    return {
        "database": "SQLite" if connection.vendor == "sqlite" else "PostgreSQL",
        "database_version": str(version),
        "durability": (
            "WAL, synchronous=NORMAL (the platform's setting)"
            if connection.vendor == "sqlite"
            else "server defaults (fsync on, synchronous_commit on)"
        ),
    }


def run_child(script: str, db_url: str, argv: list[str]) -> None:
    """Migrate the throwaway database ``db_url`` and run ``script`` ``--measure`` on it in a
    child process (its own Django setup, DEBUG off, evaluation on write off)."""
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
    cmd = [sys.executable, script, "--measure", *argv]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)  # noqa: S603


def on_copies(
    *,
    name: str,
    folder: Path,
    sqlite: Path | None,
    postgres_url: str | None,
    postgres_template: str | None,
    measure: Callable[[str, Path], dict],
) -> list[dict]:
    """``measure(db_url, part_json)`` on a throwaway copy of the demo per database: SQLite
    (``<folder>/<name>.sqlite3``, a backup of ``sqlite``) and PostgreSQL (database
    ``culture_bench_<name>`` from ``postgres_template``, dropped afterwards)."""
    out = []
    folder.mkdir(parents=True, exist_ok=True)
    if sqlite:
        copy = folder / f"{name}.sqlite3"
        print(f"SQLite: copying {sqlite} to {copy}", flush=True)
        copy_sqlite(sqlite, copy)
        out.append(measure(f"sqlite:///{copy}", folder / f"{name}-sqlite.json"))
    if postgres_url:
        db = f"culture_bench_{name.replace('-', '_')}"
        print(f"PostgreSQL: {db} from {postgres_template}", flush=True)
        url = pg_copy(postgres_url, postgres_template or "", db)
        try:
            out.append(measure(url, folder / f"{name}-postgresql.json"))
        finally:
            pg_drop(postgres_url, db)
    return out


def replace_block(readme: Path, begin: str, end: str, body: str) -> None:
    """Put ``body`` between the markers ``begin`` and ``end`` of ``readme`` (appended with the
    markers when they are not there yet)."""
    text = readme.read_text() if readme.exists() else f"{begin}\n{end}\n"
    if begin not in text:
        text = text.rstrip("\n") + f"\n\n{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    readme.write_text(f"{head}{begin}\n{body}\n{end}{tail}")
