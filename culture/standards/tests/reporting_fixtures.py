"""A small test catalogue for the reporting, attestation and definition tests, installed where
the services, forms, importer and engine read it (so the tests do not depend on how the real
catalogue declares these indicators)."""

from __future__ import annotations

import pytest

from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.standards import catalogue as catalogue_module
from culture.standards import engine
from culture.standards.calculators import Measure
from culture.standards.catalogue.types import (
    ATTEST,
    COMMUNITY,
    DATA_ATTEST,
    DISTRICT,
    FLAG,
    PERSON_TIMES,
    SHARE,
    SUBDISTRICT,
    Indicator,
    ReportField,
    always,
)
from culture.standards.services import attestations, definitions, reporting


def indicator(**kw) -> Indicator:
    base = dict(
        clause="测试",
        quote_zh="测试条款",
        title_zh=f"测试指标{kw['id']}",
        title_en=f"Test {kw['id']}",
        levels=(DISTRICT,),
        unit="count",
        thresholds={"*": always(1)},
    )
    base.update(kw)
    return Indicator(**base)


def stock_value(fields, unit):
    if "stock" not in fields or not unit.population:
        return None
    return fields["stock"] / unit.population


TEST_INDICATORS = (
    indicator(
        id="T01",
        title_zh="线上服务场次",
        report_fields=(ReportField("value", "线上服务场次", "Online sessions"),),
    ),
    indicator(
        id="T02",
        title_zh="线上服务人次",
        report_fields=(ReportField("value", "线上服务人次", "Online person-times", PERSON_TIMES),),
    ),
    indicator(
        id="S17",
        title_zh="人均藏书",
        thresholds={"*": always(1.5)},
        report_fields=(
            ReportField("stock", "总藏书量（册）", "Total stock"),
            ReportField("new_stock", "当年新增藏书量（册）", "New stock"),
        ),
        value_from_reported=stock_value,
    ),
    indicator(
        id="S52",
        title_zh="满意率",
        levels=(SUBDISTRICT, COMMUNITY),
        unit=SHARE,
        thresholds={"*": always(0.85)},
        report_fields=(ReportField("value", "满意率", "Satisfaction rate", SHARE),),
    ),
    indicator(
        id="S44",
        title_zh="社区文化示范户",
        levels=(COMMUNITY,),
        report_fields=(ReportField("value", "已建立（1/0）", "Established", FLAG),),
    ),
    indicator(
        id="S01",
        title_zh="五馆齐全（系统计算）",
        calculator=lambda ctx, level: {u.id: Measure(1.0) for u in ctx.units(level)},
    ),
    indicator(id="T08", title_zh="运河博物院3A景区", kind=ATTEST),
    indicator(
        id="S53",
        title_zh="第三方绩效评估",
        levels=(DISTRICT, SUBDISTRICT),
        kind=DATA_ATTEST,
    ),
)


@pytest.fixture
def test_catalogue(monkeypatch):
    """Install the test catalogue (plus the real T10) for services, importer and engine."""
    real_t10 = catalogue_module.CATALOGUE.get("T10")
    found = {i.id: i for i in TEST_INDICATORS}
    if real_t10 is not None:
        found["T10"] = real_t10
    monkeypatch.setattr(catalogue_module, "CATALOGUE", found)
    monkeypatch.setattr(engine, "CATALOGUE", found)
    return found


@pytest.fixture
def officers(tree, users):
    """A second district officer, and a subdistrict officer of s2."""
    return {
        **users,
        "district2": staff_user(Role.DISTRICT_OFFICER, display_name="第二位区干部"),
        "subdistrict2": staff_user(Role.SUBDISTRICT_OFFICER, tree["s2"]),
        "community21": staff_user(Role.COMMUNITY_WORKER, tree["c21"]),
        "venue": staff_user(Role.VENUE_MANAGER, None),
    }


@pytest.fixture
def evaluations(monkeypatch):
    """Record the recomputations the services ask for: a list of (years, trigger)."""
    calls: list[tuple[list[int], str]] = []

    def record(*, years=None, trigger=""):
        calls.append((list(years or []), trigger))

    for module in (reporting, attestations, definitions):
        monkeypatch.setattr(module, "request_evaluation", record)
    return calls
