"""Facilities that must exist (T04, T07, S01, S03-S07, S19, S35, S47): hand-built districts,
expected values and statuses written out from the policy.

The ``tree`` fixture: district 330105, s1 (c11, c12), s2 (c21, c22). A venue counts for the
subdistrict it stands in (``at``), whoever runs it."""

from __future__ import annotations

import pytest

from culture.accounts.services.staff import staff_member_upsert
from culture.standards.engine import evaluate_compute
from culture.venues.models import Venue, VenueKind
from culture.venues.services import room_add
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db
K = VenueKind


def rows(indicator: str, year: int = 2025):
    _ctx, out = evaluate_compute(year, only=[indicator])
    return out


def pick(out, level: str, unit=None, venue_obj=None):
    [row] = [
        r
        for r in out
        if r.level == level
        and (unit is None or r.org_unit_id == unit.pk)
        and (venue_obj is None or r.venue_id == venue_obj.pk)
        and (venue_obj is not None or r.venue_id is None)
    ]
    return row


def status_value(row):
    return row.status, row.value


# S01: the five district venues, run by the district itself.


def test_s01_five_district_venues_run_by_the_district(tree):
    d, s1 = tree["district"], tree["s1"]
    for kind in (K.LIBRARY, K.CULTURE_CENTRE, K.MUSEUM, K.HERITAGE_HALL):
        venue(operator=d, kind=kind, at=tree["c11"])
    venue(operator=s1, kind=K.THEATRE)  # a subdistrict's theatre is not the district's
    venue(operator=d, kind=K.THEATRE, status="closed")  # closed: does not count
    row = pick(rows("S01"), "district", d)
    assert status_value(row) == ("not_met", 4.0)  # just below 5
    assert row.parts["missing"] == ["theatre"]

    venue(operator=d, kind=K.THEATRE)
    assert status_value(pick(rows("S01"), "district", d)) == ("met", 5.0)  # at 5
    venue(operator=d, kind=K.MUSEUM)  # a second museum: still five kinds
    assert status_value(pick(rows("S01"), "district", d)) == ("met", 5.0)


def test_s01_no_venue_records_is_no_data(tree):
    row = pick(rows("S01"), "district", tree["district"])
    assert (row.status, row.value, row.source) == ("no_data", None, "")


# T04 (by 2025) and S07 (main text dates the coverage 2025): culture posts and spots.


def test_t04_posts_and_spots_every_subdistrict_from_2025(tree):
    s1, s2, d = tree["s1"], tree["s2"], tree["district"]
    venue(operator=s1, kind=K.CULTURE_POST, at=tree["c11"])
    venue(operator=s1, kind=K.PERFORMANCE_SPOT, at=tree["c12"])
    venue(operator=s2, kind=K.CULTURE_POST, at=tree["c21"])
    out = rows("T04")
    assert status_value(pick(out, "subdistrict", s1)) == ("met", 1.0)
    assert status_value(pick(out, "subdistrict", s2)) == ("not_met", 0.0)
    assert pick(out, "subdistrict", s2).parts == {"culture_post": 1, "performance_spot": 0}
    assert status_value(pick(out, "district", d)) == ("not_met", 0.5)
    # 2024: before the deadline year, progress only.
    assert pick(rows("T04", 2024), "district", d).status == "not_due"
    # A spot run by s1 but standing in c21 counts for s2.
    venue(operator=s1, kind=K.PERFORMANCE_SPOT, at=tree["c21"])
    out = rows("T04")
    assert status_value(pick(out, "subdistrict", s2)) == ("met", 1.0)
    assert status_value(pick(out, "district", d)) == ("met", 1.0)


def test_s07_culture_post_in_every_subdistrict(tree):
    s1, s2, d = tree["s1"], tree["s2"], tree["district"]
    venue(operator=s1, kind=K.CULTURE_POST, at=tree["c12"])
    venue(operator=s2, kind=K.CULTURE_POST, at=tree["c22"], status="closed")
    out = rows("S07")
    assert status_value(pick(out, "subdistrict", s1)) == ("met", 1.0)
    assert status_value(pick(out, "subdistrict", s2)) == ("not_met", 0.0)
    assert pick(out, "district", d).parts["missing"] == ["武林街道"]
    assert pick(rows("S07", 2024), "subdistrict", s2).status == "not_due"
    venue(operator=s2, kind=K.CULTURE_POST, at=tree["c22"])
    assert status_value(pick(rows("S07"), "district", d)) == ("met", 1.0)


# T07: at least 10 arts-education bases.


