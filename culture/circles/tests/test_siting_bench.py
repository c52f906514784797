"""The siting benchmark (bench/siting.py) still runs end to end on tiny synthetic data: ours and
spopt (LSCP, MCLP) reach the same optimal objective, the multi-cover rows are there, the README
section is written. No timing is asserted. Skipped without the bench extra (spopt)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("spopt")

from bench import siting as bench  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore")


def test_peers_agree_on_tiny_data(tmp_path):
    out, readme = tmp_path / "siting.json", tmp_path / "README.md"
    readme.write_text("# Benchmarks\n")
    args = ["--synthetic", "150", "--runs", "1", "--budgets", "2", "--out", str(out)]
    assert bench.main([*args, "--readme", str(readme)]) == 0
    [inst] = json.loads(out.read_text())["instances"]
    assert [r["problem"] for r in inst["single_cover"]] == ["LSCP (fewest sites)", "MCLP (best 2)"]
    for row in inst["single_cover"]:
        assert row["same_objective"] and row["objective"] == row["spopt_objective"]
    assert [r["problem"] for r in inst["multi_cover"]] == ["fewest to 100 %", "best 2"]
    assert all(r["optimal"] for r in inst["multi_cover"])
    assert "<!-- siting:begin -->" in readme.read_text()
    assert "single cover: LSCP (fewest sites)" in readme.read_text()
