"""T10 (100 training classes a year), T11 (the named canal series held each year), T12 (一街一品
in every subdistrict), T17 (special groups, information only) and S29 at district (24 a year)
and subdistrict (12 a year) level. Expected values written out by hand from the policy."""

from __future__ import annotations

from datetime import date

import pytest

from culture.standards.tests.test_indicators_activities_support import (
    evaluate,
    make,
    row,
    verdict,
)

pytestmark = pytest.mark.django_db


# --- T10: arts training classes >= 100 a year -------------------------------------------------


@pytest.mark.parametrize(("n", "status"), [(99, "not_met"), (100, "met"), (101, "met")])
def test_t10_training_classes_at_the_edge(tree, n, status):
    make(tree["district"], "training_class", n - 30)
    make(tree["c11"], "training_class", 30)  # every organiser in the district counts
    make(tree["c11"], "lecture", 5)  # not a training class
    r = row(evaluate(["T10"]), "T10", "district", tree["district"])
    assert verdict(r) == (float(n), 100.0, status)
    assert r.parts == {"training_classes": n}


def test_t10_no_training_class_recorded_is_no_data_and_2023_is_not_due(tree):
    make(tree["c11"], "lecture", 5)
    r = row(evaluate(["T10"]), "T10", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")
    make(tree["c11"], "training_class", 120, on=date(2023, 9, 1))
    r = row(evaluate(["T10"], year=2023), "T10", "district", tree["district"])
    assert verdict(r) == (120.0, 100.0, "not_due")


def test_t10_activities_of_another_year_do_not_count(tree):
    make(tree["c11"], "training_class", 100, on=date(2024, 9, 1))  # up to 9 Dec 2024
    make(tree["c11"], "training_class", 1, on=date(2025, 1, 1))
    r = row(evaluate(["T10"]), "T10", "district", tree["district"])
    assert verdict(r) == (1.0, 100.0, "not_met")


# --- T11: the three named canal series held every year ----------------------------------------


def test_t11_two_of_the_three_series_is_not_met(tree):
    make(tree["district"], "performance", brand="canal_four_seasons")
    make(tree["s1"], "mass_activity", 4, brand="community_culture_month")
    make(tree["s2"], "mass_activity", brand="spark_arts")  # not one of the named three
    r = row(evaluate(["T11"]), "T11", "district", tree["district"])
    assert verdict(r) == (2.0, 3.0, "not_met")
    assert r.parts["activities"] == {
        "canal_four_seasons": 1,
        "canal_culture_festival": 0,
        "community_culture_month": 4,
    }


def test_t11_all_three_series_held_is_met_more_events_change_nothing(tree):
    make(tree["district"], "performance", brand="canal_four_seasons")
    make(tree["district"], "mass_activity", brand="canal_culture_festival")
    make(tree["c22"], "mass_activity", brand="community_culture_month")
    r = row(evaluate(["T11"]), "T11", "district", tree["district"])
    assert verdict(r) == (3.0, 3.0, "met")
    make(tree["district"], "performance", 3, brand="canal_four_seasons")
    r = row(evaluate(["T11"]), "T11", "district", tree["district"])
    assert verdict(r) == (3.0, 3.0, "met")


def test_t11_no_activity_at_all_is_no_data(tree):
    r = row(evaluate(["T11"]), "T11", "district", tree["district"])
    assert (r.value, r.status) == (None, "no_data")


# --- T12: one 一街一品 brand activity per subdistrict -------------------------------------------


def test_t12_each_subdistrict_needs_one_signature_activity(tree):
    make(tree["c11"], "mass_activity", is_signature=True)  # a community counts for s1
    make(tree["s2"], "mass_activity", 3)  # s2: activities, none flagged
    rows = evaluate(["T12"])
    assert verdict(row(rows, "T12", "subdistrict", tree["s1"])) == (1.0, 1.0, "met")
    assert verdict(row(rows, "T12", "subdistrict", tree["s2"])) == (0.0, 1.0, "not_met")
    make(tree["s2"], "performance", 2, is_signature=True)
    rows = evaluate(["T12"])
    assert verdict(row(rows, "T12", "subdistrict", tree["s2"])) == (2.0, 1.0, "met")


def test_t12_no_activity_at_all_is_no_data(tree):
    rows = evaluate(["T12"])
    assert row(rows, "T12", "subdistrict", tree["s1"]).status == "no_data"


# --- T17: special groups, information only -----------------------------------------------------


def test_t17_shares_per_group_at_each_level(tree):
    make(tree["c11"], "mass_activity", 2, for_elderly=True)
    make(tree["c11"], "lecture", 1, for_elderly=True, for_minors=True)
    make(tree["c11"], "performance", 1)
    make(tree["s2"], "performance", 4, for_servicemen=True)
    rows = evaluate(["T17"])
    c11 = row(rows, "T17", "community", tree["c11"])
    # c11: 4 activities; elderly 3 (75 %), minors 1 (25 %): two groups reached.
    assert (c11.value, c11.target, c11.status) == (2.0, None, "info")
    assert c11.parts["activities"] == 4
    assert c11.parts["groups"]["for_elderly"] == {"activities": 3, "share": 0.75}
    assert c11.parts["groups"]["for_minors"] == {"activities": 1, "share": 0.25}
    assert c11.parts["groups"]["for_disabled"] == {"activities": 0, "share": 0.0}
    # The district: 8 activities, elderly 3, minors 1, servicemen 4: three groups.
    d = row(rows, "T17", "district", tree["district"])
    assert (d.value, d.status, d.parts["activities"]) == (3.0, "info", 8)
    assert d.parts["groups"]["for_servicemen"] == {"activities": 4, "share": 0.5}
    # A community with no activity: no share, still information.
    c22 = row(rows, "T17", "community", tree["c22"])
    assert (c22.value, c22.status, c22.parts["groups"]["for_minors"]["share"]) == (
        0.0,
        "info",
        None,
    )


# --- S29: district >= 24 and subdistrict >= 12 a year, organised by the unit itself -----------


@pytest.mark.parametrize(("n", "status"), [(23, "not_met"), (24, "met"), (25, "met")])
def test_s29_district_level_at_the_edge(tree, n, status):
    make(tree["district"], "mass_activity", n - 10)
    make(tree["district"], "performance", 10)
    make(tree["s1"], "mass_activity", 5)  # a subdistrict's: not the district level's
    make(tree["district"], "lecture", 3)  # another kind
    r = row(evaluate(["S29"]), "S29", "district", tree["district"])
    assert verdict(r) == (float(n), 24.0, status)


@pytest.mark.parametrize(("n", "status"), [(11, "not_met"), (12, "met"), (13, "met")])
def test_s29_subdistrict_level_at_the_edge(tree, n, status):
    make(tree["s1"], "mass_activity", n)
    make(tree["c11"], "mass_activity", 20)  # its community's: counts for the community
    r = row(evaluate(["S29"]), "S29", "subdistrict", tree["s1"])
    assert verdict(r) == (float(n), 12.0, status)
    other = row(evaluate(["S29"]), "S29", "subdistrict", tree["s2"])
    assert verdict(other) == (0.0, 12.0, "not_met")


def test_s29_no_mass_activity_or_performance_is_no_data(tree):
    make(tree["s1"], "lecture", 30)
    rows = evaluate(["S29"])
    assert row(rows, "S29", "district", tree["district"]).status == "no_data"
    assert row(rows, "S29", "subdistrict", tree["s1"]).status == "no_data"
    assert row(rows, "S29", "community", tree["c11"]).status == "no_data"
