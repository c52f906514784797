"""The engine on stored data: homes and venues placed in EPSG:4549 metres and converted back to
WGS-84 lon/lat with pyproj, stored, and read back through the selectors."""

from __future__ import annotations

import pytest
from pyproj import Transformer

from culture.circles.report import coverage_report, home_rows
from culture.circles.services import residential_point_upsert
from culture.core import geo
from culture.venues.models import Venue, VenueStatus
from culture.venues.tests.factories import give_boundaries, venue

pytestmark = pytest.mark.django_db

TO_LONLAT = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)


def _xy(v: Venue) -> tuple[float, float]:
    v.refresh_from_db()
    return geo.metric_transformer().transform(v.lon, v.lat)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return TO_LONLAT.transform(x, y)


@pytest.fixture
def placed(tree):
    """A culture centre at c11's centre; two bookrooms 990 m and 980 m east of it. (The test
    district is a strip of squares from west to east, so homes are placed east.)"""
    give_boundaries()
    centre = venue(operator=tree["c11"], kind="community_centre", code="VC")
    vx, vy = _xy(centre)
    for code, dx in (("S1", 990.0), ("S2", 980.0)):
        lon, lat = _lonlat(vx + dx, vy)
        venue(operator=tree["c11"], kind="city_bookroom", code=code, lon=lon, lat=lat)
    return tree, (vx, vy)


def _home(tree, x, y, code="H1", population=300):
    lon, lat = _lonlat(x, y)
    residential_point_upsert(
        actor=None, code=code, lon=lon, lat=lat, population=population, community=tree["c11"]
    )


def _row(users, code="H1", **kwargs):
    report = coverage_report(viewer=users["district"], **kwargs)
    [row] = [h for h in home_rows(report) if h["code"] == code]
    return row


@pytest.mark.parametrize(
    ("metres", "covered"),
    [(1499.999, True), (1500.0, True), (1500.001, False)],
)
def test_stored_home_at_the_boundary_of_the_venue(placed, users, metres, covered):
    # 2.2.3: "家门口辐射半径1.5公里内，至少拥有1个公共文化场馆": the centre is exactly `metres`
    # west of the home; the two bookrooms are about 500 m from it.
    tree, (vx, vy) = placed
    _home(tree, vx + metres, vy)
    row = _row(users)
    assert row["covered"] is covered
    assert row["lacks"] == {"venue": 0 if covered else 1, "spaces": 0}
    assert row["nth_m"]["venue"] == pytest.approx(metres, abs=5e-4)  # shown to the millimetre
    if not covered:
        assert row["lacks_text"] == "缺公共文化场馆"


def test_closed_venues_do_not_count(placed, users):
    tree, (vx, vy) = placed
    _home(tree, vx + 1000.0, vy)
    assert _row(users)["covered"] is True
    Venue.objects.filter(code="S2").update(status=VenueStatus.CLOSED)
    row = _row(users)
    assert row["covered"] is False
    assert row["lacks"] == {"venue": 0, "spaces": 1}
    assert row["lacks_text"] == "公益性公共文化空间缺1个（需2个）"


def test_what_if_on_stored_data_changes_nothing_stored(placed, users):
    tree, (vx, vy) = placed
    _home(tree, vx + 1000.0, vy)
    Venue.objects.filter(code__in=["S1", "S2"]).update(status=VenueStatus.CLOSED)
    assert _row(users)["lacks"]["spaces"] == 2
    sites = [_lonlat(vx + 1000.0, vy + 100.0), _lonlat(vx + 1000.0, vy - 100.0)]
    row = _row(users, extra={"spaces": sites})
    assert row["covered"] is True
    assert Venue.objects.filter(status=VenueStatus.OPEN).count() == 1
    assert _row(users)["covered"] is False


def test_shares_per_unit_by_population_and_by_point(placed, users):
    # c11 has two imported homes: one covered (300 residents), one lacking spaces (100): c11
    # is 1/2 of its points and 300/400 = 75 % of its residents.
    tree, (vx, vy) = placed
    _home(tree, vx + 1000.0, vy, "H1", 300)
    _home(tree, vx - 700.0, vy - 800.0, "H2", 100)
    report = coverage_report(viewer=users["subdistrict"], unit=tree["c11"].code)
    c11 = report.total
    assert (c11.points, c11.points_covered) == (2, 1)
    assert (c11.population, c11.population_covered) == (400, 300)
    assert c11.share_population == pytest.approx(0.75)
    assert c11.share_points == pytest.approx(0.5)
    # H2 is 1,063 m from the centre and about 1.87 km from the bookrooms: one home lacks spaces.
    assert c11.lacking == {"venue": 0, "spaces": 1}
    # At 1 km (the city radius) H1 still counts: the centre at exactly 1,000 m, the bookrooms
    # at 10 and 20 m.
    assert c11.population_covered_city == 300
