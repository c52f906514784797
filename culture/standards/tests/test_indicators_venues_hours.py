"""Opening-hours rules (S20-S23, S25), recomputed for the evaluated year (2025, real CN calendar)
with the current named definitions. Expected values worked out by hand from the policy:

- weekly hours are those of 2025's reference week (3-9 March, no holiday);
- 2025 school holidays (default terms): 18 Jan - 16 Feb and 1 Jul - 31 Aug (92 days)."""

from __future__ import annotations

import pytest

from culture.standards.engine import current_definitions, evaluate_compute
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db
K = VenueKind


def rows(indicator: str, year: int = 2025, **definitions):
    defs = {**current_definitions(), **definitions} if definitions else None
    _ctx, out = evaluate_compute(year, only=[indicator], definitions=defs)
    return out


def at(out, v):
    [row] = [r for r in out if r.venue_id == v.pk]
    return row


def org(out, level: str, unit):
    [row] = [r for r in out if r.level == level and r.org_unit_id == unit.pk and not r.venue_id]
    return row


def sv(row):
    return row.status, row.value


# S20 / S21: weekly hours by tier.


@pytest.mark.parametrize(
    "kind,hours,expected",
    [
        (K.LIBRARY, "Mo-Fr 09:00-20:59", ("not_met", 59.92, 60.0)),  # 5 x 11h59m
        (K.LIBRARY, "Mo-Fr 09:00-21:00", ("met", 60.0, 60.0)),
        (K.LIBRARY, "Mo-Fr 09:00-21:06", ("met", 60.5, 60.0)),
        (K.BRANCH_LIBRARY, "Mo-Sa 09:00-16:55", ("not_met", 47.5, 48.0)),
        (K.BRANCH_LIBRARY, "Mo-Sa 09:00-17:00", ("met", 48.0, 48.0)),
        (K.READING_ROOM, "Mo-Fr 09:00-16:54", ("not_met", 39.5, 40.0)),
        (K.READING_ROOM, "Mo-Fr 09:00-17:00", ("met", 40.0, 40.0)),
        (K.READING_ROOM, "Mo-Fr 09:00-17:30", ("met", 42.5, 40.0)),
    ],
)
def test_s20_weekly_hours_by_library_tier(tree, kind, hours, expected):
    v = venue(operator=tree["district"], kind=kind, at=tree["c11"], opening_hours=hours)
    row = at(rows("S20"), v)
    assert (row.status, row.value, row.target) == expected
    assert row.tier == kind


def test_s21_weekly_hours_by_culture_tier_and_roll_up(tree):
    cc = venue(
        operator=tree["district"],
        kind=K.CULTURE_CENTRE,
        at=tree["c11"],
        opening_hours="Tu-Su 09:00-19:00",  # 6 x 10 = 60: at
    )
    station = venue(
        operator=tree["s1"],
        kind=K.CULTURE_STATION,
        at=tree["c12"],
        opening_hours="Mo-Fr 08:30-18:00",
    )  # 5 x 9.5 = 47.5: below 48
    centre = venue(operator=tree["c21"], kind=K.COMMUNITY_CENTRE, opening_hours="Mo-Sa 09:00-16:00")
    bare = venue(operator=tree["c22"], kind=K.COMMUNITY_CENTRE)  # no opening hours
    out = rows("S21")
    assert (sv(at(out, cc)), at(out, cc).target) == (("met", 60.0), 60.0)
    assert (sv(at(out, station)), at(out, station).target) == (("not_met", 47.5), 48.0)
    assert (sv(at(out, centre)), at(out, centre).target) == (("met", 42.0), 40.0)
    assert sv(at(out, bare)) == ("no_data", None)
    assert sv(org(out, "subdistrict", tree["s1"])) == ("not_met", 0.5)
    assert sv(org(out, "community", tree["c21"])) == ("met", 1.0)
    assert sv(org(out, "community", tree["c22"])) == ("no_data", None)


def test_no_venue_records_is_no_data_or_nothing_to_judge(tree):
    out = rows("S20")
    assert not [r for r in out if r.level == "venue"]
    assert org(out, "district", tree["district"]).status == "not_applicable"


