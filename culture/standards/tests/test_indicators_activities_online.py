"""T01, T02 (二、（一）3: 800 online sessions and 1,000,000 online person-times a year in the
district), S13 (annex 13: 1,000,000 person-times of the district-level institutions) and S14
(annex 14: 24 thematic digital projects a year). Expected values written out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from culture.activities.services import activity_cancel
from culture.standards.tests.test_indicators_activities_support import (
    evaluate,
    make,
    report,
    row,
    verdict,
)
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db


# --- T01: online service sessions >= 800 a year ------------------------------------------------


@pytest.mark.parametrize(("sessions", "status"), [(799, "not_met"), (800, "met"), (801, "met")])
def test_t01_sessions_of_online_services_at_the_edge(tree, sessions, status):
    make(tree["c11"], "online_service", sessions=sessions, attendance=5000)
    r = row(evaluate(["T01"]), "T01", "district", tree["district"])
    assert verdict(r) == (float(sessions), 800.0, status)
    assert r.source == "computed"


def test_t01_other_online_activities_count_one_each_offline_ones_none(tree):
    # 795 sessions of one online series (district) + 5 online lectures (community) = 800.
    make(tree["district"], "online_service", sessions=795, attendance=9000)
    make(tree["c21"], "lecture", 5, online=True)
    make(tree["s1"], "lecture", 3)  # offline: not an online service
    r = row(evaluate(["T01"]), "T01", "district", tree["district"])
    assert verdict(r) == (800.0, 800.0, "met")
    assert r.parts == {"online_service_sessions": 795, "other_online": 5}


def test_t01_a_cancelled_series_no_longer_counts(tree):
    [series] = make(tree["s2"], "online_service", sessions=300)
    make(tree["s2"], "online_service", sessions=600)
    activity_cancel(actor=None, activity=series)
    r = row(evaluate(["T01"]), "T01", "district", tree["district"])
    assert verdict(r) == (600.0, 800.0, "not_met")
    assert r.gap == 200.0


def test_t01_no_online_records_is_no_data_and_a_reported_figure_takes_over(tree):
    make(tree["c11"], "lecture", 2)  # offline only
    r = row(evaluate(["T01"]), "T01", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
    report("T01", tree["district"], value=820)
    r = row(evaluate(["T01"]), "T01", "district", tree["district"])
    assert (verdict(r), r.source) == ((820.0, 800.0, "met"), "reported")


def test_t01_2023_is_not_due(tree):
    # The policy took effect on 7 Dec 2023: yearly counts are judged from 2024.
    make(tree["c11"], "online_service", sessions=900, on=date(2023, 12, 10))
    r = row(evaluate(["T01"], year=2023), "T01", "district", tree["district"])
    assert verdict(r) == (900.0, 800.0, "not_due")


# --- T02: online person-times >= 1,000,000 a year (whole district) -----------------------------


@pytest.mark.parametrize(
    ("people", "status"), [(999_999, "not_met"), (1_000_000, "met"), (1_000_001, "met")]
)
def test_t02_person_times_of_every_organiser_at_the_edge(tree, people, status):
    make(tree["district"], "online_service", sessions=10, attendance=600_000)
    make(tree["c22"], "online_service", sessions=10, attendance=people - 600_000)
    make(tree["s1"], "performance", attendance=50_000)  # offline: not counted
    r = row(evaluate(["T02"]), "T02", "district", tree["district"])
    assert verdict(r) == (float(people), 1_000_000.0, status)


def test_t02_online_activities_of_any_kind_count(tree):
    make(tree["s1"], "digital_project", attendance=400_000)  # always online
    make(tree["c12"], "performance", online=True, attendance=600_000)
    r = row(evaluate(["T02"]), "T02", "district", tree["district"])
    assert verdict(r) == (1_000_000.0, 1_000_000.0, "met")


def test_t02_no_online_records_is_no_data(tree):
    make(tree["s1"], "performance", attendance=2_000_000)
    r = row(evaluate(["T02"]), "T02", "district", tree["district"])
    assert (r.value, r.status, r.source) == (None, "no_data", "")


# --- S13: district-level institutions' online person-times >= 1,000,000 ------------------------


@pytest.fixture
def district_library(tree):
    return venue(operator=tree["district"], kind=VenueKind.LIBRARY, at=tree["c11"])


@pytest.mark.parametrize(
    ("people", "status"), [(999_999, "not_met"), (1_000_000, "met"), (1_000_001, "met")]
)
def test_s13_counts_the_district_unit_and_the_district_venues_only(
    tree, district_library, people, status
):
    # Organised by the district unit itself: 600,000.
    make(tree["district"], "online_service", sessions=5, attendance=600_000)
    # Organised by a subdistrict but held at (registered to) the district library: counts.
    make(
        tree["s1"],
        "online_service",
        sessions=5,
        venue=district_library,
        attendance=people - 600_000,
    )
    # A community's own online service, not at a district venue: only for T02.
    make(tree["c21"], "online_service", sessions=5, attendance=500_000)
    rows = evaluate(["S13", "T02"])
    assert verdict(row(rows, "S13", "district", tree["district"])) == (
        float(people),
        1_000_000.0,
        status,
    )
    assert row(rows, "T02", "district", tree["district"]).value == float(people) + 500_000


def test_s13_a_subdistrict_run_library_is_not_a_district_venue(tree):
    branch = venue(operator=tree["s2"], kind=VenueKind.LIBRARY, at=tree["c21"])
    make(tree["s2"], "online_service", sessions=5, venue=branch, attendance=1_200_000)
    r = row(evaluate(["S13"]), "S13", "district", tree["district"])
    assert verdict(r) == (0.0, 1_000_000.0, "not_met")


def test_s13_no_online_records_is_no_data(tree):
    make(tree["district"], "lecture", attendance=2_000_000)
    r = row(evaluate(["S13"]), "S13", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")


# --- S14: thematic digital projects >= 24 a year ----------------------------------------------


@pytest.mark.parametrize(("n", "status"), [(23, "not_met"), (24, "met"), (25, "met")])
def test_s14_digital_projects_at_the_edge(tree, n, status):
    make(tree["district"], "digital_project", n - 4)
    make(tree["c12"], "digital_project", 4)  # any organiser in the district counts
    make(tree["district"], "online_service", sessions=3)  # another kind: not a project
    r = row(evaluate(["S14"]), "S14", "district", tree["district"])
    assert verdict(r) == (float(n), 24.0, status)


def test_s14_no_project_recorded_is_no_data(tree):
    make(tree["district"], "online_service", sessions=3)
    r = row(evaluate(["S14"]), "S14", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
