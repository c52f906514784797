"""The catalogue holds every target of the product brief, each declared completely."""

from __future__ import annotations

from culture.standards.catalogue import CATALOGUE
from culture.standards.catalogue.types import ATTEST, DATA, DATA_ATTEST, LEVELS

# Written out from ../shared/guide/product.md ("The catalogue of targets"), not from the code.
MAIN_TEXT = [f"T{n:02d}" for n in range(1, 19)]
ANNEX = [f"S{n:02d}" for n in range(1, 54)]
ATTEST_ONLY = {"T08", "S15", "S33", "S34", "S38"}
DATA_OR_ATTEST = {"T18", "S53"}
INFORMATIONAL = {"S35", "S41", "T17"}


def test_every_target_of_the_brief_is_declared_in_order():
    assert list(CATALOGUE) == MAIN_TEXT + ANNEX


def test_each_declaration_is_complete():
    for ind in CATALOGUE.values():
        assert ind.clause and ind.quote_zh and ind.title_zh and ind.title_en, ind.id
        assert ind.owner_zh and ind.owner_en, f"{ind.id} names no responsible unit"
        assert ind.definition_zh and ind.definition_en, f"{ind.id} has no definition"
        assert ind.levels and set(ind.levels) <= set(LEVELS), ind.id
        assert ind.kind in (DATA, ATTEST, DATA_ATTEST), ind.id
        if not ind.informational:
            assert ind.thresholds, f"{ind.id} has no threshold"
        if ind.kind == DATA and ind.calculator is None:
            assert ind.report_fields, f"{ind.id}: no records and nothing to report"


def test_kinds_follow_the_brief():
    assert {i.id for i in CATALOGUE.values() if i.kind == ATTEST} == ATTEST_ONLY
    assert {i.id for i in CATALOGUE.values() if i.kind == DATA_ATTEST} == DATA_OR_ATTEST
    assert {i.id for i in CATALOGUE.values() if i.informational} == INFORMATIONAL


def test_t14_and_s48_share_one_measure():
    t14, s48 = CATALOGUE["T14"], CATALOGUE["S48"]
    assert t14.calculator is s48.calculator
    assert "T14" in (s48.same_measure_as, t14.same_measure_as) or "S48" in (
        s48.same_measure_as,
        t14.same_measure_as,
    )