# S23: off-peak share >= 1/3, with the current window.


@pytest.mark.parametrize(
    "hours,status,value",
    [
        # 3-7 March 2025 only (working days): off-peak = time after 17:00.
        ("2025 Mar 03-07 09:00-20:55", "not_met", 235 / 715),  # 3h55 of 11h55 each day
        ("2025 Mar 03-07 09:00-21:00", "met", 1 / 3),  # 4h of 12h: exactly a third
        ("2025 Mar 03-07 09:00-21:05", "met", 245 / 725),
    ],
)
def test_s23_offpeak_share_edges(tree, hours, status, value):
    v = venue(operator=tree["district"], kind=K.CITY_BOOKROOM, at=tree["c11"], opening_hours=hours)
    row = at(rows("S23"), v)
    assert row.status == status
    assert row.value == pytest.approx(value, abs=1e-12)


def test_s23_uses_the_current_offpeak_definition(tree):
    v = venue(
        operator=tree["district"],
        kind=K.LIBRARY,
        at=tree["c11"],
        opening_hours="2025 Mar 03-07 09:00-21:00",
    )
    row = at(rows("S23", offpeak_end="18:00"), v)  # now 3h of 12h off-peak
    assert (row.status, row.value) == ("not_met", 0.25)
    assert row.parts["offpeak_hours"] == 15.0
    venue(operator=tree["c21"], kind=K.READING_ROOM, opening_hours="24/7")  # not in S23
    assert len([r for r in rows("S23") if r.level == "venue"]) == 1


# S22: off-peak, evening, rest days and school holidays.


def test_s22_every_day_with_evenings_meets_it(tree):
    v = venue(operator=tree["c11"], kind=K.COMMUNITY_CENTRE, opening_hours="Mo-Su 09:00-21:00")
    row = at(rows("S22"), v)
    assert sv(row) == ("met", 1.0)
    assert (row.parts["rest_day_mean"], row.parts["working_day_mean"]) == (12.0, 12.0)  # at


def test_s22_rest_days_just_shorter_or_longer_than_working_days(tree):
    shorter = venue(
        operator=tree["c11"],
        kind=K.COMMUNITY_CENTRE,
        opening_hours="Mo-Su 09:00-21:00; Sa,Su,PH 09:00-20:59",
    )
    longer = venue(
        operator=tree["c12"],
        kind=K.COMMUNITY_CENTRE,
        opening_hours="Mo-Su 09:00-21:00; Sa,Su 09:00-21:01",
    )
    out = rows("S22")
    assert sv(at(out, shorter)) == ("not_met", 0.0)
    assert at(out, shorter).parts["rest_days_not_shorter"] is False
    assert sv(at(out, longer)) == ("met", 1.0)


def test_s22_failures_no_evening_no_weekend_shorter_summer(tree):
    no_evening = venue(
        operator=tree["c11"], kind=K.COMMUNITY_CENTRE, opening_hours="Mo-Su 09:00-17:00"
    )
    weekdays = venue(
        operator=tree["c12"], kind=K.COMMUNITY_CENTRE, opening_hours="Mo-Fr 09:00-21:00"
    )
    summer = venue(
        operator=tree["c21"],
        kind=K.COMMUNITY_CENTRE,
        opening_hours="Mo-Su 09:00-21:00; Jul 01-Aug 31 09:00-17:00",
    )
    out = rows("S22")
    assert (sv(at(out, no_evening)), at(out, no_evening).parts["evening"]) == (
        ("not_met", 0.0),
        False,
    )
    assert at(out, weekdays).parts["rest_days_not_shorter"] is False
    assert at(out, summer).parts["school_holidays_not_shorter"] is False
    assert sv(at(out, summer)) == ("not_met", 0.0)


def test_s22_museum_without_evenings_and_unknown_school_terms(tree):
    museum = venue(
        operator=tree["district"],
        kind=K.MUSEUM,
        at=tree["c11"],
        opening_hours="Tu-Su 09:00-17:00; PH 09:00-17:00",
    )
    assert sv(at(rows("S22"), museum)) == ("met", 1.0)  # evening service by projects (annex 23)
    # No school term for the year: the school-holiday check is unknown -> no data.
    row = at(rows("S22", school_terms=[]), museum)
    assert sv(row) == ("no_data", None)
    assert row.parts["school_holidays_not_shorter"] is None


