"""S29 at community level: at least two performances (文艺赋美演出) every week (annex 29), and
the per-week rule it rests on: which weeks are judged, and how a week is counted."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from culture.standards.calculators import Context
from culture.standards.calculators.activities import counts
from culture.standards.calculators.activities.base import judged_weeks
from culture.standards.engine import build_context
from culture.standards.tests.test_indicators_activities_support import (
    evaluate,
    make,
    row,
    verdict,
)

FIRST_MONDAY_2025 = date(2025, 1, 6)  # 1 January 2025 is a Wednesday
LAST_MONDAY_2025 = date(2025, 12, 29)


def _ctx(year: int, as_of: date) -> Context:
    return Context(year=year, definitions={}, unit_rows={}, as_of=as_of)


# --- Which weeks are judged (no database) -------------------------------------------------------


def test_a_past_year_judges_every_week_whose_monday_is_in_it():
    weeks = judged_weeks(_ctx(2025, date(2025, 12, 31)))
    # Mondays 6 Jan .. 29 Dec 2025: 52 weeks; 1-5 Jan 2025 belong to the week of 30 Dec 2024.
    assert (len(weeks), weeks[0], weeks[-1]) == (52, FIRST_MONDAY_2025, LAST_MONDAY_2025)
    assert all(w.weekday() == 0 for w in weeks)


def test_within_the_year_only_weeks_ended_by_the_day_counted():
    # Sunday 16 March 2025 ends the week of Monday 10 March: 10 weeks judged.
    weeks = judged_weeks(_ctx(2025, date(2025, 3, 16)))
    assert (len(weeks), weeks[-1]) == (10, date(2025, 3, 10))
    # On Saturday 15 March that week is still running: 9 weeks.
    assert len(judged_weeks(_ctx(2025, date(2025, 3, 15)))) == 9
    # 2026 starts on a Thursday: nothing judged before Sunday 11 January.
    assert judged_weeks(_ctx(2026, date(2026, 1, 10))) == []
    assert judged_weeks(_ctx(2026, date(2026, 1, 11))) == [date(2026, 1, 5)]


# --- The rule on records -----------------------------------------------------------------------


def _weekly(unit, per_week: int, *, skip: date | None = None, weeks=52) -> None:
    """``per_week`` performances on Tuesday to Thursday of every week from 6 Jan 2025 (one
    fewer in the week of Monday ``skip``)."""
    for i in range(weeks):
        monday = FIRST_MONDAY_2025 + timedelta(weeks=i)
        n = per_week - (1 if monday == skip else 0)
        if n:
            make(unit, "performance", n, on=monday + timedelta(days=1))


@pytest.mark.django_db
def test_s29_every_week_two_performances_per_community(tree):
    # c11: two every week; its last week's second show is on 2 Jan 2026 (the week of 29 Dec
    # belongs to 2025 and is judged whole once the year is over).
    _weekly(tree["c11"], 2, weeks=51)
    make(tree["c11"], "performance", on=date(2025, 12, 30))
    make(tree["c11"], "performance", on=date(2026, 1, 2))
    # c12: two every week but only one in the week of 10 March; a mass activity that week and a
    # show on 3 Jan 2025 (a 2024 week) do not help.
    _weekly(tree["c12"], 2, skip=date(2025, 3, 10))
    make(tree["c12"], "mass_activity", on=date(2025, 3, 12))
    make(tree["c12"], "performance", on=date(2025, 1, 3))
    # c21: three every week. c22: none, though its subdistrict gives shows (not the community's).
    _weekly(tree["c21"], 3)
    make(tree["s2"], "performance", 10)
    rows = evaluate(["S29"])

    c11 = row(rows, "S29", "community", tree["c11"])
    assert verdict(c11) == (2.0, 2.0, "met")
    assert (c11.parts["weeks_judged"], c11.parts["weeks_met"], c11.parts["short_weeks"]) == (
        52,
        52,
        [],
    )
    c12 = row(rows, "S29", "community", tree["c12"])
    assert verdict(c12) == (1.0, 2.0, "not_met")
    assert (c12.parts["weeks_met"], c12.parts["short_weeks"]) == (51, ["2025-03-10"])
    assert c12.gap == 1.0
    c21 = row(rows, "S29", "community", tree["c21"])
    assert verdict(c21) == (3.0, 2.0, "met")
    assert c21.parts["total"] == 156
    c22 = row(rows, "S29", "community", tree["c22"])
    assert verdict(c22) == (0.0, 2.0, "not_met")
    assert c22.parts["weeks_met"] == 0


@pytest.mark.django_db
def test_s29_within_the_year_judges_the_weeks_so_far(tree):
    # Two a week up to the week of 10 March, then nothing: met as of Sunday 16 March, not met
    # as of Sunday 23 March (the week of 17 March had none).
    _weekly(tree["c11"], 2, weeks=10)
    ctx = build_context(2025)
    mid_march = counts.mass_activities(
        dataclasses.replace(ctx, as_of=date(2025, 3, 16)), "community"
    )
    assert (mid_march[tree["c11"].pk].value, mid_march[tree["c11"].pk].passed) == (2.0, True)
    later = counts.mass_activities(dataclasses.replace(ctx, as_of=date(2025, 3, 23)), "community")
    assert (later[tree["c11"].pk].value, later[tree["c11"].pk].passed) == (0.0, False)
    assert later[tree["c11"].pk].parts["short_weeks"] == ["2025-03-17"]


@pytest.mark.django_db
def test_s29_community_2023_is_not_due(tree):
    make(tree["c11"], "performance", on=date(2023, 12, 12))
    r = row(evaluate(["S29"], year=2023), "S29", "community", tree["c11"])
    assert verdict(r) == (0.0, 2.0, "not_due")