def test_t07_arts_education_bases_below_at_above_ten(tree):
    d = tree["district"]
    for _ in range(9):
        venue(operator=tree["s1"], kind=K.ARTS_EDUCATION_BASE)
    venue(operator=tree["s2"], kind=K.ARTS_EDUCATION_BASE, status="closed")
    assert status_value(pick(rows("T07"), "district", d)) == ("not_met", 9.0)
    venue(operator=tree["s2"], kind=K.ARTS_EDUCATION_BASE)
    assert status_value(pick(rows("T07"), "district", d)) == ("met", 10.0)
    venue(operator=d, kind=K.ARTS_EDUCATION_BASE)
    assert status_value(pick(rows("T07"), "district", d)) == ("met", 11.0)


# S03: culture station signposted, open, with full-time culture staff.


def test_s03_station_signposted_open_with_fulltime_staff(tree):
    s1, s2, d = tree["s1"], tree["s2"], tree["district"]
    venue(operator=s1, kind=K.CULTURE_STATION, at=tree["c11"], has_signage=True)
    venue(operator=s2, kind=K.CULTURE_STATION, at=tree["c21"], has_signage=True)
    staff_member_upsert(
        actor=None, staff_number="S1-01", name="甲", org_unit=s1, is_fulltime_culture=True
    )
    # s2's full-time worker is on a community's staff, its own worker is part-time.
    staff_member_upsert(
        actor=None, staff_number="C21-01", name="乙", org_unit=tree["c21"], is_fulltime_culture=True
    )
    staff_member_upsert(actor=None, staff_number="S2-01", name="丙", org_unit=s2)
    out = rows("S03")
    assert status_value(pick(out, "subdistrict", s1)) == ("met", 1.0)
    assert pick(out, "subdistrict", s1).parts == {
        "stations": 1,
        "signposted": 1,
        "fulltime_staff": 1,
    }
    assert status_value(pick(out, "subdistrict", s2)) == ("not_met", 0.0)
    assert status_value(pick(out, "district", d)) == ("not_met", 0.5)
    staff_member_upsert(
        actor=None, staff_number="S2-01", name="丙", org_unit=s2, is_fulltime_culture=True
    )
    assert status_value(pick(rows("S03"), "district", d)) == ("met", 1.0)


def test_s03_no_signage_fails_and_no_staff_records_is_no_data(tree):
    s1, s2, d = tree["s1"], tree["s2"], tree["district"]
    venue(operator=s1, kind=K.CULTURE_STATION, at=tree["c11"], has_signage=True)
    venue(operator=s2, kind=K.CULTURE_STATION, at=tree["c21"], has_signage=False)
    out = rows("S03")  # no staff records at all in the platform
    assert status_value(pick(out, "subdistrict", s1)) == ("no_data", None)
    assert status_value(pick(out, "subdistrict", s2)) == ("not_met", 0.0)
    assert status_value(pick(out, "district", d)) == ("no_data", None)


# S04: every culture station provincial grade 1 or above by 2025.


def test_s04_station_grades_from_2025(tree):
    s1, s2, d = tree["s1"], tree["s2"], tree["district"]
    venue(operator=s1, kind=K.CULTURE_STATION, at=tree["c11"], grade="provincial_1")
    station2 = venue(operator=s2, kind=K.CULTURE_STATION, at=tree["c21"], grade="provincial_2")
    out = rows("S04")
    assert status_value(pick(out, "subdistrict", s1)) == ("met", 1.0)  # grade 1: at
    assert status_value(pick(out, "subdistrict", s2)) == ("not_met", 0.0)  # grade 2: below
    assert status_value(pick(out, "district", d)) == ("not_met", 0.5)
    assert pick(rows("S04", 2024), "district", d).status == "not_due"
    Venue.objects.filter(pk=station2.pk).update(grade="provincial_special")  # above
    assert status_value(pick(rows("S04"), "district", d)) == ("met", 1.0)


# S05: every community a culture centre >= 100 m2, signposted, equipped (main text: by 2025).


def _centre(community, area, *, signage=True, equipment="音响"):
    v = venue(
        operator=community,
        kind=K.COMMUNITY_CENTRE,
        floor_area_m2=area,
        has_signage=signage,
    )
    room_add(actor=None, venue=v, name="多功能厅", capacity=30, equipment=equipment)
    return v


def test_s05_community_centre_area_signage_equipment(tree):
    _centre(tree["c11"], "100")  # at 100 m2
    _centre(tree["c12"], "99.9")  # just below
    _centre(tree["c21"], "100.1", signage=False)  # above, but no signage
    _centre(tree["c22"], "150", equipment="")  # no equipment recorded
    out = rows("S05")
    assert status_value(pick(out, "community", tree["c11"])) == ("met", 1.0)
    assert status_value(pick(out, "community", tree["c12"])) == ("not_met", 0.0)
    assert pick(out, "community", tree["c12"]).parts["largest_m2"] == 99.9
    assert status_value(pick(out, "community", tree["c21"])) == ("not_met", 0.0)
    assert status_value(pick(out, "community", tree["c22"])) == ("not_met", 0.0)
    assert status_value(pick(out, "subdistrict", tree["s1"])) == ("not_met", 0.5)
    assert status_value(pick(out, "district", tree["district"])) == ("not_met", 0.25)
    assert pick(rows("S05", 2024), "community", tree["c11"]).status == "not_due"
    _centre(tree["c12"], "100.1")
    assert status_value(pick(rows("S05"), "subdistrict", tree["s1"])) == ("met", 1.0)


