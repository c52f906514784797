"""The checklist item by item, at its edges: distance exactly at the radius, two spaces, signage
and board, off-peak and holiday opening, fees, online onboarding, the demand channel, and an
offline activity in each of the last four seven-day weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.activities.services import activity_cancel
from culture.activities.tests.factories import activity
from culture.circles.checklist import (
    check_circle,
    check_circles,
    holiday_open_days,
    offpeak_week_hours,
)
from culture.circles.models import Circle
from culture.circles.registry import circle_create, circle_update
from culture.circles.tests.circle_data import (
    GOOD,
    complete_circle,
    distance_from,
    local,
    place,
    with_centroids,
)
from culture.org.models import OrgUnit
from culture.venues.models import Venue, VenueKind
from culture.venues.services import venue_update

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 10)  # a Wednesday


@pytest.fixture
def c11(tree):
    with_centroids()
    return tree["c11"]


@pytest.fixture
def c12(tree):
    """The second of four 0.02-degree squares side by side: 1,500 m east and west of its centre
    stay inside the district (north and south do not: the squares are 2.2 km tall)."""
    with_centroids()
    return tree["c12"]


def items(circle: Circle, today: date = TODAY) -> dict[str, tuple[bool, str]]:
    fresh = Circle.objects.get(pk=circle.pk)  # as a page loads it
    return {i.key: (i.passed, i.reason) for i in check_circle(fresh, today=today).items}


def test_a_complete_circle_passes_every_item(c11):
    circle = complete_circle(c11, today=TODAY)
    result = check_circle(circle, today=TODAY)
    assert [i.key for i in result.items] == [
        "venue", "spaces", "signage", "hours", "fees", "booking", "demand", "weekly",
    ]  # fmt: skip
    assert result.passed and result.missing == []
    assert result.centre is not None and result.centre.source == "centroid"
    assert items(circle)["spaces"] == (True, "2 处：样板城市书房 300 米、样板文化驿站 400 米")
    assert items(circle)["weekly"] == (True, "近 4 周每周都有线下活动（共 4 场）")


@pytest.mark.parametrize("metres,within", [(1499.999, True), (1500.0, True), (1500.001, False)])
def test_the_essential_venue_at_the_radius(c12, metres, within):
    v = place(c12, kind=VenueKind.COMMUNITY_CENTRE, east=-metres, exact=True, **GOOD)
    assert distance_from(c12, v) <= metres
    assert distance_from(c12, v) == pytest.approx(metres, abs=1e-6)
    circle = circle_create(actor=None, community=c12, essential_venue=v)
    passed, reason = items(circle)["venue"]
    assert passed is within
    if not within:
        assert reason == f"{v.name_zh} 距圈中心 1,500 米，超出 1,500 米"


def test_a_space_at_the_radius_counts_and_just_beyond_does_not(c12):
    a = place(c12, kind=VenueKind.CITY_BOOKROOM, east=1500.0, exact=True)
    b = place(c12, kind=VenueKind.CULTURE_POST, east=-1500.0, exact=True)
    # 1,500.001 m to the north-west (north 750.0005 m: inside the square)
    c = place(c12, kind=VenueKind.READING_ROOM, east=-1500.001 * 3**0.5 / 2, north=750.0005,
              exact=True, name_zh="远处阅览室")  # fmt: skip
    assert distance_from(c12, c) > 1500.0
    circle = circle_create(actor=None, community=c12, spaces=[a, b, c])
    passed, reason = items(circle)["spaces"]
    assert passed and reason.startswith("2 处：")
    circle_update(actor=None, circle=circle, spaces=[a, c])
    assert items(circle)["spaces"] == (
        False,
        "符合条件的只有 1 处，至少需要 2 处（远处阅览室 距圈中心 1,500 米，超出范围）",
    )


def test_the_essential_venue_must_be_set_open_and_of_a_venue_kind(c11):
    circle = circle_create(actor=None, community=c11)
    assert items(circle)["venue"] == (False, "尚未指定必备公共文化场馆")
    v = place(c11, kind=VenueKind.COMMUNITY_CENTRE, east=10, name_zh="关门的家园")
    circle_update(actor=None, circle=circle, essential_venue=v)
    venue_update(actor=None, venue=v, status="closed")
    assert items(circle)["venue"] == (False, "关门的家园 未开放")
    Venue.objects.filter(pk=v.pk).update(status="open", kind=VenueKind.CITY_BOOKROOM)
    passed, reason = items(circle)["venue"]
    assert not passed and reason == "关门的家园（城市书房）不属于公共文化场馆类型"


def test_closed_spaces_do_not_count(c11):
    circle = complete_circle(c11, today=TODAY)
    space = circle.spaces.order_by("code").first()
    venue_update(actor=None, venue=space, status="closed")
    passed, reason = items(circle)["spaces"]
    assert not passed and reason.endswith(f"（{space.name_zh} 未开放）")


def test_signage_of_every_facility_and_the_board(c11):
    circle = complete_circle(c11, today=TODAY)
    space = circle.spaces.order_by("code").first()
    venue_update(actor=None, venue=space, has_signage=False)
    assert items(circle)["signage"] == (False, f"无统一标识：{space.name_zh}")
    circle_update(actor=None, circle=circle, has_information_board=False)  # fmt: skip
    assert items(circle)["signage"] == (False, f"无统一标识：{space.name_zh}；未设信息公示栏")


def test_holiday_days_counted_from_the_cn_calendar():
    """2026 has 22 public-holiday days in the CN calendar (including the swapped days off);
    three fall on a weekend (Sun 5 April, Sat 2 May, Sat 3 October). The opening-hours parser's
    own ``PH`` is the one statutory day of each festival: 1 Jan, 17 Feb, 1 May, 19 Jun, 25 Sep,
    1 Oct, so "PH off" closes 6 of the 22 days."""
    assert holiday_open_days("Sa,Su 09:00-17:00", 2026) == (3, 22)
    assert holiday_open_days("Mo-Fr 09:00-17:00", 2026) == (19, 22)
    assert holiday_open_days("Mo-Su 09:00-21:00; PH off", 2026) == (16, 22)
    assert holiday_open_days("Mo-Su 09:00-21:00; Jan-Dec off", 2026) == (0, 22)
    assert holiday_open_days("24/7", 2026) == (22, 22)


def test_off_peak_hours_of_an_ordinary_week():
    """Off-peak: outside 09:00-17:00 on a working day, all day at weekends."""
    assert offpeak_week_hours("Mo-Fr 09:00-17:00", 2026) == 0
    assert offpeak_week_hours("Mo-Fr 08:30-17:00", 2026) == pytest.approx(2.5)
    assert offpeak_week_hours("Mo-Fr 09:00-17:00; Sa 10:00-12:00", 2026) == pytest.approx(2.0)


@pytest.mark.parametrize(
    "hours,passed,reason",
    [
        ("Mo-Su 08:30-20:30", True, None),
        ("", False, "{name} 未填写开放时间"),
        ("Mo-Fr 09:00-17:00", False, "{name} 平常周没有错时开放时段（工作日核心时段以外或双休日）"),
        ("Mo-Su 08:00-20:00; PH off", True, None),
        ("Sa,Su 09:00-17:00", False, "{name} 节假日基本不开放（2026年法定节假日 22 天中开放 3 天）"),
    ],
)  # fmt: skip
def test_off_peak_and_holiday_opening(c11, hours, passed, reason):
    circle = complete_circle(c11, today=TODAY)
    v = circle.essential_venue
    venue_update(actor=None, venue=v, opening_hours=hours)
    got = items(circle)["hours"]
    assert got[0] is passed
    if reason:
        assert got[1] == reason.format(name=v.name_zh)


def test_free_or_low_fee(c11):
    circle = complete_circle(c11, today=TODAY)
    v = circle.essential_venue
    venue_update(actor=None, venue=v, fee_policy="low", ticket_price=10, market_price=20)
    assert items(circle)["fees"][0] is True
    venue_update(actor=None, venue=v, fee_policy="paid", ticket_price=30, market_price=None)
    assert items(circle)["fees"] == (False, f"收费（非免费、非低收费）：{v.name_zh}")


def test_online_booking_stands_for_platform_onboarding(c11):
    circle = complete_circle(c11, today=TODAY)
    v = circle.essential_venue
    venue_update(actor=None, venue=v, on_culture_cloud=False, on_zheli_platform=True)
    assert items(circle)["booking"][0] is True
    venue_update(actor=None, venue=v, on_zheli_platform=False)
    passed, reason = items(circle)["booking"]
    assert not passed and reason.endswith(f"：{v.name_zh}")


def test_demand_channel(c11):
    circle = complete_circle(c11, today=TODAY, has_demand_channel=False)
    assert items(circle)["demand"] == (False, "尚未开通活动报名与需求征集渠道")


def test_weekly_activity_windows_end_today(c11):
    """Four seven-day weeks ending Wednesday 10 June 2026: 4-10 June, 28 May-3 June,
    21-27 May and 14-20 May."""
    circle = circle_create(actor=None, community=c11)
    other = OrgUnit.objects.get(code="330105002001")
    for day in (date(2026, 6, 10), date(2026, 6, 3), date(2026, 5, 27)):
        activity(c11, start_at=local(day, 20), end_at=local(day, 21), kind="lecture")
    # Not counted: online, cancelled, another organiser at no circle venue, too early, tomorrow.
    activity(c11, start_at=local(date(2026, 5, 20)), end_at=local(date(2026, 5, 20), 11),
             kind="lecture", online=True)  # fmt: skip
    cancelled = activity(c11, start_at=local(date(2026, 5, 19)),
                         end_at=local(date(2026, 5, 19), 11), kind="lecture")  # fmt: skip
    activity_cancel(actor=None, activity=cancelled)
    activity(other, start_at=local(date(2026, 5, 18)), end_at=local(date(2026, 5, 18), 11),
             kind="lecture")  # fmt: skip
    activity(c11, start_at=local(date(2026, 5, 13)), end_at=local(date(2026, 5, 13), 11),
             kind="lecture")  # fmt: skip
    activity(c11, start_at=local(date(2026, 6, 11), 0), end_at=local(date(2026, 6, 11), 1),
             kind="lecture")  # fmt: skip
    result = check_circle(circle, today=TODAY)
    assert [(a, b, n) for a, b, n in result.week_counts] == [
        (date(2026, 6, 4), date(2026, 6, 10), 1),
        (date(2026, 5, 28), date(2026, 6, 3), 1),
        (date(2026, 5, 21), date(2026, 5, 27), 1),
        (date(2026, 5, 14), date(2026, 5, 20), 0),
    ]
    assert items(circle)["weekly"] == (False, "近 4 周中有 1 周没有线下活动：05-14–05-20")
    activity(c11, start_at=local(date(2026, 5, 14), 0), end_at=local(date(2026, 5, 14), 1),
             kind="lecture")  # fmt: skip
    assert items(circle)["weekly"] == (True, "近 4 周每周都有线下活动（共 4 场）")


def test_activities_at_a_circle_venue_count_whoever_organises_them(c11, tree):
    v = place(c11, kind=VenueKind.CITY_BOOKROOM, east=50, operator=tree["s1"])
    circle = circle_create(actor=None, community=c11, spaces=[v])
    for k in range(4):
        day = TODAY - timedelta(days=7 * k)
        activity(tree["s1"], venue=v, start_at=local(day), end_at=local(day, 11), kind="lecture")
    assert items(circle)["weekly"][0] is True


def test_many_circles_in_a_fixed_number_of_queries(tree):
    with_centroids()
    circles = [complete_circle(tree[u], today=TODAY) for u in ("c11", "c12")]

    def count(objs):
        fresh = list(Circle.objects.filter(pk__in=[c.pk for c in objs]))
        with CaptureQueriesContext(connection) as ctx:
            check_circles(fresh, today=TODAY)
        return len(ctx.captured_queries)

    assert count(circles[:1]) == count(circles)