def test_s22_evening_follows_the_current_window(tree):
    v = venue(operator=tree["c11"], kind=K.COMMUNITY_CENTRE, opening_hours="Mo-Su 09:00-21:00")
    row = at(rows("S22", offpeak_end="21:00"), v)
    assert (sv(row), row.parts["evening"]) == (("not_met", 0.0), False)


# S25: public sports facilities.

SPORTS_70 = "Mo-Fr 09:00-{end}; Sa,Su,PH 06:00-21:00; Jan 18-Feb 16,Jul 01-Aug 31 06:00-22:00"


@pytest.mark.parametrize(
    "end,status,weekly",
    [("16:59", "not_met", 69.92), ("17:00", "met", 70.0), ("17:06", "met", 70.5)],
)
def test_s25_weekly_hours_edges(tree, end, status, weekly):
    v = venue(operator=tree["c11"], kind=K.SPORTS_GROUND, opening_hours=SPORTS_70.format(end=end))
    row = at(rows("S25"), v)
    assert (row.status, row.parts["weekly_hours"]) == (status, weekly)
    assert row.parts["school_holiday_mean"] == 16.0


@pytest.mark.parametrize(
    "closed_to,status,days",
    [("Feb 05", "not_met", 329), ("Feb 04", "met", 330), ("Feb 03", "met", 331)],
)
def test_s25_days_open_edges(tree, closed_to, status, days):
    hours = f"Mo-Su 06:00-22:00; Jan 01-{closed_to} off"
    v = venue(operator=tree["c11"], kind=K.PUBLIC_GYM, opening_hours=hours)
    row = at(rows("S25"), v)
    assert (row.status, row.parts["days_open"]) == (status, days)


@pytest.mark.parametrize(
    "hours,status,mean",
    [
        ("Mo-Su 07:00-18:59", "not_met", 11.98),
        ("Mo-Su 07:00-19:00", "met", 12.0),
        ("Mo-Su 07:00-19:01", "met", 12.02),
    ],
)
def test_s25_rest_day_and_school_holiday_hours_edges(tree, hours, status, mean):
    v = venue(operator=tree["c11"], kind=K.SPORTS_COURT, opening_hours=hours)
    row = at(rows("S25"), v)
    assert (row.status, row.parts["rest_day_mean"], row.parts["school_holiday_mean"]) == (
        status,
        mean,
        mean,
    )


def test_s25_fees_and_free_days(tree):
    every_day = "Mo-Su 06:00-22:00"
    low = dict(fee_policy="low", ticket_price="10", market_price="20", opening_hours=every_day)
    both = venue(
        operator=tree["c11"],
        kind=K.SPORTS_CENTRE,
        free_days=["statutory_holidays", "fitness_day"],
        **low,
    )
    no_fitness_day = venue(
        operator=tree["c12"], kind=K.SPORTS_CENTRE, free_days=["statutory_holidays"], **low
    )
    paid = venue(
        operator=tree["c21"],
        kind=K.GYM,
        fee_policy="paid",
        ticket_price="30",
        free_days=["statutory_holidays", "fitness_day"],
        opening_hours=every_day,
    )
    school = venue(operator=tree["c22"], kind=K.SCHOOL_GROUND, opening_hours=every_day)
    out = rows("S25")
    assert sv(at(out, both)) == ("met", 1.0)
    assert at(out, no_fitness_day).parts["free_on_holidays"] is False
    assert sv(at(out, no_fitness_day)) == ("not_met", 0.0)
    assert at(out, paid).parts["free_or_low_fee"] is False
    assert not [r for r in out if r.venue_id == school.pk]  # annex 26 judges school grounds
    assert sv(org(out, "subdistrict", tree["s1"])) == ("not_met", 0.5)
    # Unknown school holidays: no verdict for a facility passing everything else.
    assert sv(at(rows("S25", school_terms=[]), both)) == ("no_data", None)
