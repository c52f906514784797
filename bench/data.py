"""Benchmark data: more raw activity rows, bulk-inserted, then the summaries rebuilt.

``extend_activities(rows=N, seed=S)`` copies the activities already in the database (the demo
built by ``seed_demo --seed 42``) until the table holds at least ``N`` rows. Copy ``c`` of an
activity keeps its organiser, venue, kind, brand, flags and time of day, and moves it to a
random day of the same (local) year, with the attendance scaled by 0.8-1.2; every copy gets a
unique external id ``BENCH-<c>-<id>``. The registry (units, venues, teams) is not copied: the
benchmark measures activity volume. Rows are written with one multi-row INSERT per batch through
Django's connection (SQLite and PostgreSQL alike), bypassing the services on purpose (a bulk
load), so ``summaries_rebuild`` runs once at the end, as after any bulk load.

Run inside a configured Django process (``bench/run.py`` does it in a subprocess):
``python bench/data.py --rows 5000000 --seed 42``.
"""

from __future__ import annotations

import calendar
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

BATCH = 20_000


def _setup_django() -> None:
    import os

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def _drop_indexes(connection, table: str) -> list[str]:
    """Drop the table's secondary indexes for the load and return the statements that recreate
    them (building an index once over the loaded rows beats millions of random inserts). The
    unique indexes stay: they guard the load."""
    if connection.vendor == "sqlite":
        sql = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'"
        )
    else:
        sql = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
        )
    with connection.cursor() as cur:
        cur.execute(sql, [table])
        found = cur.fetchall()
        for name, _sql in found:
            cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [create for _name, create in found]


def extend_activities(*, rows: int, seed: int = 42, say=print) -> dict:
    """Copy the existing activities until the table holds ``rows`` rows; rebuild summaries."""
    from django.db import connection, transaction
    from django.utils import timezone

    from culture.activities.models import Activity
    from culture.activities.summaries import summaries_rebuild

    base = list(Activity.objects.order_by("pk"))
    have = Activity.objects.count()
    if not base or have >= rows:
        return {"inserted": 0, "rows": have, "seconds": 0.0}
    fields = [f for f in Activity._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    pos = {f.attname: i for i, f in enumerate(fields)}
    now = timezone.now()
    templates = []
    for a in base:
        a.created_at = a.updated_at = now
        values = [f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields]
        local = timezone.localtime(a.start_at)
        days = 366 if calendar.isleap(local.year) else 365
        doy = local.timetuple().tm_yday - 1
        templates.append((a, values, doy, days, a.end_at - a.start_at))
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite":
        # What Django stores on SQLite: the naive UTC time as text (the rows read back are UTC).
        def adapt(value):
            return str(value.replace(tzinfo=None))

    table = connection.ops.quote_name(Activity._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    i_ext, i_key = pos["external_id"], pos["natural_key"]
    i_start, i_end, i_att = pos["start_at"], pos["end_at"], pos["attendance"]
    rng = random.Random(f"bench:{seed}")
    started = time.monotonic()
    indexes = _drop_indexes(connection, Activity._meta.db_table)
    inserted, copy = 0, 0
    batch: list[list] = []

    def flush() -> None:
        if not batch:
            return
        values = ", ".join([row_sql] * len(batch))
        sql = f"INSERT INTO {table} ({cols}) VALUES {values}"  # noqa: S608 - quoted names
        with connection.cursor() as cur:
            cur.execute(sql, [v for row in batch for v in row])
        batch.clear()

    # Multi-row INSERTs under SQLite's limit of 32,766 parameters per statement.
    per_stmt = max(1, min(500, 32_000 // len(columns)))
    while have + inserted < rows:
        copy += 1
        with transaction.atomic():
            for a, values, doy, days, length in templates:
                if have + inserted >= rows:
                    break
                shift = timedelta(days=rng.randrange(days) - doy)
                start = a.start_at + shift
                row = values.copy()
                row[i_ext] = f"BENCH-{copy}-{a.pk}"
                row[i_key] = f"b{copy}-{a.pk}"
                row[i_start] = adapt(start)
                row[i_end] = adapt(start + length)
                row[i_att] = int(a.attendance * (0.8 + 0.4 * rng.random()))
                batch.append(row)
                inserted += 1
                if len(batch) >= per_stmt:
                    flush()
            flush()
        if copy % 50 == 0:
            say(f"  {have + inserted:,} activity rows ({time.monotonic() - started:.0f} s)")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql" and indexes:
            # Fire the deferred foreign-key checks first: PostgreSQL refuses CREATE INDEX on a
            # table with pending trigger events (a caller's open transaction, as in the tests).
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        for sql in indexes:
            cur.execute(sql)
    load_s = time.monotonic() - started
    t = time.monotonic()
    months, weeks = summaries_rebuild()
    rebuild_s = time.monotonic() - t
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # planner statistics, as a maintained database has them
    say(
        f"  inserted {inserted:,} rows in {load_s:.0f} s; summaries rebuilt in {rebuild_s:.0f} s "
        f"({months:,} month rows, {weeks:,} week rows)"
    )
    return {
        "inserted": inserted,
        "rows": have + inserted,
        "load_seconds": round(load_s, 1),
        "summaries_rebuild_seconds": round(rebuild_s, 1),
        "month_summary_rows": months,
        "week_summary_rows": weeks,
    }


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    _setup_django()
    import json

    print(json.dumps(extend_activities(rows=args.rows, seed=args.seed, say=print)))
