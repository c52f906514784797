"""Edge tests of the place indicators (T03, T14/S48, S09, S08, S36) on hand-built data.

The tree fixture: 湖墅 s1 (c11 8,000 + c12 7,000 = 15,000) and 武林 s2 (c21 6,000 + c22
5,000 = 11,000) under the district (26,000). Expected values are worked out by hand from the
policy text (quoted in each test)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pyproj import Transformer

from culture.circles.models import ResidentialPoint
from culture.circles.services import residential_point_upsert
from culture.core import geo
from culture.org.models import OrgUnit
from culture.org.tests.factories import community
from culture.standards.engine import current_definitions, evaluate_compute
from culture.standards.models import ReportedFigure
from culture.teams.tests.factories import development
from culture.venues.tests.factories import give_boundaries, venue

pytestmark = pytest.mark.django_db


def _rows(ids, year=2025, definitions=None):
    return evaluate_compute(year, only=list(ids), definitions=definitions)[1]


def _row(rows, indicator, level, unit):
    [row] = [
        r
        for r in rows
        if r.indicator_id == indicator and r.level == level and r.org_unit_id == unit.pk
    ]
    return row


def _report(indicator, unit, key, value, year=2025):
    ReportedFigure.objects.create(
        indicator_id=indicator, field_key=key, org_unit=unit, org_path=unit.path, year=year,
        value=value, status="approved",
    )  # fmt: skip


# --- T03: 15-minute circles (computed by the coverage engine; reported as the fallback) --------


def test_t03_coverage_reported_100_percent_due_2025(tree):
    # 2.2.3: "2025年 ……“15分钟品质文化生活圈”覆盖率达100%".
    d, s1, c11 = tree["district"], tree["s1"], tree["c11"]
    _report("T03", d, "residential_points", 200)
    _report("T03", d, "covered_points", 199)  # 99.5 %: just below
    _report("T03", s1, "residential_points", 80)
    _report("T03", s1, "covered_points", 80)  # 100 %: at
    rows = _rows(["T03"])
    below, at = _row(rows, "T03", "district", d), _row(rows, "T03", "subdistrict", s1)
    assert (below.value, below.target, below.status, below.source) == (
        0.995,
        1.0,
        "not_met",
        "reported",
    )
    assert below.gap == pytest.approx(0.005)
    assert (at.value, at.status) == (1.0, "met")
    # Not reported: no data, never a zero.
    assert _row(rows, "T03", "community", c11).status == "no_data"
    # 2024: before the deadline the value is shown, no verdict.
    _report("T03", s1, "residential_points", 80, year=2024)
    _report("T03", s1, "covered_points", 40, year=2024)
    early = _row(_rows(["T03"], 2024), "T03", "subdistrict", s1)
    assert (early.value, early.status, early.target) == (0.5, "not_due", 1.0)


def _t03_world(tree):
    """Imported homes placed in metres from c11's centre (the test squares run west to east,
    about 1.92 km wide): a culture centre and two bookrooms at c11's centre."""
    give_boundaries()
    centre = venue(operator=tree["c11"], kind="community_centre")
    for _ in range(2):
        venue(operator=tree["c11"], kind="city_bookroom")
    centre.refresh_from_db()
    to_xy = geo.metric_transformer()
    to_lonlat = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)
    cx, cy = to_xy.transform(centre.lon, centre.lat)
    homes = [
        ("P11", 0.0, 1000),  # at the centre: covered
        ("P12a", 1200.0, 300),  # 1.2 km east, inside c12: covered
        ("P12b", 1920.0, 700),  # c12's centre, 1.92 km away: not covered
        ("P21", 3840.0, 600),  # c21's centre: not covered
        ("P22", 5760.0, 400),  # c22's centre: not covered
    ]
    for code, dx, people in homes:
        lon, lat = to_lonlat.transform(cx + dx, cy)
        residential_point_upsert(actor=None, code=code, lon=lon, lat=lat, population=people)


