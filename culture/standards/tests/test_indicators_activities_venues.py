"""Activities counted by where they were held: S27 (5 performances delivered per subdistrict a
year on average), S28 (state-owned theatre: 12 public-benefit events a year), S30 (library and
culture-centre systems: 6 joint services each a year), S31 (exhibitions: district venues 6,
culture stations 2 a year). Expected values written out by hand from the annex."""

from __future__ import annotations

from datetime import date

import pytest

from culture.activities.services import activity_cancel
from culture.standards.tests.test_indicators_activities_support import (
    evaluate,
    make,
    row,
    verdict,
)
from culture.venues.models import VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db
K = VenueKind


# --- S27: performances delivered, 5 per subdistrict on average ---------------------------------


@pytest.mark.parametrize(
    ("extra", "average", "status"), [(0, 4.5, "not_met"), (1, 5.0, "met"), (2, 5.5, "met")]
)
def test_s27_district_average_over_the_subdistricts(tree, extra, average, status):
    post = venue(operator=tree["district"], kind=K.CULTURE_POST, at=tree["c12"])
    make(tree["district"], "performance_delivered", 6, venue=post)  # held in s1
    make(tree["s2"], "performance_delivered", 3)  # no venue: where its organiser is (s2)
    make(tree["district"], "performance_delivered", extra)  # district, no venue: total only
    rows = evaluate(["S27"])
    # (6 + 3 + extra) / 2 subdistricts.
    d = row(rows, "S27", "district", tree["district"])
    assert verdict(d) == (average, 5.0, status)
    assert d.parts == {
        "delivered": 9 + extra,
        "subdistricts": 2,
        "not_placed_in_a_subdistrict": extra,
    }
    assert verdict(row(rows, "S27", "subdistrict", tree["s1"])) == (6.0, 5.0, "met")
    assert verdict(row(rows, "S27", "subdistrict", tree["s2"])) == (3.0, 5.0, "not_met")


@pytest.mark.parametrize(("n", "status"), [(4, "not_met"), (5, "met"), (6, "met")])
def test_s27_each_subdistrict_counts_what_was_held_in_it(tree, n, status):
    # A venue run by s2 but standing in c11 counts for s1, where the show was held.
    spot = venue(operator=tree["s2"], kind=K.PERFORMANCE_SPOT, at=tree["c11"])
    make(tree["district"], "performance_delivered", n - 1, venue=spot)
    make(tree["c12"], "performance_delivered", 1)  # no venue: its organiser's subdistrict
    make(tree["s1"], "performance", 4)  # not a delivered performance
    rows = evaluate(["S27"])
    assert verdict(row(rows, "S27", "subdistrict", tree["s1"])) == (float(n), 5.0, status)
    assert verdict(row(rows, "S27", "subdistrict", tree["s2"])) == (0.0, 5.0, "not_met")


def test_s27_no_delivered_performance_is_no_data(tree):
    make(tree["s1"], "performance", 8)
    rows = evaluate(["S27"])
    assert row(rows, "S27", "district", tree["district"]).status == "no_data"
    assert row(rows, "S27", "subdistrict", tree["s1"]).status == "no_data"


# --- S28: state-owned theatres, 12 public-benefit events a year --------------------------------


def test_s28_each_state_owned_theatre_at_the_edge_and_the_roll_up(tree):
    t11 = venue(operator=tree["district"], kind=K.THEATRE, at=tree["c11"], state_owned=True)
    t12 = venue(operator=tree["district"], kind=K.THEATRE, at=tree["c12"], state_owned=True)
    t21 = venue(operator=tree["district"], kind=K.THEATRE, at=tree["c21"], state_owned=True)
    private = venue(operator=tree["s2"], kind=K.THEATRE, at=tree["c22"])
    make(tree["district"], "theatre_public_benefit", 11, venue=t11)
    make(tree["s1"], "theatre_public_benefit", 12, venue=t12)  # any organiser
    make(tree["district"], "theatre_public_benefit", 13, venue=t21)
    make(tree["s2"], "theatre_public_benefit", 20, venue=private)
    make(tree["district"], "performance", 5, venue=t11)  # another kind
    rows = evaluate(["S28"])
    assert verdict(row(rows, "S28", "venue", venue=t11)) == (11.0, 12.0, "not_met")
    assert verdict(row(rows, "S28", "venue", venue=t12)) == (12.0, 12.0, "met")
    assert verdict(row(rows, "S28", "venue", venue=t21)) == (13.0, 12.0, "met")
    assert row(rows, "S28", "venue", venue=t12).tier == "theatre"
    assert not [r for r in rows if r.venue_id == private.pk]  # not state-owned: not judged
    # Roll-up: the share of the unit's state-owned theatres that meet the rule.
    d = row(rows, "S28", "district", tree["district"])
    assert (round(d.value, 4), d.status) == (0.6667, "not_met")
    assert verdict(row(rows, "S28", "subdistrict", tree["s2"])) == (1.0, 1.0, "met")
    assert row(rows, "S28", "community", tree["c22"]).status == "not_applicable"


def test_s28_no_public_benefit_event_recorded_is_no_data(tree):
    t = venue(operator=tree["district"], kind=K.THEATRE, at=tree["c11"], state_owned=True)
    make(tree["district"], "performance", 30, venue=t)
    rows = evaluate(["S28"])
    assert row(rows, "S28", "venue", venue=t).status == "no_data"
    assert row(rows, "S28", "district", tree["district"]).status == "no_data"


