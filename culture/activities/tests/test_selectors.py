from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.activities.selectors import KindTotals, activity_counts
from culture.activities.services import activity_cancel
from culture.activities.tests.factories import activity, local
from culture.core.errors import OutOfScope, ValidationFailed
from culture.org.tests.factories import community

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_data(tree):
    c11, c12, c21 = tree["c11"], tree["c12"], tree["c21"]
    # 2025, counted:
    activity(
        c11,
        kind="lecture",
        attendance=40,
        start_at=local(2025, 1, 1, 0, 0),
        end_at=local(2025, 1, 1, 2),
    )  # first minute of the year (local time)
    activity(c11, kind="lecture", attendance=60)
    activity(c12, kind="lecture", attendance=25)
    activity(c11, kind="online_service", sessions=4, attendance=1000)
    activity(c21, kind="books_to_grassroots", books_count=300, attendance=0)
    activity(tree["s1"], kind="performance_delivered", attendance=500)
    activity(tree["district"], kind="exhibition", attendance=2000)
    # not counted: cancelled, other years (local time: 2024-12-31 23:30 is 2024)
    cancelled = activity(c12, kind="lecture", attendance=99, title="取消的")
    activity_cancel(actor=None, activity=cancelled)
    activity(
        c11,
        kind="lecture",
        attendance=7,
        start_at=local(2024, 12, 31, 23, 30),
        end_at=local(2025, 1, 1, 1),
    )
    activity(
        c21,
        kind="lecture",
        attendance=8,
        start_at=local(2026, 1, 1, 0, 0),
        end_at=local(2026, 1, 1, 1),
    )
    return tree


def test_counts_per_subdistrict(year_data, users):
    t = year_data
    result = activity_counts(viewer=users["district"], year=2025, level="subdistrict")
    assert result == {
        t["s1"].code: {
            "lecture": KindTotals(count=3, person_times=125),
            "online_service": KindTotals(count=1, person_times=1000, sessions=4),
            "performance_delivered": KindTotals(count=1, person_times=500),
        },
        t["s2"].code: {"books_to_grassroots": KindTotals(count=1, person_times=0, books=300)},
    }


def test_counts_per_community_and_district(year_data, users):
    t = year_data
    communities = activity_counts(viewer=users["district"], year=2025, level="community")
    assert communities[t["c11"].code]["lecture"] == KindTotals(count=2, person_times=100)
    assert communities[t["c12"].code] == {"lecture": KindTotals(count=1, person_times=25)}
    assert set(communities) == {t["c11"].code, t["c12"].code, t["c21"].code}
    district = activity_counts(viewer=users["district"], year=2025, level="district")
    assert district == {
        "330105": {
            "lecture": KindTotals(count=3, person_times=125),
            "online_service": KindTotals(count=1, person_times=1000, sessions=4),
            "performance_delivered": KindTotals(count=1, person_times=500),
            "books_to_grassroots": KindTotals(count=1, person_times=0, books=300),
            "exhibition": KindTotals(count=1, person_times=2000),
        }
    }


def test_counts_are_scoped(year_data, users):
    t = year_data
    sub = activity_counts(viewer=users["subdistrict"], year=2025, level="subdistrict")
    assert set(sub) == {t["s1"].code}
    com = activity_counts(viewer=users["community"], year=2025, level="community")
    assert com == {
        t["c11"].code: {
            "lecture": KindTotals(count=2, person_times=100),
            "online_service": KindTotals(count=1, person_times=1000, sessions=4),
        }
    }
    assert activity_counts(viewer=users["community"], year=2024, level="community") == {
        t["c11"].code: {"lecture": KindTotals(count=1, person_times=7)}
    }
    with pytest.raises(OutOfScope):
        activity_counts(viewer=None, year=2025, level="community")
    with pytest.raises(ValidationFailed):
        activity_counts(viewer=users["district"], year=2025, level="street")


def test_counts_take_one_query_however_many_units(tree, users):
    def run() -> int:
        with CaptureQueriesContext(connection) as ctx:
            activity_counts(viewer=users["district"], year=2025, level="community")
        return len(ctx.captured_queries)

    activity(tree["c11"], kind="lecture")
    run()  # the viewer's scope is computed once per user object
    few = run()
    for i in range(6):
        unit = community(parent=tree["s2"])
        activity(unit, kind="exhibition", title=f"展{i}")
        activity(unit, kind="lecture", title=f"讲{i}")
    many = run()
    assert few == many == 1
    assert len(activity_counts(viewer=users["district"], year=2025, level="community")) == 7
