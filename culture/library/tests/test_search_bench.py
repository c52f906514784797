"""The catalogue search benchmark (bench/library_search.py) still runs end to end on tiny data
in its own SQLite file: both contenders answer every query, the same top title where LIKE finds
one, and the n-gram search finds what LIKE cannot (三体2). No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_bench_runs_on_tiny_data(tmp_path):
    done = subprocess.run(  # noqa: S603
        [sys.executable, "bench/library_search.py", "--titles", "400", "--copies-per-title", "2",
         "--runs", "1", "--db", str(tmp_path / "search.sqlite3"), "--no-write"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert (result["data"]["titles"], result["data"]["copies"]) == (400, 800)
    rows = {q["query"]: q for q in result["measured"]["queries"]}
    assert rows["三体"]["ours_top"][0] == "三体" and rows["三体"]["same_top"]
    assert rows["三体2"]["ours_top"][0] == "三体Ⅱ：黑暗森林"
    assert rows["三体2"]["like_found"] == 0
    assert rows["9787536692930"]["ours_top"] == ["三体"]
    assert all(q["same_top"] for q in rows.values() if q["like_found"])
