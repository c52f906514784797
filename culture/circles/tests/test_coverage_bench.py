"""The coverage benchmark (bench/coverage.py) still runs end to end on tiny data: ours and
geopandas dwithin agree on every home, buffer + sjoin is counted, the README table is written.
No timing is asserted. Skipped without the bench extra (geopandas)."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("geopandas")

from bench import coverage as bench  # noqa: E402


def test_peers_agree_on_tiny_data(tmp_path):
    out, readme = tmp_path / "coverage.json", tmp_path / "README.md"
    readme.write_text("# Benchmarks\n")
    args = ["--homes", "2000", "--facilities", "100", "--runs", "1", "--out", str(out)]
    assert bench.main([*args, "--readme", str(readme)]) == 0
    results = json.loads(out.read_text())
    [size] = results["sizes"]
    assert (size["homes"], size["facilities"], size["venues"], size["spaces"]) == (
        2000,
        100,
        10,
        90,
    )
    assert size["dwithin_differs"] == 0
    assert size["buffer_sjoin_differs"] >= 0
    assert "| 2,000 x 100 |" in readme.read_text()


def test_buffer_misses_a_facility_just_inside_the_circle():
    # The buffer (16 segments a quarter circle, the default) has a vertex every 5.625 degrees;
    # half-way between two, its edge is R cos(2.8125 deg) = 1,498.2 m from the home. A venue
    # there at 1,499.5 m is inside the true circle and outside the polygon.
    angle = np.radians(2.8125)
    data = {
        "homes": np.array([[0.0, 0.0]]),
        "weights": np.array([1]),
        "facilities": {
            "venue": 1499.5 * np.array([[np.cos(angle), np.sin(angle)]]),
            "spaces": np.array([[1.0, 0.0], [0.0, 1.0]]),
        },
    }
    frames = bench.geo_frames(data)
    assert bench.ours(data)[0].tolist() == [True]
    assert bench.dwithin(frames)[0].tolist() == [True]
    assert bench.buffer_sjoin(frames)[0].tolist() == [False]