# S06: >= 40 certified city bookrooms (main text: 2025), one in every subdistrict.


def test_s06_every_subdistrict_has_a_certified_bookroom(tree):
    venue(operator=tree["s1"], kind=K.CITY_BOOKROOM, bookroom_certification="district")
    venue(operator=tree["s2"], kind=K.CITY_BOOKROOM, bookroom_certification="")
    out = rows("S06", 2024)
    assert status_value(pick(out, "subdistrict", tree["s1"])) == ("met", 1.0)
    assert status_value(pick(out, "subdistrict", tree["s2"])) == ("not_met", 0.0)
    # The district's 40 is due from 2025 only.
    assert status_value(pick(out, "district", tree["district"])) == ("not_due", 1.0)


def test_s06_forty_bookrooms_in_the_district(tree):
    certs = ["district", "city", "provincial"]
    rooms = [
        venue(operator=tree["s1"], kind=K.CITY_BOOKROOM, bookroom_certification=certs[i % 3])
        for i in range(41)
    ]
    Venue.objects.filter(pk__in=[rooms[39].pk, rooms[40].pk]).update(bookroom_certification="")
    row = pick(rows("S06"), "district", tree["district"])
    assert (row.status, row.value, row.target) == ("not_met", 39.0, 40.0)
    Venue.objects.filter(pk=rooms[39].pk).update(bookroom_certification="district")
    assert status_value(pick(rows("S06"), "district", tree["district"])) == ("met", 40.0)
    Venue.objects.filter(pk=rooms[40].pk).update(bookroom_certification="city")
    assert status_value(pick(rows("S06"), "district", tree["district"])) == ("met", 41.0)


# S19: a news board or e-screen in every subdistrict.


def test_s19_news_board_or_screen(tree):
    venue(operator=tree["s1"], kind=K.NEWS_BOARD, at=tree["c12"])
    venue(operator=tree["s2"], kind=K.NEWS_BOARD, at=tree["c22"], status="closed")
    out = rows("S19")
    assert status_value(pick(out, "subdistrict", tree["s1"])) == ("met", 1.0)
    assert status_value(pick(out, "subdistrict", tree["s2"])) == ("not_met", 0.0)
    assert status_value(pick(out, "district", tree["district"])) == ("not_met", 0.5)
    venue(operator=tree["s2"], kind=K.E_SCREEN, at=tree["c21"])
    assert status_value(pick(rows("S19"), "district", tree["district"])) == ("met", 1.0)


# S47: library and culture centre branches in every subdistrict.


def test_s47_both_branches_in_every_subdistrict(tree):
    d = tree["district"]
    venue(operator=d, kind=K.BRANCH_LIBRARY, at=tree["c11"])
    venue(operator=d, kind=K.CULTURE_CENTRE_BRANCH, at=tree["c12"])
    venue(operator=d, kind=K.BRANCH_LIBRARY, at=tree["c21"])
    out = rows("S47")
    assert status_value(pick(out, "subdistrict", tree["s1"])) == ("met", 1.0)
    assert status_value(pick(out, "subdistrict", tree["s2"])) == ("not_met", 0.0)
    assert pick(out, "subdistrict", tree["s2"]).parts == {
        "branch_library": 1,
        "culture_centre_branch": 0,
    }
    assert status_value(pick(out, "district", d)) == ("not_met", 0.5)
    venue(operator=d, kind=K.CULTURE_CENTRE_BRANCH, at=tree["c22"])
    assert status_value(pick(rows("S47"), "district", d)) == ("met", 1.0)


# S35: encouraged only: information, never a verdict.


def test_s35_is_information_only(tree):
    venue(operator=tree["s1"], kind=K.SPORTS_CENTRE, at=tree["c11"])
    venue(operator=tree["s1"], kind=K.SPORTS_COURT, at=tree["c12"])
    venue(operator=tree["c21"], kind=K.PUBLIC_GYM)
    venue(operator=tree["c22"], kind=K.GYM)  # a plain gym is not a public gym
    out = rows("S35")
    assert status_value(pick(out, "subdistrict", tree["s1"])) == ("info", 1.0)
    assert status_value(pick(out, "subdistrict", tree["s2"])) == ("info", 0.0)
    assert status_value(pick(out, "community", tree["c21"])) == ("info", 1.0)
    assert status_value(pick(out, "community", tree["c22"])) == ("info", 0.0)
    assert not [r for r in out if r.level == "district"]
