"""The standards evaluation benchmark (bench/) still runs end to end on tiny data: the data
generator, the agreement check of ours / the ORM loop / DuckDB, the timing and the README
table. No timing is asserted."""

from __future__ import annotations

import pytest

from bench.data import extend_activities
from bench.run import render_table, update_readme
from bench.standards_evaluation import (
    check_equal,
    duckdb_load,
    duckdb_sums,
    loop_sums,
    measure,
    ours_check_sums,
    ours_sums,
)
from culture.activities.tests.factories import activity, local
from culture.standards.engine import build_context

pytestmark = pytest.mark.django_db


def quiet(_line: str) -> None:
    pass


@pytest.fixture
def classes(tree):
    for day, attendance in ((3, 10), (4, 20), (5, 30)):
        activity(
            tree["c11"],
            kind="training_class",
            attendance=attendance,
            start_at=local(2025, 3, day, 9),
            end_at=local(2025, 3, day, 11),
        )
    activity(  # 23:30 on 31 Dec 2024, local time: last year, not counted for 2025
        tree["c11"],
        kind="training_class",
        start_at=local(2024, 12, 31, 23, 30),
        end_at=local(2025, 1, 1, 0, 30),
    )
    activity(tree["s2"], kind="lecture")  # a kind no indicator counts
    return tree


def test_every_contender_gives_the_hand_counted_sums(classes, tmp_path):
    t = classes
    ctx = build_context(2025)
    # 3 classes, 60 person-times, no sessions or books: at c11, its subdistrict, the district.
    expected = {(t[k].id, "training_class"): (3, 60, 0, 0) for k in ("c11", "s1", "district")}
    con, loaded = duckdb_load(ctx, tmp_path)
    assert loaded["rows"] == 5
    assert ours_check_sums(ctx) == expected
    assert ours_sums(ctx) == expected
    assert loop_sums(ctx) == expected
    assert duckdb_sums(con, ctx) == expected
    assert duckdb_sums(con, ctx, f"read_parquet('{loaded['parquet']}')") == expected


def test_a_disagreement_stops_the_benchmark():
    with pytest.raises(AssertionError, match="kind k"):
        check_equal({"ours": {(1, "k"): (1, 0, 0, 0)}, "peer": {(1, "k"): (2, 0, 0, 0)}})


def test_benchmark_runs_end_to_end_on_tiny_data(classes, tmp_path):
    info = extend_activities(rows=300, seed=7, say=quiet)
    assert info["rows"] == 300
    record = measure(label="tiny", year=2025, runs=1, warmup=0, say=quiet)
    assert record["checked_equal"] is True
    assert record["activity_rows"] == 300
    assert record["org_units"] == 7
    assert set(record["timings"]) == {
        "ours_evaluate_all",
        "ours_kind_sums",
        "orm_loop",
        "duckdb",
        "duckdb_parquet",
    }
    results = {
        "generated_at": "now",
        "runs": 1,
        "machine": {
            "cpu": "test",
            "cores": 2,
            "memory_gib": 1,
            "load_average_at_start": [0.5],
            "versions": {"sqlite": "3", "duckdb": "2"},
            "commit": "abc",
        },
        "datasets": [record],
    }
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Benchmarks\n<!-- standards_evaluation:begin -->\nold\n"
        "<!-- standards_evaluation:end -->\nafter\n"
    )
    update_readme(results, readme)
    text = readme.read_text()
    assert f"| tiny, {record['database']} | 300 (" in text
    assert "old" not in text and text.endswith("after\n")
    assert render_table(results) in text
