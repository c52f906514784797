"""Edge tests of the teams and volunteers indicators (T06, T15, S43, S44). Expected values
worked out by hand from the policy (quoted in each test)."""

from __future__ import annotations

from datetime import date

import pytest

from culture.standards.engine import current_definitions, evaluate_compute
from culture.standards.models import ReportedFigure
from culture.teams.models import CulturalTeam
from culture.teams.services import culture_talent_upsert
from culture.teams.tests.factories import household, team

pytestmark = pytest.mark.django_db

CORE = ("choir", "folk_orchestra", "art_troupe", "literature", "photography",
        "calligraphy_painting")  # fmt: skip
RECENT = date(2025, 6, 1)


def _rows(ids, year=2025, definitions=None):
    return evaluate_compute(year, only=list(ids), definitions=definitions)[1]


def _row(rows, indicator, level, unit):
    [row] = [
        r
        for r in rows
        if r.indicator_id == indicator and r.level == level and r.org_unit_id == unit.pk
    ]
    return row


def _report(indicator, unit, value, key="value", year=2025):
    ReportedFigure.objects.create(
        indicator_id=indicator, field_key=key, org_unit=unit, org_path=unit.path, year=year,
        value=value, status="approved",
    )  # fmt: skip


def _bulk_teams(unit, n, prefix="B"):
    CulturalTeam.objects.bulk_create(
        CulturalTeam(
            code=f"{prefix}{i:04d}",
            name=f"团{i}",
            kind="dance",
            org_unit=unit,
            is_active=True,
            founded_on=date(2020, 1, 1),
        )  # fmt: skip
        for i in range(n)
    )


# --- T06: 800 grassroots teams by 2025 ------------------------------------------------------------


@pytest.mark.parametrize(("extra", "status"), [(0, "not_met"), (1, "met"), (2, "met")])
def test_t06_800_teams(tree, extra, status):
    # 2.4.1: "建设以“三团三社”为核心的基层文艺团队800支以上" (read as by 2025).
    _bulk_teams(tree["c11"], 797)
    team("CORE1", tree["s1"], kind="choir")
    team("CORE2", tree["c21"], kind="photography")
    for i in range(extra):
        team(f"X{i}", tree["c22"], kind="xiqu")
    team("OFF", tree["c12"], is_active=False)  # not active: not counted
    team("NEW", tree["c12"], founded_on=date(2026, 3, 1), last_active_on=None)  # after 2025
    rows = _rows(["T06"])
    row = _row(rows, "T06", "district", tree["district"])
    assert (row.value, row.target, row.status) == (799.0 + extra, 800.0, status)
    assert row.parts["core_teams"] == 2
    early = _row(_rows(["T06"], 2024), "T06", "district", tree["district"])
    assert (early.status, early.target) == ("not_due", 800.0)


def test_t06_no_team_records_is_no_data(tree):
    assert _row(_rows(["T06"]), "T06", "district", tree["district"]).status == "no_data"


# --- T15: volunteer corps, teams and squads (reported) --------------------------------------------


def test_t15_reported_flags_due_2025(tree):
    # 2.6.3: "成立拱墅区文化志愿服务总队、街道分队、社区小队三级结构".
    _report("T15", tree["district"], 1)
    _report("T15", tree["s1"], 0)
    rows = _rows(["T15"])
    assert _row(rows, "T15", "district", tree["district"]).status == "met"
    assert _row(rows, "T15", "subdistrict", tree["s1"]).status == "not_met"
    assert _row(rows, "T15", "community", tree["c11"]).status == "no_data"
    _report("T15", tree["district"], 1, year=2024)
    assert _row(_rows(["T15"], 2024), "T15", "district", tree["district"]).status == "not_due"


# --- S43: 三团三社 kinds per subdistrict, active teams per community ----------------------------


def test_s43_subdistrict_six_core_kinds(tree):
    # S43: "每个街道组建相对稳定并经常性开展活动的“三团三社”6类以上".
    for i, kind in enumerate(CORE[:5]):
        team(f"S1-{i}", tree["c11"] if i % 2 else tree["s1"], kind=kind, last_active_on=RECENT)
    team("S1-dup", tree["c12"], kind="choir", last_active_on=RECENT)  # same kind again
    team("S1-dance", tree["c12"], kind="dance", last_active_on=RECENT)  # not a core kind
    row = _row(_rows(["S43"]), "S43", "subdistrict", tree["s1"])
    assert (row.value, row.target, row.status) == (5.0, 6.0, "not_met")  # just below
    team("S1-5", tree["c12"], kind=CORE[5], last_active_on=RECENT)
    row = _row(_rows(["S43"]), "S43", "subdistrict", tree["s1"])
    assert (row.value, row.status) == (6.0, "met")  # at
    assert row.parts["core_kinds"] == sorted(CORE)
    assert _row(_rows(["S43"]), "S43", "subdistrict", tree["s2"]).value == 0.0


