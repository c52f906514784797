"""The scoped reads of stored results: standings (own result combined with the units below),
the missed list worst first, counts counted once, history, venues, trends, scope and refusals,
and a query count that does not grow with the number of units or venues.

The expected values are worked out by hand in ``culture/cockpit/tests/helpers.py``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.accounts.tests.factories import staff_user
from culture.activities.tests.factories import activity
from culture.cockpit.tests import helpers
from culture.core.errors import NotFound, OutOfScope
from culture.core.roles import Role
from culture.org.tests.factories import community
from culture.standards import selectors
from culture.standards.models import Status
from culture.standards.services.evaluation import evaluation_run
from culture.standards.standing import counted_ids, missed_targets

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def run(monkeypatch, tree):
    made, _venues = helpers.world(monkeypatch, tree)
    return made


def _me(user, run, unit):
    [standing] = selectors.standings(viewer=user, run=run, under=unit, level=unit.level)
    return standing


def test_district_standing_counts_missed_worst_first(run, tree, users):
    me = _me(users["district"], run, tree["district"])
    assert (me.met, me.judged) == (2, 6)
    s = me.by_indicator
    assert s["T02"].status == Status.MET and s["T02"].value == 1_200_000
    assert (s["T10"].status, s["T10"].gap, s["T10"].relative_gap) == ("not_met", 20.0, 0.2)
    # S06: the district's own 41 >= 40 is met, but s2 has no bookroom: not met, 1 of 2.
    assert s["S06"].own and s["S06"].value == 41 and s["S06"].status == Status.NOT_MET
    assert s["S06"].below == {"subdistrict": {"met": 1, "not_met": 1}}
    assert s["S06"].relative_gap == pytest.approx(0.5)
    # S29 is judged per community only: the district stands on its communities, 3 of 4.
    assert not s["S29"].own and s["S29"].status == Status.NOT_MET
    assert (s["S29"].value, s["S29"].unit, s["S29"].relative_gap) == (0.75, "share", 0.25)
    assert s["S44"].status == s["S52"].status == Status.NO_DATA
    assert s["S20"].status == Status.NOT_MET and s["S20"].value == pytest.approx(2 / 3)
    missed = [ind.id for ind, _s in missed_targets(me)]
    assert missed == ["S06", "S20", "S29", "T10"]


def test_same_measure_is_counted_once(run, tree, users):
    assert "S48" not in counted_ids() and "T14" in counted_ids()
    me = _me(users["district"], run, tree["district"])
    assert me.by_indicator["S48"].status == Status.MET  # still shown, not counted
    assert me.counts[Status.MET] == 2


def test_children_standings_give_each_subdistricts_share(run, tree, users):
    kids = selectors.standings(
        viewer=users["district"], run=run, under=tree["district"], level="subdistrict"
    )
    by_code = {k.unit.code: (k.met, k.judged, k.share) for k in kids}
    assert by_code == {tree["s1"].code: (3, 4, 0.75), tree["s2"].code: (2, 4, 0.5)}
    communities = selectors.standings(
        viewer=users["district"], run=run, under=tree["s1"], level="community"
    )
    assert [(c.unit.code, c.met, c.judged) for c in communities] == [
        (tree["c11"].code, 3, 3),
        (tree["c12"].code, 2, 3),
    ]


def test_subdistrict_officer_reads_only_their_subdistrict(run, tree, users):
    officer = users["subdistrict"]
    assert selectors.focus_unit(viewer=officer) == tree["s1"]
    with pytest.raises(OutOfScope):
        selectors.focus_unit(viewer=officer, code=tree["s2"].code)
    with pytest.raises(OutOfScope):
        selectors.focus_unit(viewer=officer, code=tree["district"].code)
    with pytest.raises(NotFound):
        selectors.focus_unit(viewer=officer, code="999999")
    rows = selectors.results_under(viewer=officer, run=run, unit=tree["s1"])
    assert {r.org_path[:17] for r in rows} == {tree["s1"].path}
    # The district's subdistrict rows, read by the officer: only their own.
    rows = selectors.indicator_results(
        viewer=officer, run=run, indicator_id="S06", level="subdistrict", under=tree["s1"]
    )
    assert [r.org_unit.code for r in rows] == [tree["s1"].code]
    assert selectors.unit_breadcrumbs(viewer=officer, unit=tree["c11"]) == [tree["s1"]]


def test_community_worker_reads_only_their_community(run, tree, users):
    worker = users["community"]
    assert selectors.focus_unit(viewer=worker) == tree["c11"]
    with pytest.raises(OutOfScope):
        selectors.focus_unit(viewer=worker, code=tree["c12"].code)
    me = _me(worker, run, tree["c11"])
    assert (me.met, me.judged) == (3, 3)
    venues = selectors.venue_standings(viewer=worker, run=run, unit=tree["c11"])
    assert [(v["code"], v["rules"], v["met"], v["judged"]) for v in venues] == [
        ("VA", [("S20", "met")], 1, 1)
    ]


@pytest.mark.parametrize("role", [Role.VENUE_MANAGER, "resident"])
def test_residents_and_venue_managers_are_refused(run, tree, role):
    if role == "resident":
        from culture.accounts.services import resident_register

        user = resident_register(
            actor=None, name="居民", phone="13957100001", password="a-long-password-77",
            id_number="330105199001011233", community=tree["c11"],
        ).user  # fmt: skip
    else:
        user = staff_user(role, None)
    with pytest.raises(OutOfScope):
        selectors.run_latest(viewer=user, year=2025)
    with pytest.raises(OutOfScope):
        selectors.focus_unit(viewer=user)


def test_latest_run_of_the_year_and_history_across_years(run, tree, users, monkeypatch):
    later = evaluation_run(year=2025, trigger="again")
    assert selectors.run_latest(viewer=users["evaluator"], year=2025) == later
    assert selectors.run_latest(viewer=users["evaluator"], year=2024) is None
    evaluation_run(year=2024, trigger="test")
    history = selectors.indicator_history(
        viewer=users["district"], indicator_id="T10", unit=tree["district"]
    )
    assert [(p.year, p.run["id"], p.standing.value) for p in history] == [
        (2024, history[0].run["id"], 80.0),
        (2025, later.pk, 80.0),
    ]
    assert selectors.run_years(viewer=users["district"]) == [2024, 2025]
    # S29 has no district row: its history is the district's standing over its communities.
    history = selectors.indicator_history(
        viewer=users["district"], indicator_id="S29", unit=tree["district"]
    )
    assert [p.standing.value for p in history] == [0.75, 0.75]


def test_activity_trend_sums_each_month_under_the_unit(tree, users):
    activity(tree["c11"], start_at=datetime(2025, 3, 2, 9, tzinfo=TZ),
             end_at=datetime(2025, 3, 2, 10, tzinfo=TZ), attendance=40)  # fmt: skip
    activity(tree["c12"], start_at=datetime(2025, 3, 20, 9, tzinfo=TZ),
             end_at=datetime(2025, 3, 20, 10, tzinfo=TZ), attendance=60)  # fmt: skip
    activity(tree["c21"], start_at=datetime(2025, 5, 1, 9, tzinfo=TZ),
             end_at=datetime(2025, 5, 1, 10, tzinfo=TZ), attendance=30)  # fmt: skip
    district = selectors.activity_trend(viewer=users["district"], year=2025, unit=tree["district"])
    assert len(district) == 12
    assert district[2] == {"month": 3, "activities": 2, "attendance": 100}
    assert district[4] == {"month": 5, "activities": 1, "attendance": 30}
    mine = selectors.activity_trend(viewer=users["subdistrict"], year=2025, unit=tree["s1"])
    assert (mine[2]["activities"], mine[4]["activities"]) == (2, 0)
    with pytest.raises(OutOfScope):
        selectors.activity_trend(viewer=users["subdistrict"], year=2025, unit=tree["s2"])


def _reads(user, run, tree) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.standings(viewer=user, run=run, under=tree["district"], level="district")
        selectors.standings(viewer=user, run=run, under=tree["district"], level="subdistrict")
        selectors.venue_standings(viewer=user, run=run, unit=tree["s1"])
        selectors.indicator_history(viewer=user, indicator_id="S29", unit=tree["district"])
        selectors.activity_trend(viewer=user, year=2025, unit=tree["district"])
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_units_and_venues(run, tree, users):
    from culture.venues.tests.factories import venue

    user = users["district"]
    before = _reads(user, run, tree)
    for parent in (tree["s1"], tree["s2"]):
        for _i in range(2):  # N = 4 communities -> 2N = 8, with a venue in each new one
            c = community(parent=parent)
            venue(operator=parent, at=c)
    bigger = evaluation_run(year=2025, trigger="more")
    user = type(user).objects.get(pk=user.pk)  # a fresh user object, as in a new request
    assert bigger.result_count > run.result_count
    assert _reads(user, bigger, tree) == before


def test_results_of_a_unit_and_its_children(run, tree, users):
    rows = selectors.unit_results(viewer=users["subdistrict"], run=run, unit=tree["s1"])
    s29 = [(r.org_unit.code, r.value, r.status) for r in rows if r.indicator_id == "S29"]
    assert s29 == [(tree["c11"].code, 3.0, "met"), (tree["c12"].code, 1.0, "not_met")]
    own = selectors.unit_results(
        viewer=users["subdistrict"], run=run, unit=tree["s1"], children=False
    )
    assert {r.org_unit_id for r in own} == {tree["s1"].pk}
    assert {r.indicator_id for r in own} == {"S06", "S20", "S44", "S48", "S52", "T14"}