def test_t03_computed_from_the_circles_coverage(tree):
    # 2.2.3: "家门口辐射半径1.5公里内，至少拥有1个公共文化场馆和2个及以上公益性公共文化空间……
    # 2025年……覆盖率达100%". Covered residents: 1,000 (P11) + 300 (P12a) of 3,000.
    _t03_world(tree)
    rows = _rows(["T03"])
    d, s1, s2 = tree["district"], tree["s1"], tree["s2"]
    district = _row(rows, "T03", "district", d)
    assert (district.value, district.status, district.source) == (
        pytest.approx(1300 / 3000), "not_met", "computed",
    )  # fmt: skip
    assert district.parts["residential_points"] == 5 and district.parts["covered_points"] == 2
    assert district.parts["points_lacking_venue"] == 3
    s1_row, s2_row = _row(rows, "T03", "subdistrict", s1), _row(rows, "T03", "subdistrict", s2)
    assert (s1_row.value, s1_row.status) == (pytest.approx(1300 / 2000), "not_met")
    assert (s2_row.value, s2_row.status) == (0.0, "not_met")
    c11, c12 = (
        _row(rows, "T03", "community", tree["c11"]),
        _row(rows, "T03", "community", tree["c12"]),
    )
    assert (c11.value, c11.status) == (1.0, "met")  # 100 %: at the target
    assert c12.value == pytest.approx(0.3)


def test_t03_unit_with_an_unplaceable_community_has_no_computed_value(tree):
    # c22 loses its boundary and its imported home: it cannot be placed, so s2 and the district
    # have no computed value (their reported figures take over); s1 is unaffected.
    _t03_world(tree)
    ResidentialPoint.objects.filter(code="P22").delete()
    OrgUnit.objects.filter(pk=tree["c22"].pk).update(boundary=None)
    _report("T03", tree["s2"], "residential_points", 10)
    _report("T03", tree["s2"], "covered_points", 4)
    rows = _rows(["T03"])
    s2 = _row(rows, "T03", "subdistrict", tree["s2"])
    assert (s2.value, s2.source) == (0.4, "reported")
    assert _row(rows, "T03", "district", tree["district"]).status == "no_data"
    assert _row(rows, "T03", "community", tree["c22"]).status == "no_data"
    assert _row(rows, "T03", "subdistrict", tree["s1"]).value == pytest.approx(0.65)


# --- T14 / S48: culture stewards ------------------------------------------------------------------


def _stations(tree, *, s1_steward=True, s2_steward=True):
    venue(
        operator=tree["s1"], kind="culture_station", at=tree["c11"], has_culture_steward=s1_steward
    )
    venue(
        operator=tree["s2"], kind="culture_station", at=tree["c21"], has_culture_steward=s2_steward
    )


def _centres(communities, stewarded):
    for c in communities:
        venue(operator=c, kind="community_centre", at=c, has_culture_steward=c in stewarded)


@pytest.fixture
def five(tree):
    """Five communities: c11, c12 under s1; c21, c22, c23 under s2."""
    tree["c23"] = community(parent=tree["s2"], population=4000)
    return [tree[k] for k in ("c11", "c12", "c21", "c22", "c23")]


@pytest.mark.parametrize(
    ("covered", "value", "status"),
    [(3, 0.6, "not_met"), (4, 0.8, "met"), (5, 1.0, "met")],  # below, at, above 80 %
)
def test_steward_communities_80_percent_in_2025(tree, five, covered, value, status):
    # S48: "到2025年实现社区覆盖80%以上"; T14: "截至2025年，18个街道实现全覆盖，社区覆盖率达80%以上".
    _stations(tree)
    _centres(five, five[:covered])
    rows = _rows(["T14", "S48"])
    for ind in ("T14", "S48"):
        row = _row(rows, ind, "district", tree["district"])
        assert (row.value, row.target, row.status) == (value, 0.8, status)
        assert row.parts["communities_covered"] == covered
    assert _row(rows, "S48", "district", tree["district"]).gap == pytest.approx(max(0.8 - value, 0))


def test_steward_an_uncovered_subdistrict_fails_the_district(tree, five):
    _stations(tree, s2_steward=False)
    _centres(five, five)  # every community covered
    rows = _rows(["S48"])
    district = _row(rows, "S48", "district", tree["district"])
    assert (district.value, district.status) == (1.0, "not_met")
    assert district.parts["subdistricts_without_steward"] == [tree["s2"].code]
    s1, s2 = (
        _row(rows, "S48", "subdistrict", tree["s1"]),
        _row(rows, "S48", "subdistrict", tree["s2"]),
    )
    assert (s1.value, s1.target, s1.status) == (1.0, 1.0, "met")
    assert (s2.value, s2.status, s2.parts["culture_station"]) == (0.0, "not_met", True)
    # Communities are shown for information (coverage is a district-wide rate).
    c11 = _row(rows, "S48", "community", tree["c11"])
    assert (c11.value, c11.status) == (1.0, "info")


