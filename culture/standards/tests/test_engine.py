"""The engine's rules on a small test catalogue: verdicts, sources, statuses, roll-up, storage."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from culture.core.errors import ValidationFailed
from culture.standards import engine
from culture.standards.calculators import Measure
from culture.standards.catalogue.types import (
    AT_MOST,
    ATTEST,
    COUNT,
    DISTRICT,
    SUBDISTRICT,
    VENUE,
    Indicator,
    ReportField,
    always,
    steps,
)
from culture.standards.models import (
    Attestation,
    EvaluationRun,
    IndicatorResult,
    ReportedFigure,
)
from culture.standards.services.evaluation import RUNS_KEPT, evaluation_run
from culture.venues.tests.factories import venue as make_venue

pytestmark = pytest.mark.django_db


def _ind(**kw) -> Indicator:
    base = dict(
        id="X01",
        clause="测试",
        quote_zh="测试条款",
        title_zh="测试",
        title_en="Test",
        levels=(SUBDISTRICT,),
        unit=COUNT,
        thresholds={SUBDISTRICT: always(10)},
    )
    base.update(kw)
    return Indicator(**base)


@pytest.fixture
def catalogue(monkeypatch):
    def install(*indicators: Indicator) -> None:
        monkeypatch.setattr(engine, "CATALOGUE", {i.id: i for i in indicators})

    return install


def _rows(year=2025):
    _ctx, rows = engine.evaluate_compute(year)
    return rows


def _by_unit(rows, unit):
    [row] = [r for r in rows if r.org_unit_id == unit.pk and r.venue_id is None]
    return row


def test_at_below_and_above_the_threshold(tree, catalogue):
    values = {tree["s1"].pk: 10.0, tree["s2"].pk: 9.0}
    catalogue(_ind(calculator=lambda ctx, level: {k: Measure(v) for k, v in values.items()}))
    rows = _rows()
    at, below = _by_unit(rows, tree["s1"]), _by_unit(rows, tree["s2"])
    assert (at.status, at.value, at.target, at.gap, at.source) == (
        "met",
        10.0,
        10.0,
        0.0,
        "computed",
    )
    assert (below.status, below.gap, below.relative_gap) == ("not_met", 1.0, 0.1)
    values[tree["s2"].pk] = 10.5
    assert _by_unit(_rows(), tree["s2"]).status == "met"


def test_at_most_comparator(tree, catalogue):
    catalogue(
        _ind(
            comparator=AT_MOST,
            calculator=lambda ctx, level: {
                tree["s1"].pk: Measure(10.0),
                tree["s2"].pk: Measure(11.0),
            },
        )
    )
    rows = _rows()
    assert _by_unit(rows, tree["s1"]).status == "met"
    assert (_by_unit(rows, tree["s2"]).status, _by_unit(rows, tree["s2"]).gap) == ("not_met", 1.0)


def test_year_schedule_and_not_due(tree, catalogue):
    # 50 % from 2023, 80 % from 2025; a target "by 2026" is not due in 2025.
    catalogue(
        _ind(
            thresholds={SUBDISTRICT: steps((2023, 0.5), (2025, 0.8))},
            calculator=lambda ctx, level: {tree["s1"].pk: Measure(0.6)},
        ),
        _ind(
            id="X02",
            thresholds={SUBDISTRICT: steps((2026, 1.0))},
            calculator=lambda ctx, level: {tree["s1"].pk: Measure(0.6)},
        ),
    )
    r2024 = [r for r in _rows(2024) if r.org_unit_id == tree["s1"].pk]
    r2025 = [r for r in _rows(2025) if r.org_unit_id == tree["s1"].pk]
    assert [(r.indicator_id, r.status, r.target) for r in r2024] == [
        ("X01", "met", 0.5),
        ("X02", "not_due", 1.0),
    ]
    assert [(r.indicator_id, r.status, r.target) for r in r2025] == [
        ("X01", "not_met", 0.8),
        ("X02", "not_due", 1.0),
    ]


def test_missing_value_is_no_data_never_zero(tree, catalogue):
    catalogue(_ind(calculator=lambda ctx, level: {tree["s1"].pk: Measure(None)}))
    rows = _rows()
    assert (_by_unit(rows, tree["s1"]).status, _by_unit(rows, tree["s1"]).value) == (
        "no_data",
        None,
    )
    assert _by_unit(rows, tree["s2"]).status == "no_data"


def test_not_applicable_and_info(tree, catalogue):
    catalogue(
        _ind(calculator=lambda ctx, level: {tree["s1"].pk: Measure(None, applicable=False)}),
        _ind(
            id="X02",
            informational=True,
            thresholds={},
            calculator=lambda ctx, level: {tree["s1"].pk: Measure(0.3)},
        ),
    )
    rows = [r for r in _rows() if r.org_unit_id == tree["s1"].pk]
    assert [(r.indicator_id, r.status) for r in rows] == [
        ("X01", "not_applicable"),
        ("X02", "info"),
    ]


def _report(ind, unit, value, status="approved", key="value", year=2025):
    return ReportedFigure.objects.create(
        indicator_id=ind,
        field_key=key,
        org_unit=unit,
        org_path=unit.path,
        year=year,
        value=value,
        status=status,
    )


def test_reported_figure_used_only_where_no_records_and_only_when_approved(tree, catalogue):
    catalogue(
        _ind(
            report_fields=(ReportField("value", "数", "n"),),
            calculator=lambda ctx, level: {tree["s1"].pk: Measure(12.0)},
        )
    )
    _report("X01", tree["s1"], 8)  # computed wins, shown as a conflict
    _report("X01", tree["s2"], 11)  # no records: the reported figure is the value
    rows = _rows()
    s1, s2 = _by_unit(rows, tree["s1"]), _by_unit(rows, tree["s2"])
    assert (s1.value, s1.source, s1.reported_value, s1.conflict, s1.status) == (
        12.0,
        "computed",
        8.0,
        True,
        "met",
    )
    assert (s2.value, s2.source, s2.status) == (11.0, "reported", "met")
    ReportedFigure.objects.filter(org_unit=tree["s2"]).update(status="submitted")
    assert _by_unit(_rows(), tree["s2"]).status == "no_data"


def test_value_from_several_reported_fields(tree, catalogue):
    catalogue(
        _ind(
            report_fields=(ReportField("stock", "藏书", "stock"),),
            value_from_reported=lambda f, unit: f["stock"] / unit.population,
            thresholds={SUBDISTRICT: always(1.5)},
        )
    )
    # Populations roll up from the communities: 湖墅 8,000 + 7,000, 武林 6,000 + 5,000.
    _report("X01", tree["s1"], 22500, key="stock")  # 22,500 / 15,000 = 1.5 each
    _report("X01", tree["s2"], 16499, key="stock")  # 16,499 / 11,000 = 1.4999
    rows = _rows()
    assert (_by_unit(rows, tree["s1"]).value, _by_unit(rows, tree["s1"]).status) == (1.5, "met")
    assert _by_unit(rows, tree["s2"]).status == "not_met"


def _attest(unit, status, year=2025):
    return Attestation.objects.create(
        indicator_id="X01",
        org_unit=unit,
        org_path=unit.path,
        year=year,
        title="证明",
        evidence=ContentFile(b"%PDF-1.4", name="a.pdf"),
        status=status,
    )


def test_attestation_counts_when_accepted_for_its_year_only(tree, catalogue):
    catalogue(_ind(kind=ATTEST, levels=(DISTRICT,), thresholds={DISTRICT: always(1)}))
    _attest(tree["district"], "pending")
    assert _by_unit(_rows(), tree["district"]).status == "no_data"
    _attest(tree["district"], "accepted")
    row = _by_unit(_rows(), tree["district"])
    assert (row.status, row.source, row.value) == ("met", "attested", 1.0)
    assert _by_unit(_rows(2024), tree["district"]).status == "no_data"


def test_venue_results_roll_up_by_location(tree, catalogue):
    # Both run by the district; they count where they stand.
    a = make_venue(operator=tree["district"], at=tree["c11"])
    b = make_venue(operator=tree["district"], at=tree["c21"])
    hours = {a.pk: 60.0, b.pk: 47.0}
    catalogue(
        _ind(
            levels=(VENUE,),
            thresholds={"library": always(60), "branch_library": always(48)},
            calculator=lambda ctx, level: {
                a.pk: Measure(hours[a.pk], tier="library"),
                b.pk: Measure(hours[b.pk], tier="branch_library"),
            },
        )
    )
    rows = _rows()
    venue_rows = {r.venue_id: r for r in rows if r.venue_id}
    assert (venue_rows[a.pk].status, venue_rows[a.pk].target) == ("met", 60.0)
    assert (venue_rows[b.pk].status, venue_rows[b.pk].target, venue_rows[b.pk].gap) == (
        "not_met",
        48.0,
        1.0,
    )
    assert venue_rows[a.pk].org_unit_id == tree["c11"].pk
    by_unit = {r.org_unit_id: r for r in rows if r.venue_id is None}
    assert (by_unit[tree["district"].pk].value, by_unit[tree["district"].pk].status) == (
        0.5,
        "not_met",
    )
    assert by_unit[tree["s1"].pk].status == "met"
    assert by_unit[tree["s2"].pk].status == "not_met"
    assert by_unit[tree["c12"].pk].status == "not_applicable"


def test_years_outside_the_policy_are_refused(tree):
    with pytest.raises(ValidationFailed, match="早于政策施行"):
        engine.evaluate_compute(2022)
    with pytest.raises(ValidationFailed, match="尚未开始"):
        engine.evaluate_compute(timezone.localdate().year + 1)


def test_runs_are_stored_and_old_runs_pruned(tree, catalogue):
    catalogue(_ind(calculator=lambda ctx, level: {tree["s1"].pk: Measure(10.0)}))
    runs = [evaluation_run(year=2025, trigger="test") for _ in range(RUNS_KEPT + 2)]
    assert runs[-1].result_count == 2  # two subdistricts
    assert runs[-1].as_of == date(2025, 12, 31)
    assert EvaluationRun.objects.filter(year=2025).count() == RUNS_KEPT
    assert not IndicatorResult.objects.filter(run=runs[0]).exists()
    assert IndicatorResult.objects.filter(run=runs[-1], status="met").count() == 1
