"""Rules on each venue's record (T05, T09, T13, S02, S10-S12, S15, S16, S18, S24, S26, S37,
S51): hand-built venues, expected values and statuses written out from the policy.

Venue-level rules give one row per applicable open venue and a roll-up per org unit (share of
its venues, by location, that meet the rule)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from culture.activities.tests.factories import activity, local
from culture.standards.engine import evaluate_compute
from culture.standards.models import Attestation, ReportedFigure
from culture.venues.models import Venue, VenueKind
from culture.venues.tests.factories import venue

pytestmark = pytest.mark.django_db
K = VenueKind
ALL_GROUPS = ["minors", "elderly", "servicemen", "disabled", "low_income"]


def rows(indicator: str, year: int = 2025):
    _ctx, out = evaluate_compute(year, only=[indicator])
    return out


def org(out, level: str, unit):
    [row] = [r for r in out if r.level == level and r.org_unit_id == unit.pk and not r.venue_id]
    return row


def at(out, v):
    [row] = [r for r in out if r.venue_id == v.pk]
    return row


def sv(row):
    return row.status, row.value


# S02 / T05 / S18: the district's own library and culture centre.


def test_s02_national_grade_one(tree):
    d = tree["district"]
    lib = venue(operator=d, kind=K.LIBRARY, at=tree["c11"], grade="national_1")
    cc = venue(operator=d, kind=K.CULTURE_CENTRE, at=tree["c12"], grade="national_2")
    venue(operator=tree["s1"], kind=K.LIBRARY, grade="")  # not the district's: not judged
    out = rows("S02")
    assert sv(at(out, lib)) == ("met", 1.0)
    assert sv(at(out, cc)) == ("not_met", 0.0)
    assert len([r for r in out if r.level == "venue"]) == 2
    assert sv(org(out, "district", d)) == ("not_met", 0.0)
    Venue.objects.filter(pk=cc.pk).update(grade="national_1")
    assert sv(org(rows("S02"), "district", d)) == ("met", 1.0)


def test_s02_missing_culture_centre_is_no_data_at_district(tree):
    d = tree["district"]
    venue(operator=d, kind=K.LIBRARY, at=tree["c11"], grade="national_1")
    row = org(rows("S02"), "district", d)
    assert sv(row) == ("no_data", None)
    assert row.parts["missing"] == ["culture_centre"]


def test_t05_grade_and_titles_from_2025(tree):
    d = tree["district"]
    lib = venue(
        operator=d, kind=K.LIBRARY, at=tree["c11"], grade="national_1", is_satisfying_library=True
    )
    cc = venue(operator=d, kind=K.CULTURE_CENTRE, at=tree["c12"], grade="national_1")
    out = rows("T05")
    assert sv(at(out, lib)) == ("met", 1.0)
    assert sv(at(out, cc)) == ("not_met", 0.0)  # grade 1 but not 幸福文化馆
    assert sv(org(out, "district", d)) == ("not_met", 0.0)
    assert org(rows("T05", 2024), "district", d).status == "not_due"
    Venue.objects.filter(pk=cc.pk).update(is_happy_culture_centre=True)
    assert sv(org(rows("T05"), "district", d)) == ("met", 1.0)


def test_s18_blind_reading_at_the_district_library(tree):
    d = tree["district"]
    assert sv(org(rows("S18"), "district", d)) == ("no_data", None)  # no venue records
    lib = venue(operator=d, kind=K.LIBRARY, at=tree["c11"])
    out = rows("S18")
    assert sv(at(out, lib)) == ("not_met", 0.0)
    assert sv(org(out, "district", d)) == ("not_met", 0.0)
    Venue.objects.filter(pk=lib.pk).update(has_blind_reading=True)
    assert sv(org(rows("S18"), "district", d)) == ("met", 1.0)


# T09 (by 2025), S11, S10, S12, S16, T13: one registry flag per venue, rolled up.


def test_t09_ssc_card_share_by_location_from_2025(tree):
    station = venue(operator=tree["s1"], kind=K.CULTURE_STATION, at=tree["c11"])
    centre = venue(operator=tree["c12"], kind=K.COMMUNITY_CENTRE, accepts_ssc_card=True)
    venue(operator=tree["s1"], kind=K.CITY_BOOKROOM)  # not a public culture venue kind
    out = rows("T09")
    assert sv(at(out, station)) == ("not_met", 0.0)
    assert sv(at(out, centre)) == ("met", 1.0)
    assert sv(org(out, "subdistrict", tree["s1"])) == ("not_met", 0.5)
    assert sv(org(out, "community", tree["c12"])) == ("met", 1.0)
    assert org(out, "subdistrict", tree["s2"]).status == "not_applicable"
    assert org(rows("T09", 2024), "subdistrict", tree["s1"]).status == "not_due"
    Venue.objects.filter(pk=station.pk).update(accepts_ssc_card=True)
    assert sv(org(rows("T09"), "district", tree["district"])) == ("met", 1.0)


def test_s11_culture_cloud_and_s10_zheli_platform(tree):
    d = tree["district"]
    museum = venue(operator=d, kind=K.MUSEUM, at=tree["c21"], on_zheli_platform=True)
    theatre = venue(operator=d, kind=K.THEATRE, at=tree["c22"], on_culture_cloud=True)
    s10 = rows("S10")
    assert sv(at(s10, museum)) == ("met", 1.0)
    assert not [r for r in s10 if r.venue_id == theatre.pk]  # a theatre is not in S10
    s11 = rows("S11")
    assert sv(at(s11, museum)) == ("not_met", 0.0)
    assert sv(at(s11, theatre)) == ("met", 1.0)
    assert sv(org(s11, "subdistrict", tree["s2"])) == ("not_met", 0.5)


def test_s12_all_three_library_platforms(tree):
    d = tree["district"]
    both = dict(on_national_smart_library=True, on_one_click_borrowing=True)
    lib = venue(operator=d, kind=K.LIBRARY, at=tree["c11"], on_media_platform=True, **both)
    branch = venue(operator=d, kind=K.BRANCH_LIBRARY, at=tree["c21"], **both)
    out = rows("S12")
    assert sv(at(out, lib)) == ("met", 1.0)
    assert sv(at(out, branch)) == ("not_met", 0.0)  # two of three platforms
    assert at(out, branch).parts["on_media_platform"] is False
    assert sv(org(out, "district", d)) == ("not_met", 0.5)


def test_s16_free_wifi_at_local_venues(tree):
    post = venue(operator=tree["c11"], kind=K.CULTURE_POST, has_wifi=True)
    room = venue(operator=tree["c12"], kind=K.READING_ROOM)
    venue(operator=tree["c21"], kind=K.PERFORMANCE_SPOT)  # outdoor: not judged
    out = rows("S16")
    assert sv(at(out, post)) == ("met", 1.0)
    assert sv(at(out, room)) == ("not_met", 0.0)
    assert org(out, "subdistrict", tree["s2"]).status == "not_applicable"


def test_t13_boards_of_trustees_at_district_institutions(tree):
    d = tree["district"]
    lib = venue(operator=d, kind=K.LIBRARY, at=tree["c11"], has_board_of_trustees=True)
    gallery = venue(operator=d, kind=K.GALLERY, at=tree["c12"])
    small = venue(operator=tree["c21"], kind=K.MUSEUM)  # a community's museum: not judged
    out = rows("T13")
    assert sv(at(out, lib)) == ("met", 1.0)
    assert sv(at(out, gallery)) == ("not_met", 0.0)
    assert not [r for r in out if r.venue_id == small.pk]
    assert sv(org(out, "district", d)) == ("not_met", 0.5)


# S24: ticket waivers; S26: school grounds.


def test_s24_waivers_for_the_five_groups_and_heritage_day(tree):
    free = venue(operator=tree["c11"], kind=K.MUSEUM)
    paid = dict(fee_policy="paid", ticket_price="30")
    full = venue(
        operator=tree["c12"],
        kind=K.HERITAGE_HALL,
        waiver_groups=ALL_GROUPS,
        free_days=["heritage_day"],
        **paid,
    )
    short = venue(
        operator=tree["c21"],
        kind=K.MUSEUM,
        waiver_groups=ALL_GROUPS[:4],
        free_days=["heritage_day"],
        **paid,
    )
    no_day = venue(operator=tree["c22"], kind=K.MUSEUM, waiver_groups=ALL_GROUPS, **paid)
    out = rows("S24")
    assert sv(at(out, free)) == ("met", 1.0)
    assert sv(at(out, full)) == ("met", 1.0)
    assert sv(at(out, short)) == ("not_met", 0.0)
    assert at(out, short).parts["missing_waivers"] == ["low_income"]
    assert sv(at(out, no_day)) == ("not_met", 0.0)
    assert sv(org(out, "district", tree["district"])) == ("not_met", 0.5)


def test_s26_eligible_school_grounds_open(tree):
    ground = dict(kind=K.SCHOOL_GROUND, school_open_eligible=True)
    opened = venue(operator=tree["c11"], school_open_to_public=True, **ground)
    shut = venue(operator=tree["c21"], **ground)
    ineligible = venue(operator=tree["c22"], kind=K.SCHOOL_GROUND)
    out = rows("S26")
    assert sv(at(out, opened)) == ("met", 1.0)
    assert sv(at(out, shut)) == ("not_met", 0.0)
    assert not [r for r in out if r.venue_id == ineligible.pk]
    assert sv(org(out, "district", tree["district"])) == ("not_met", 0.5)
    Venue.objects.filter(pk=shut.pk).update(school_open_to_public=True)
    assert sv(org(rows("S26"), "district", tree["district"])) == ("met", 1.0)


# S37: special-groups area and services (activities at the venue).


def test_s37_special_groups_area_and_activities(tree):
    d = tree["district"]
    lib = venue(operator=d, kind=K.LIBRARY, at=tree["c11"], has_special_group_area=True)
    cc = venue(operator=d, kind=K.CULTURE_CENTRE, at=tree["c12"], has_special_group_area=True)
    activity(
        d, venue=lib, for_elderly=True, start_at=local(2025, 3, 1), end_at=local(2025, 3, 1, 11)
    )
    activity(d, venue=cc, start_at=local(2025, 3, 2), end_at=local(2025, 3, 2, 11))
    out = rows("S37")
    assert sv(at(out, lib)) == ("met", 1.0)
    assert at(out, lib).parts["special_group_activities"] == 1
    assert sv(at(out, cc)) == ("not_met", 0.0)  # an activity, but for no special group
    # 2024: no activity records at all -> the services cannot be judged.
    assert sv(at(rows("S37", 2024), lib)) == ("no_data", None)
    Venue.objects.filter(pk=lib.pk).update(has_special_group_area=False)
    assert sv(at(rows("S37", 2024), lib)) == ("not_met", 0.0)  # no area: fails regardless


# S15: attested; S51: reported.


def test_s15_attested_by_accepted_evidence(tree):
    d = tree["district"]
    assert sv(org(rows("S15"), "district", d)) == ("no_data", None)
    Attestation.objects.create(
        indicator_id="S15",
        org_unit=d,
        org_path=d.path,
        year=2025,
        title="数字资源建设验收",
        evidence=ContentFile(b"%PDF-1.4", name="a.pdf"),
        status="accepted",
    )
    row = org(rows("S15"), "district", d)
    assert (row.status, row.source) == ("met", "attested")
    assert org(rows("S15", 2024), "district", d).status == "no_data"  # that year only


def _report(unit, key, value, year=2025):
    ReportedFigure.objects.create(
        indicator_id="S51",
        field_key=key,
        org_unit=unit,
        org_path=unit.path,
        year=year,
        value=value,
        status="approved",
    )


def test_s51_annual_reports_reported(tree):
    d = tree["district"]
    _report(d, "library_report", 1)
    _report(d, "culture_centre_report", 1)
    assert sv(org(rows("S51"), "district", d)) == ("no_data", None)  # museum not reported
    _report(d, "museum_report", 0)
    row = org(rows("S51"), "district", d)
    assert (row.status, row.value, row.source) == ("not_met", 0.0, "reported")
    ReportedFigure.objects.filter(field_key="museum_report").update(value=1)
    assert sv(org(rows("S51"), "district", d)) == ("met", 1.0)
