"""The circulation benchmark (bench/library_circulation.py) still runs end to end on tiny data:
a copy of this test database (SQLite: a backup of the file; PostgreSQL: a database made from it
as a template), gunicorn, 20 copies lent at the desk and taken back through the API, and the
database agreeing with the answers afterwards. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

from culture.core.tests.live import database_url

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_runs_on_tiny_data(tree, tmp_path):
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        where = ["--sqlite", str(settings_dict["NAME"])]
    else:
        server = database_url({**settings_dict, "NAME": "postgres"})
        where = ["--postgres-url", server, "--postgres-template", settings_dict["NAME"]]
        connections.close_all()  # a template database must have no other session
    out = tmp_path / "circulation.json"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "bench/library_circulation.py", *where, "--folder", str(tmp_path),
         "--copies", "20", "--titles", "3", "--desks", "4", "--concurrency", "4",
         "--workers", "1", "--threads", "4", "--warmup", "4", "--commit-seconds", "0.2",
         "--out", str(out), "--readme", str(tmp_path / "README.md")],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]  # the bench's own message when it fails

    (measured,) = json.loads(out.read_text())["databases"]
    run = measured["run"]
    assert (run["copies"], run["readers"], run["desks"]) == (20, 10, 4)
    assert run["checkout"]["answers"] == {"201": 20}
    assert run["return"]["answers"] == {"200": 20}
    assert run["database_check"] == {
        "loans_made": 20,
        "loans_open_after": 0,
        "readers_counter_sum_after": 0,
        "copy_statuses_after": ["available"],
        "consistent": True,
    }
    assert all(rate > 0 for rate in measured["raw_commits_per_s"].values())
    table = (tmp_path / "README.md").read_text()
    assert "<!-- library_circulation:begin -->" in table
    assert "| 20 (10, 4, 4) |" in table


def test_a_session_left_on_the_template_does_not_stop_the_copy():
    """Regression: CI's PostgreSQL run failed to copy the test database for the benchmark
    (CREATE DATABASE ... TEMPLATE refuses while another session is connected to the template);
    pg_copy ends such a leftover session and tries again."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL templates only")
    import os

    import psycopg

    from bench.rush_common import pg_copy, pg_drop

    server = database_url({**connection.settings_dict, "NAME": "postgres"})
    template, copy = f"culture_tpl_{os.getpid()}", f"culture_tplcopy_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{template}"')
        admin.execute(f'CREATE DATABASE "{template}"')
    leftover = psycopg.connect(server.rpartition("/")[0] + f"/{template}")
    try:
        url = pg_copy(server, template, copy)
        with psycopg.connect(url) as made:
            assert made.execute("SELECT current_database()").fetchone() == (copy,)
        with pytest.raises(psycopg.OperationalError):  # the leftover session was ended
            leftover.execute("SELECT 1")
    finally:
        leftover.close()
        pg_drop(server, copy)
        pg_drop(server, template)