def test_steward_50_percent_from_2023_and_t14_not_due_before_2025(tree):
    # S48: "到2023年实现街道全覆盖，社区覆盖50%以上"; four communities.
    _stations(tree)
    _centres([tree[k] for k in ("c11", "c12", "c21", "c22")], [tree["c11"], tree["c21"]])
    rows = _rows(["T14", "S48"], 2023)
    s48 = _row(rows, "S48", "district", tree["district"])
    assert (s48.value, s48.target, s48.status) == (0.5, 0.5, "met")  # at 50 %
    t14 = _row(rows, "T14", "district", tree["district"])
    assert (t14.value, t14.target, t14.status) == (0.5, 0.8, "not_due")
    assert _row(rows, "T14", "subdistrict", tree["s1"]).status == "not_due"
    assert _row(rows, "S48", "subdistrict", tree["s1"]).status == "met"


def test_steward_below_50_percent_in_2024_and_closed_venues_do_not_count(tree):
    _stations(tree)
    _centres([tree["c11"]], [tree["c11"]])
    venue(operator=tree["c12"], kind="community_centre", status="closed", has_culture_steward=True)
    row = _row(_rows(["S48"], 2024), "S48", "district", tree["district"])
    assert (row.value, row.target, row.status) == (0.25, 0.5, "not_met")


def test_steward_no_stations_or_centres_is_no_data(tree):
    venue(operator=tree["s1"], kind="city_bookroom", has_culture_steward=True)
    rows = _rows(["S48"])
    assert {(r.status, r.value) for r in rows} == {("no_data", None)}


# --- S09: fitness coverage --------------------------------------------------------------------------


def test_s09_fitness_coverage_both_rates_at_50_percent(tree):
    # S09: "街道实现或共享健身中心街道覆盖率达到50%以上，社区实现多功能运动场（百姓健身房）覆盖率达50%以上".
    venue(operator=tree["s1"], kind="sports_centre", at=tree["c11"])
    venue(operator=tree["c11"], kind="sports_ground", at=tree["c11"])
    venue(operator=tree["c12"], kind="public_gym", at=tree["c12"])
    rows = _rows(["S09"])
    district = _row(rows, "S09", "district", tree["district"])
    # subdistricts 1/2 = 0.5, communities 2/4 = 0.5: the lower is 0.5, at the threshold.
    assert (district.value, district.target, district.status) == (0.5, 0.5, "met")
    assert district.parts["community_coverage"] == 0.5
    s1, s2 = (
        _row(rows, "S09", "subdistrict", tree["s1"]),
        _row(rows, "S09", "subdistrict", tree["s2"]),
    )
    assert (s1.value, s1.status, s1.parts["fitness_centre"]) == (1.0, "met", True)
    assert (s2.value, s2.status, s2.parts["fitness_centre"]) == (0.0, "not_met", False)
    assert _row(rows, "S09", "community", tree["c21"]).status == "info"


def test_s09_below_and_above(tree):
    venue(operator=tree["s1"], kind="sports_centre", at=tree["c11"])
    venue(operator=tree["c11"], kind="sports_ground", at=tree["c11"])
    below = _row(_rows(["S09"]), "S09", "district", tree["district"])
    assert (below.value, below.status) == (0.25, "not_met")  # communities 1/4
    # A centre run by s2 standing in c12 is shared: it counts for s2 (operator) and s1 (location).
    venue(operator=tree["s2"], kind="sports_centre", at=tree["c12"])
    venue(operator=tree["c21"], kind="gym", at=tree["c21"])
    venue(operator=tree["c22"], kind="sports_ground", at=tree["c22"])
    rows = _rows(["S09"])
    above = _row(rows, "S09", "district", tree["district"])
    assert (above.value, above.status) == (0.75, "met")  # min(2/2, 3/4)
    assert _row(rows, "S09", "subdistrict", tree["s2"]).value == 1.0


