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
    subprocess.run(  # noqa: S603
        [sys.executable, "bench/library_circulation.py", *where, "--folder", str(tmp_path),
         "--copies", "20", "--titles", "3", "--desks", "4", "--concurrency", "4",
         "--workers", "1", "--threads", "4", "--warmup", "4", "--commit-seconds", "0.2",
         "--out", str(out), "--readme", str(tmp_path / "README.md")],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip

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
