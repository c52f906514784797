"""A stored run holds exactly the results the engine computed: every field of every row, the
parts as JSON, nulls as nulls (the run is inserted with multi-row INSERTs, not the ORM)."""

from __future__ import annotations

from datetime import date

import pytest

from culture.standards.engine import evaluate_compute
from culture.standards.models import IndicatorResult
from culture.standards.services.evaluation import RESULT_COLUMNS, evaluation_run
from culture.standards.tests.test_indicators_activities_support import make

pytestmark = pytest.mark.django_db


def _key(row: dict) -> tuple:
    return (row["indicator_id"], row["level"], row["org_unit_id"] or 0, row["venue_id"] or 0)


def test_a_run_stores_every_computed_field(tree):
    make(tree["c11"], "training_class", 3, on=date(2025, 3, 3))
    make(tree["s1"], "film_screening", 2, film_release_date=date(2024, 1, 1), film_domestic=True)
    _ctx, computed = evaluate_compute(2025)
    run = evaluation_run(year=2025)
    stored = list(IndicatorResult.objects.filter(run=run).values("year", "parts", *RESULT_COLUMNS))
    assert run.result_count == len(computed) == len(stored)
    expected = {}
    for r in computed:
        row = {c: getattr(r, c) for c in RESULT_COLUMNS}
        row.update(year=2025, parts=r.parts)
        expected[_key(row)] = row
    assert {_key(s): s for s in stored} == expected
    # A few values written out by hand: T10 at the district counts the three classes.
    t10 = IndicatorResult.objects.get(run=run, indicator_id="T10", org_unit=tree["district"])
    assert (t10.value, t10.parts["training_classes"], t10.source) == (3.0, 3, "computed")
    nothing = IndicatorResult.objects.filter(run=run, status="no_data").first()
    assert nothing is not None and nothing.value is None and nothing.gap is None