@pytest.mark.parametrize(("n", "status"), [(1, "not_met"), (2, "met"), (3, "met")])
def test_s43_community_two_active_teams(tree, n, status):
    # S43: "每个社区建立2支以上经常性开展活动的群众文体团队".
    for i in range(n):
        team(f"C-{i}", tree["c21"], kind="dance", last_active_on=RECENT)
    team("C-old", tree["c21"], last_active_on=date(2024, 12, 30))  # 366 days before 31 Dec
    team("C-new", tree["c21"], founded_on=date(2026, 1, 2), last_active_on=date(2026, 1, 5))
    team("C-off", tree["c21"], is_active=False, last_active_on=RECENT)
    team("S-own", tree["s2"], last_active_on=RECENT)  # the subdistrict's, not the community's
    row = _row(_rows(["S43"]), "S43", "community", tree["c21"])
    assert (row.value, row.target, row.status) == (float(n), 2.0, status)


def test_s43_window_edge_and_named_definition(tree):
    team("W1", tree["c11"], last_active_on=date(2024, 12, 31))  # exactly 365 days before
    team("W2", tree["c11"], last_active_on=date(2025, 12, 31))
    assert _row(_rows(["S43"]), "S43", "community", tree["c11"]).value == 2.0
    shorter = {**current_definitions(), "active_team_window_days": 180}
    row = _row(_rows(["S43"], definitions=shorter), "S43", "community", tree["c11"])
    assert (row.value, row.status, row.parts["window_days"]) == (1.0, "not_met", 180)


def test_s43_past_year_counts_a_team_founded_by_then_and_active_since(tree):
    # The registry keeps only the latest active date: evaluating 2025 (counted to 31 Dec 2025),
    # a team founded in 2015 and last active in 2026 was on the books and counts; one founded
    # in 2026 does not.
    team("P1", tree["c11"], last_active_on=date(2025, 3, 1))
    team("P2", tree["c11"], last_active_on=date(2026, 2, 1))
    team("P3", tree["c12"], founded_on=date(2026, 1, 10), last_active_on=date(2026, 2, 1))
    rows = _rows(["S43"])
    c11 = _row(rows, "S43", "community", tree["c11"])
    assert (c11.value, c11.status, c11.parts["last_active_after_day_counted"]) == (2.0, "met", 1)
    assert _row(rows, "S43", "community", tree["c12"]).value == 0.0


def test_s43_no_teams_is_no_data(tree):
    assert {r.status for r in _rows(["S43"])} == {"no_data"}


# --- S44: volunteers per 1,000 (reported); households and talents per community -----------------


def _talent(code, unit, **kw):
    culture_talent_upsert(actor=None, code=code, name=f"能人{code}", community=unit, **kw)


def test_s44_community_one_household_two_talents(tree):
    # S44: "每社区培育文化示范户不少于1户、社区文化能人不少于2人".
    household("H1", tree["c11"])
    _talent("T1", tree["c11"])
    _talent("T2", tree["c11"])  # c11: 1 and 2, at both
    household("H2", tree["c12"])
    _talent("T3", tree["c12"])  # c12: 1 talent, just below
    _talent("T4", tree["c21"])
    _talent("T5", tree["c21"])
    _talent("T6", tree["c21"])  # c21: no household
    household("H3", tree["c22"])
    household("H4", tree["c22"])
    for code in ("T7", "T8", "T9"):
        _talent(code, tree["c22"])  # c22: above both
    _talent("T10", tree["c12"], is_active=False)  # not valid: does not count
    rows = _rows(["S44"])
    got = {k: _row(rows, "S44", "community", tree[k]) for k in ("c11", "c12", "c21", "c22")}
    assert {k: r.status for k, r in got.items()} == {
        "c11": "met", "c12": "not_met", "c21": "not_met", "c22": "met"}  # fmt: skip
    assert got["c12"].parts == {"culture_households": 1, "culture_talents": 1}
    assert (got["c11"].value, got["c11"].source) == (None, "computed")


@pytest.mark.parametrize(
    ("district_volunteers", "value", "status"),
    [(77, 77 * 1000 / 26000, "not_met"), (78, 3.0, "met"), (79, 79 * 1000 / 26000, "met")],
)
def test_s44_volunteers_per_thousand_reported(tree, district_volunteers, value, status):
    # S44: "文化志愿者数量达到总人口的千分之三以上": 26,000 residents x 3 / 1,000 = 78.
    _report("S44", tree["district"], district_volunteers, key="volunteers")
    _report("S44", tree["s1"], 44, key="volunteers")  # 15,000: 44 < 45
    rows = _rows(["S44"])
    d = _row(rows, "S44", "district", tree["district"])
    assert (d.value, d.target, d.status, d.source) == (
        pytest.approx(value),
        3.0,
        status,
        "reported",
    )
    assert _row(rows, "S44", "subdistrict", tree["s1"]).status == "not_met"
    assert _row(rows, "S44", "subdistrict", tree["s2"]).status == "no_data"  # not reported
    # No household or talent records at all: the communities have no data.
    assert _row(rows, "S44", "community", tree["c11"]).status == "no_data"