# --- S30: main/branch joint services, 6 each a year --------------------------------------------


@pytest.fixture
def mains(tree):
    library = venue(operator=tree["district"], kind=K.LIBRARY, at=tree["c11"])
    centre = venue(operator=tree["district"], kind=K.CULTURE_CENTRE, at=tree["c21"])
    return library, centre


@pytest.mark.parametrize(("n", "status"), [(5, "not_met"), (6, "met"), (7, "met")])
def test_s30_each_system_at_the_edge(tree, mains, n, status):
    library, centre = mains
    branch = venue(operator=tree["s1"], kind=K.BRANCH_LIBRARY, at=tree["c12"])
    make(tree["district"], "joint_service", n, venue=branch, branch_system="library")
    make(tree["s2"], "joint_service", n, branch_system="culture_centre")
    rows = evaluate(["S30"])
    lib = row(rows, "S30", "venue", venue=library)
    assert (verdict(lib), lib.tier) == ((float(n), 6.0, status), "library")
    cc = row(rows, "S30", "venue", venue=centre)
    assert (verdict(cc), cc.tier) == ((float(n), 6.0, status), "culture_centre")


def test_s30_cancelled_and_other_years_do_not_count(tree, mains):
    library, centre = mains
    make(tree["district"], "joint_service", 6, branch_system="library")
    make(tree["district"], "joint_service", 3, branch_system="library", on=date(2024, 12, 1))
    [gone] = make(tree["district"], "joint_service", 1, branch_system="library")
    activity_cancel(actor=None, activity=gone)
    make(tree["district"], "joint_service", 5, branch_system="culture_centre")
    rows = evaluate(["S30"])
    assert verdict(row(rows, "S30", "venue", venue=library)) == (6.0, 6.0, "met")
    assert verdict(row(rows, "S30", "venue", venue=centre)) == (5.0, 6.0, "not_met")


def test_s30_no_joint_service_recorded_is_no_data(tree, mains):
    library, _centre = mains
    make(tree["district"], "lecture", 10, venue=library)
    rows = evaluate(["S30"])
    assert row(rows, "S30", "venue", venue=library).status == "no_data"


# --- S31: exhibitions, district venues 6 and culture stations 2 a year -------------------------


def test_s31_district_venues_and_culture_stations_at_the_edge(tree):
    d = tree["district"]
    library = venue(operator=d, kind=K.LIBRARY, at=tree["c11"])
    museum = venue(operator=d, kind=K.MUSEUM, at=tree["c12"])
    hall = venue(operator=d, kind=K.HERITAGE_HALL, at=tree["c21"])
    theatre = venue(operator=d, kind=K.THEATRE, at=tree["c22"])
    st1 = venue(operator=tree["s1"], kind=K.CULTURE_STATION, at=tree["c11"])
    st2 = venue(operator=tree["s1"], kind=K.CULTURE_STATION, at=tree["c12"])
    st3 = venue(operator=tree["s2"], kind=K.CULTURE_STATION, at=tree["c21"])
    gallery = venue(operator=tree["s2"], kind=K.GALLERY, at=tree["c22"])
    make(d, "exhibition", 5, venue=library)
    make(tree["s1"], "exhibition", 6, venue=museum)  # held there, any organiser
    make(d, "exhibition", 7, venue=hall)
    make(d, "exhibition", 6, venue=theatre)
    make(d, "mobile_exhibition", 3, venue=library)  # mobile: S45, not here
    make(tree["s1"], "exhibition", 1, venue=st1)
    make(tree["s1"], "exhibition", 2, venue=st2)
    make(tree["s2"], "exhibition", 3, venue=st3)
    make(tree["s2"], "exhibition", 9, venue=gallery)
    rows = evaluate(["S31"])
    expected = {
        library: (5.0, 6.0, "not_met", "district_venue"),
        museum: (6.0, 6.0, "met", "district_venue"),
        hall: (7.0, 6.0, "met", "district_venue"),
        theatre: (6.0, 6.0, "met", "district_venue"),
        st1: (1.0, 2.0, "not_met", "culture_station"),
        st2: (2.0, 2.0, "met", "culture_station"),
        st3: (3.0, 2.0, "met", "culture_station"),
    }
    for v, (value, target, status, tier) in expected.items():
        r = row(rows, "S31", "venue", venue=v)
        assert (*verdict(r), r.tier) == (value, target, status, tier), v.kind
    assert not [r for r in rows if r.venue_id == gallery.pk]  # run by a subdistrict
    # c11 holds the library (5) and station 1 (1): neither meets; s2's three venues all do.
    assert verdict(row(rows, "S31", "community", tree["c11"])) == (0.0, 1.0, "not_met")
    assert verdict(row(rows, "S31", "subdistrict", tree["s2"])) == (1.0, 1.0, "met")


def test_s31_no_exhibition_recorded_is_no_data(tree):
    st = venue(operator=tree["s1"], kind=K.CULTURE_STATION, at=tree["c11"])
    make(tree["s1"], "performance", 3, venue=st)
    rows = evaluate(["S31"])
    assert row(rows, "S31", "venue", venue=st).status == "no_data"