def test_s09_no_sports_venues_is_no_data(tree):
    rows = _rows(["S09"])
    assert {(r.status, r.value) for r in rows} == {("no_data", None)}


# --- S36 and S08: new residential developments, future communities ------------------------------


def test_s36_indoor_or_outdoor_per_resident(tree):
    # S36: "室内人均建筑面积不低于0.1平方米或室外人均用地不低于0.3平方米".
    c11, c12 = tree["c11"], tree["c12"]
    kw = dict(population=1000, culture_space_m2=Decimal("0"))
    development("D1", c11, indoor_fitness_m2=Decimal("100"), outdoor_fitness_m2=Decimal("0"), **kw)
    development(
        "D2", c11, indoor_fitness_m2=Decimal("99.9"), outdoor_fitness_m2=Decimal("299.9"), **kw
    )
    development("D3", c12, indoor_fitness_m2=Decimal("0"), outdoor_fitness_m2=Decimal("300"), **kw)
    development(
        "D4", c12, indoor_fitness_m2=Decimal("100.1"), outdoor_fitness_m2=Decimal("0"), **kw
    )
    development("D5", c12, indoor_fitness_m2=Decimal("0"), outdoor_fitness_m2=Decimal("0"),
                population=0, culture_space_m2=Decimal("0"))  # fmt: skip
    development("D6", tree["c21"], indoor_fitness_m2=Decimal("0"), outdoor_fitness_m2=Decimal("0"),
                completion_year=2026, **kw)  # fmt: skip
    rows = _rows(["S36"])
    r11, r12 = _row(rows, "S36", "community", c11), _row(rows, "S36", "community", c12)
    assert (r11.value, r11.status, r11.parts["not_met"]) == (0.5, "not_met", ["D2"])
    assert (r12.value, r12.status, r12.parts["without_population"]) == (1.0, "met", ["D5"])
    # c21's only development is completed in 2026: nothing to judge in 2025.
    assert _row(rows, "S36", "community", tree["c21"]).status == "not_applicable"
    s1 = _row(rows, "S36", "subdistrict", tree["s1"])
    assert (s1.value, s1.status) == (pytest.approx(3 / 4), "not_met")
    assert _row(rows, "S36", "subdistrict", tree["s2"]).status == "not_applicable"


def test_s36_no_developments_is_no_data_and_unpopulated_only_is_no_data(tree):
    assert {r.status for r in _rows(["S36"])} == {"no_data"}
    development("D1", tree["c11"], population=0)
    rows = _rows(["S36"])
    assert _row(rows, "S36", "community", tree["c11"]).status == "no_data"
    assert _row(rows, "S36", "community", tree["c12"]).status == "not_applicable"


@pytest.mark.parametrize(
    ("culture", "value", "status"),
    [("199.9", 0.0, "not_met"), ("200", 1.0, "met"), ("200.1", 1.0, "met")],
)
def test_s08_future_community_culture_space(tree, culture, value, status):
    # S08: "未来社区按省市标准建设公共文化空间"; default 0.1 m2 per resident: 2,000 x 0.1 = 200.
    development("F1", tree["c11"], population=2000, culture_space_m2=Decimal(culture),
                is_future_community=True)  # fmt: skip
    development("N1", tree["c12"], population=2000, culture_space_m2=Decimal("0"))
    rows = _rows(["S08"])
    row = _row(rows, "S08", "community", tree["c11"])
    assert (row.value, row.target, row.status) == (value, 1.0, status)
    # c12 has only an ordinary new development: S08 does not apply there.
    assert _row(rows, "S08", "community", tree["c12"]).status == "not_applicable"
    assert _row(rows, "S08", "district", tree["district"]).status == status


def test_s08_reads_the_named_definition(tree):
    development("F1", tree["c11"], population=2000, culture_space_m2=Decimal("250"),
                is_future_community=True)  # fmt: skip
    assert _row(_rows(["S08"]), "S08", "community", tree["c11"]).status == "met"  # 0.125 >= 0.1
    stricter = {**current_definitions(), "future_community_culture_m2_per_person": 0.15}
    row = _row(_rows(["S08"], definitions=stricter), "S08", "community", tree["c11"])
    assert (row.value, row.status) == (0.0, "not_met")
