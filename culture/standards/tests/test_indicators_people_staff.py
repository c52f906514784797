"""Edge tests of the staff indicators (S39, S40, S41, S42) on staff made through the accounts
service. Expected values worked out by hand from the annex (quoted in each test)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from culture.accounts.services import staff_member_upsert
from culture.accounts.services.staff import staff_member_deactivate
from culture.org.tests.factories import community, subdistrict
from culture.standards.engine import evaluate_compute

pytestmark = pytest.mark.django_db

_n = {"i": 0}


def _staff(unit, *, professional=False, fulltime=False, training=None):
    _n["i"] += 1
    staff, _status = staff_member_upsert(
        actor=None, staff_number=f"H5-{_n['i']:04d}", name=f"职工{_n['i']}", org_unit=unit,
        is_professional=professional, is_fulltime_culture=fulltime, training=training,
    )  # fmt: skip
    return staff


def _rows(ids, year=2025):
    return evaluate_compute(year, only=list(ids))[1]


def _row(rows, indicator, level, unit):
    [row] = [
        r
        for r in rows
        if r.indicator_id == indicator and r.level == level and r.org_unit_id == unit.pk
    ]
    return row


# --- S39: professional staff share of the district institutions -----------------------------------


@pytest.mark.parametrize(
    ("professional", "value", "status"),
    [(16, 0.8, "not_met"), (17, 0.85, "met"), (18, 0.9, "met")],  # of 20: below, at, above
)
def test_s39_professional_share_85_percent(tree, professional, value, status):
    # S39: "业务人员占职工总数比例达到85%以上".
    for i in range(20):
        _staff(tree["district"], professional=i < professional)
    _staff(tree["s1"], professional=False)  # a subdistrict's staff do not count
    row = _row(_rows(["S39"]), "S39", "district", tree["district"])
    assert (row.value, row.target, row.status) == (pytest.approx(value), 0.85, status)
    assert (row.parts["staff"], row.parts["professional"]) == (20, professional)


def test_s39_staff_off_post_do_not_count_and_no_staff_is_no_data(tree):
    assert _row(_rows(["S39"]), "S39", "district", tree["district"]).status == "no_data"
    staff = [_staff(tree["district"], professional=i < 16) for i in range(20)]
    staff_member_deactivate(actor=None, staff=staff[-1])  # 16 of 19 = 0.842
    row = _row(_rows(["S39"]), "S39", "district", tree["district"])
    assert (row.value, row.status) == (pytest.approx(16 / 19), "not_met")


# --- S40: full-time culture staff at each culture station -----------------------------------------


def test_s40_full_time_culture_staff_at_every_subdistrict(tree):
    # S40: "街道综合文化站按照规定配备专职文化工作人员" (read as at least one).
    _staff(tree["s1"], fulltime=True)  # at: 1
    _staff(tree["s2"], fulltime=False)
    _staff(tree["c21"], fulltime=True)  # a community's full-time staff is not the station's
    rows = _rows(["S40"])
    s1, s2 = (
        _row(rows, "S40", "subdistrict", tree["s1"]),
        _row(rows, "S40", "subdistrict", tree["s2"]),
    )
    assert (s1.value, s1.target, s1.status) == (1.0, 1.0, "met")
    assert (s2.value, s2.status, s2.gap) == (0.0, "not_met", 1.0)
    _staff(tree["s1"], fulltime=True)
    assert _row(_rows(["S40"]), "S40", "subdistrict", tree["s1"]).value == 2.0  # above


def test_s40_no_staff_records_is_no_data(tree):
    assert {r.status for r in _rows(["S40"])} == {"no_data"}
    _staff(tree["s1"], fulltime=True)
    _staff(tree["c21"], fulltime=True)
    # 武林 has no staff of its own on record: no data, not a zero.
    row = _row(_rows(["S40"]), "S40", "subdistrict", tree["s2"])
    assert (row.value, row.status) == (None, "no_data")


# --- S41: information only ------------------------------------------------------------------------


def test_s41_culture_staff_of_subdistricts_of_50000_or_more_is_information(tree):
    # S41: "可向人口5万以上的街道配备文化工作人员，有条件的社区配备专职文化员" (encouraged).
    big = subdistrict(name_zh="大街道")
    community(parent=big, population=50000)  # at 50,000: applies
    near = subdistrict(name_zh="小街道")
    community(parent=near, population=49999)  # just below: does not apply
    _staff(big, fulltime=True)
    _staff(big)
    _staff(tree["c11"], fulltime=True)
    rows = _rows(["S41"])
    b = _row(rows, "S41", "subdistrict", big)
    assert (b.value, b.status, b.target) == (2.0, "info", None)
    assert _row(rows, "S41", "subdistrict", near).status == "not_applicable"
    assert _row(rows, "S41", "subdistrict", tree["s1"]).status == "not_applicable"  # 15,000
    c11 = _row(rows, "S41", "community", tree["c11"])
    assert (c11.value, c11.status) == (1.0, "info")


# --- S42: training days, level-dependent ----------------------------------------------------------


def test_s42_district_staff_15_days_each(tree):
    # S42: "区级以上公共文化机构从业人员每年参加脱产培训时间达到15天以上".
    a = _staff(tree["district"], training={2025: Decimal("15")})
    _staff(tree["district"], training={2025: Decimal("16"), 2024: Decimal("2")})
    row = _row(_rows(["S42"]), "S42", "district", tree["district"])
    assert (row.value, row.target, row.status, row.unit) == (15.0, 15.0, "met", "days")  # at
    assert row.parts["average_days"] == 15.5
    staff_member_upsert(actor=None, staff_number=a.staff_number, name=a.name,
                        org_unit=tree["district"], training={2025: Decimal("14.5")})  # fmt: skip
    row = _row(_rows(["S42"]), "S42", "district", tree["district"])
    assert (row.value, row.status, row.gap) == (14.5, "not_met", 0.5)  # just below
    # 2024: the lowest is 2 days (the other has no 2024 record: 0 days).
    row = _row(_rows(["S42"], 2024), "S42", "district", tree["district"])
    assert (row.value, row.status) == (0.0, "not_met")


def test_s42_subdistrict_and_community_staff_5_days_each(tree):
    # S42: "街道、社区两级文化专兼职人员每年参加集中培训时间达到5天以上".
    _staff(tree["s1"], training={2025: Decimal("5")})  # at
    _staff(tree["s2"], training={2025: Decimal("4.5")})  # below
    _staff(tree["c11"], training={2025: Decimal("5.5")})  # above
    _staff(tree["c12"], training={2025: Decimal("6")})
    _staff(tree["c12"])  # no record this year while a colleague has one: 0 days
    _staff(tree["c21"])  # staff but no training record at all: no data
    rows = _rows(["S42"])
    expected = {
        ("subdistrict", "s1"): (5.0, 5.0, "met"),
        ("subdistrict", "s2"): (4.5, 5.0, "not_met"),
        ("community", "c11"): (5.5, 5.0, "met"),
        ("community", "c12"): (0.0, 5.0, "not_met"),
        ("community", "c21"): (None, 5.0, "no_data"),
        ("community", "c22"): (None, 5.0, "no_data"),
    }
    for (level, key), want in expected.items():
        row = _row(rows, "S42", level, tree[key])
        assert (row.value, row.target, row.status) == want, (level, key)
