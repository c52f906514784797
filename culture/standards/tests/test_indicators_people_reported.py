"""Edge tests of the reported and attested indicators (T08, T16, T18, S17, S33, S34, S38,
S50, S52, S53), and of S17 computed from the library's copies. Populations of the tree fixture: 湖墅 s1 15,000, 武林 s2 11,000, district
26,000. Expected values worked out by hand from the policy (quoted in each test)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.library.models import Copy
from culture.library.tests import factories as library_factories
from culture.standards.calculators.people.library import library_stock
from culture.standards.engine import build_context, evaluate_compute
from culture.standards.models import Attestation, ReportedFigure

pytestmark = pytest.mark.django_db


def _rows(ids, year=2025):
    return evaluate_compute(year, only=list(ids))[1]


def _row(rows, indicator, level, unit):
    [row] = [
        r
        for r in rows
        if r.indicator_id == indicator and r.level == level and r.org_unit_id == unit.pk
    ]
    return row


def _report(indicator, unit, value, key="value", year=2025, status="approved"):
    ReportedFigure.objects.create(
        indicator_id=indicator, field_key=key, org_unit=unit, org_path=unit.path, year=year,
        value=value, status=status,
    )  # fmt: skip


def _attest(indicator, unit, status="accepted", year=2025):
    Attestation.objects.create(
        indicator_id=indicator, org_unit=unit, org_path=unit.path, year=year, title="佐证",
        evidence=ContentFile(b"%PDF-1.4", name="e.pdf"), status=status,
    )  # fmt: skip


# --- T16: 20 CNY per resident, of which 2 CNY for books ------------------------------------------


@pytest.mark.parametrize(
    ("activity", "books", "status"),
    [
        (300000, 30000, "met"),  # 20.00 and 2.00: at both
        (299999, 30000, "not_met"),  # 19.99993: just below
        (300000, 29999, "not_met"),  # books 1.99993: just below
        (300001, 30001, "met"),  # just above both
    ],
)
def test_t16_spending_per_resident(tree, activity, books, status):
    # 3.3: "街道年人均投入公共文化服务活动经费不少于20元，其中用于购书款不少于2元（按常住人口数计算）".
    _report("T16", tree["s1"], activity, key="activity_spending")  # 湖墅 15,000 residents
    _report("T16", tree["s1"], books, key="book_spending")
    row = _row(_rows(["T16"]), "T16", "subdistrict", tree["s1"])
    assert (row.value, row.target, row.status, row.source) == (
        pytest.approx(activity / 15000), 20.0, status, "reported")  # fmt: skip
    assert row.parts["books_per_resident"] == round(books / 15000, 4)


def test_t16_a_missing_figure_is_no_data(tree):
    _report("T16", tree["s2"], 500000, key="activity_spending")  # no book figure
    _report("T16", tree["s1"], 300000, key="activity_spending", status="submitted")
    _report("T16", tree["s1"], 30000, key="book_spending", status="submitted")  # not approved
    rows = _rows(["T16"])
    assert _row(rows, "T16", "subdistrict", tree["s2"]).status == "no_data"
    assert _row(rows, "T16", "subdistrict", tree["s1"]).status == "no_data"


# --- S17: stock 1.5 per resident, new stock 0.08 ------------------------------------------------


@pytest.mark.parametrize(
    ("stock", "new", "status"),
    [
        (39000, 2080, "met"),
        (38999, 2080, "not_met"),
        (39000, 2079, "not_met"),
        (40000, 2100, "met"),
    ],
)
def test_s17_stock_per_resident(tree, stock, new, status):
    # S17: "总藏书量达到人均1.5册，人均年新增藏书量0.08册以上": 26,000 x 1.5 = 39,000; x 0.08 = 2,080.
    _report("S17", tree["district"], stock, key="stock")
    _report("S17", tree["district"], new, key="new_stock")
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.value, row.target, row.status) == (pytest.approx(stock / 26000), 1.5, status)


def test_s17_not_reported_is_no_data(tree):
    _report("S17", tree["district"], 39000, key="stock")
    assert _row(_rows(["S17"]), "S17", "district", tree["district"]).status == "no_data"


# --- S17 computed from the library system's copies -------------------------------------------


@pytest.fixture
def stock_complete(settings):
    """The platform's copies are the whole stock from 2000 on (the named definition's default)."""
    settings.CULTURE_LIBRARY_STOCK_COMPLETE_FROM = 2000


def test_s17_uses_the_reported_figures_until_the_platform_holds_the_whole_stock(tree, settings):
    _report("S17", tree["district"], 39000, key="stock")
    _report("S17", tree["district"], 2080, key="new_stock")
    _copies(100, date(2019, 3, 1))  # a catalogue imported in part
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.source, row.status, row.value) == ("reported", "met", pytest.approx(1.5))
    settings.CULTURE_LIBRARY_STOCK_COMPLETE_FROM = 2026  # complete from next year only
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.source, row.value) == ("reported", pytest.approx(1.5))
    settings.CULTURE_LIBRARY_STOCK_COMPLETE_FROM = 2025
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.source, row.value) == ("computed", pytest.approx(100 / 26000))


def _copies(n, acquired_on, *, status="available", branch=None, item_type="book"):
    """``n`` copies of one title at ``branch`` (a district-library branch by default)."""
    here = branch or library_factories.branch()
    title = library_factories.title()
    first = Copy.objects.count()
    Copy.objects.bulk_create(
        Copy(title=title, barcode=f"S17{first + i:07d}", home_branch=here, current_branch=here,
             status=status, item_type=item_type, acquired_on=acquired_on)
        for i in range(n)
    )  # fmt: skip


@pytest.mark.parametrize(
    ("stock", "new", "status"),
    [
        (39000, 2080, "met"),  # 1.5 and 0.08 exactly: at both
        (38999, 2080, "not_met"),  # stock 1.49996: just below
        (39000, 2079, "not_met"),  # new 0.07996: just below
        (39001, 2081, "met"),  # just above both
    ],
)
def test_s17_computed_from_copies(stock_complete, tree, stock, new, status):
    # S17: "总藏书量达到人均1.5册，人均年新增藏书量0.08册以上": 26,000 residents x 1.5 = 39,000
    # copies; x 0.08 = 2,080 acquired in 2025.
    _copies(stock - new, date(2019, 3, 1))
    _copies(new, date(2025, 6, 30))
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.value, row.target, row.status, row.source) == (
        pytest.approx(stock / 26000), 1.5, status, "computed")  # fmt: skip
    assert (row.parts["stock"], row.parts["new_stock"]) == (stock, new)
    assert row.parts["new_stock_per_resident"] == round(new / 26000, 4)


def test_s17_what_counts_as_stock_and_new(stock_complete, tree):
    # Counted for 2025: 30 held from 2019, 10 acquired 2025-01-01 and 5 on 2025-12-31 (new),
    # 4 without an acquisition date (stock, not new), 3 of 2025 now lost (new, not stock).
    # Not counted: 2 withdrawn of 2019, 6 acquired 2026-01-01.
    _copies(30, date(2019, 1, 1))
    _copies(10, date(2025, 1, 1))
    _copies(5, date(2025, 12, 31), status="on_loan")
    _copies(4, None)
    _copies(3, date(2025, 5, 1), status="lost")
    _copies(2, date(2019, 1, 1), status="withdrawn")
    _copies(6, date(2026, 1, 1))
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    # stock 30 + 10 + 5 + 4 = 49; new 10 + 5 + 3 = 18
    assert (row.parts["stock"], row.parts["new_stock"], row.parts["undated"]) == (49, 18, 4)
    assert row.value == pytest.approx(49 / 26000)
    prior = _row(_rows(["S17"], 2024), "S17", "district", tree["district"])
    # 2024: 30 of 2019 + 4 undated; nothing acquired in 2024
    assert (prior.parts["stock"], prior.parts["new_stock"]) == (34, 0)


def test_s17_copies_win_over_the_reported_figures_shown_beside(stock_complete, tree):
    _report("S17", tree["district"], 39000, key="stock")
    _report("S17", tree["district"], 2080, key="new_stock")
    _copies(13000, date(2018, 1, 1))  # 0.5 per resident
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.source, row.status, row.value) == ("computed", "not_met", pytest.approx(0.5))
    assert (row.reported_value, row.conflict) == (pytest.approx(1.5), True)


def test_s17_no_copies_in_the_year_uses_the_reported_figures(stock_complete, tree):
    _report("S17", tree["district"], 39000, key="stock")
    _report("S17", tree["district"], 2080, key="new_stock")
    _copies(100, date(2026, 2, 1))  # acquired after 2025: no stock for 2025
    row = _row(_rows(["S17"]), "S17", "district", tree["district"])
    assert (row.source, row.status, row.value) == ("reported", "met", pytest.approx(1.5))


def test_s17_one_query_for_the_copies(stock_complete, tree):
    _copies(10, date(2025, 1, 1))
    ctx = build_context(2025)
    with CaptureQueriesContext(connection) as few:
        library_stock(ctx, "district")
    _copies(500, date(2020, 1, 1), branch=library_factories.branch(kind="city_bookroom"))
    ctx = build_context(2025)
    with CaptureQueriesContext(connection) as many:
        measures = library_stock(ctx, "district")
    assert len(few.captured_queries) == len(many.captured_queries) == 1
    assert measures[tree["district"].pk].parts["stock"] == 510


# --- T18 and S53: third-party evaluation; S52 satisfaction ------------------------------------


def test_t18_evaluation_and_survey_both_needed(tree):
    # 3.4: "引入第三方开展公共文化服务绩效考评和群众满意度测评".
    d = tree["district"]
    _report("T18", d, 1, key="evaluation_done")
    assert _row(_rows(["T18"]), "T18", "district", d).status == "no_data"  # survey unreported
    _report("T18", d, 0, key="survey_done")
    row = _row(_rows(["T18"]), "T18", "district", d)
    assert (row.value, row.status) == (0.0, "not_met")
    ReportedFigure.objects.filter(field_key="survey_done").update(value=1)
    row = _row(_rows(["T18"]), "T18", "district", d)
    assert (row.value, row.target, row.status, row.source) == (1.0, 1.0, "met", "reported")


def test_t18_and_s53_by_accepted_evidence(tree):
    d = tree["district"]
    _attest("T18", d)
    _attest("S53", d, status="pending")
    rows = _rows(["T18", "S53"])
    t18 = _row(rows, "T18", "district", d)
    assert (t18.value, t18.status, t18.source) == (1.0, "met", "attested")
    assert _row(rows, "S53", "district", d).status == "no_data"  # pending evidence
    _attest("S53", d, year=2024)
    assert _row(_rows(["S53"]), "S53", "district", d).status == "no_data"  # another year only


def test_s53_reported_flag(tree):
    # S53: "委托第三方开展绩效评估".
    _report("S53", tree["district"], 0)
    assert _row(_rows(["S53"]), "S53", "district", tree["district"]).status == "not_met"


@pytest.mark.parametrize(("rate", "status"), [(0.849, "not_met"), (0.85, "met"), (0.851, "met")])
def test_s52_satisfaction_85_percent(tree, rate, status):
    # S52: "人民群众对公共文化服务满意率达到85%以上".
    _report("S52", tree["district"], rate)
    _report("S52", tree["s2"], rate)
    rows = _rows(["S52"])
    for level, unit in (("district", tree["district"]), ("subdistrict", tree["s2"])):
        row = _row(rows, "S52", level, unit)
        assert (row.value, row.target, row.status) == (rate, 0.85, status)
    assert _row(rows, "S52", "subdistrict", tree["s1"]).status == "no_data"


def test_s50_catalogue_published_flag(tree):
    # S50: "动态调整并公布公共文化领域政府向社会力量购买服务目录".
    _report("S50", tree["district"], 1)
    _report("S50", tree["district"], 0, year=2024)
    assert _row(_rows(["S50"]), "S50", "district", tree["district"]).status == "met"
    assert _row(_rows(["S50"], 2024), "S50", "district", tree["district"]).status == "not_met"


# --- attested items -------------------------------------------------------------------------------


def test_t08_3a_scenic_area_due_2025(tree):
    # 2.4.2: "京杭大运河博物馆成功创建3A级景区" (read as by 2025).
    d = tree["district"]
    assert _row(_rows(["T08"]), "T08", "district", d).status == "no_data"
    _attest("T08", d, year=2024)
    _attest("T08", d, status="rejected")
    early = _row(_rows(["T08"], 2024), "T08", "district", d)
    assert (early.value, early.status) == (1.0, "not_due")
    assert _row(_rows(["T08"]), "T08", "district", d).status == "no_data"  # 2025: rejected only
    _attest("T08", d)
    row = _row(_rows(["T08"]), "T08", "district", d)
    assert (row.value, row.target, row.status, row.source) == (1.0, 1.0, "met", "attested")


@pytest.mark.parametrize("indicator", ["S33", "S34", "S38"])
def test_tv_items_attested(tree, indicator):
    # S33 (15 channels, HD 60 %), S34 and S38 (free or discounted TV for low-income households).
    d = tree["district"]
    _attest(indicator, d, status="pending")
    assert _row(_rows([indicator]), indicator, "district", d).status == "no_data"
    Attestation.objects.filter(indicator_id=indicator).update(status="accepted")
    row = _row(_rows([indicator]), indicator, "district", d)
    assert (row.status, row.source) == ("met", "attested")
