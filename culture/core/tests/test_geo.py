"""Coordinate conversion, projection and point-in-community, with published reference values."""

import math

import pytest

from culture.core import geo
from culture.org.services import org_unit_update
from culture.org.tests.factories import community, subdistrict

# Published by wandergis/coordtransform for (116.404, 39.915):
# wgs84togcj02 -> (116.41024449916938, 39.91640428150164)
# gcj02tobd09  -> (116.41036949371029, 39.92133699351021)
# bd09togcj02  -> (116.39762729119315, 39.90865673957631)


def _metres(lon1, lat1, lon2, lat2):
    # Equirectangular distance on a 6,371 km sphere: plenty for sub-metre checks.
    dx = math.radians(lon2 - lon1) * math.cos(math.radians(lat1)) * 6_371_000
    dy = math.radians(lat2 - lat1) * 6_371_000
    return math.hypot(dx, dy)


def test_wgs84_to_gcj02_matches_the_published_value():
    lon, lat = geo.wgs84_to_gcj02(116.404, 39.915)
    assert lon == pytest.approx(116.41024449916938, abs=1e-9)
    assert lat == pytest.approx(39.91640428150164, abs=1e-9)


def test_gcj02_point_from_a_web_map_converts_back_within_a_metre():
    lon, lat = geo.to_wgs84(116.41024449916938, 39.91640428150164, "gcj02")
    assert _metres(lon, lat, 116.404, 39.915) < 1.0
    # The non-iterated one-step inverse (published 116.39775550083061, 39.91359571849836 for the
    # GCJ input 116.404, 39.915) is off by metres; ours is iterated to sub-millimetre.
    lon2, lat2 = geo.gcj02_to_wgs84(116.404, 39.915)
    back = geo.wgs84_to_gcj02(lon2, lat2)
    assert _metres(*back, 116.404, 39.915) < 0.001


def test_a_hangzhou_point_round_trips_and_the_offset_is_hundreds_of_metres():
    wgs = (120.1551, 30.3194)  # near the Grand Canal in Gongshu
    gcj = geo.wgs84_to_gcj02(*wgs)
    offset = _metres(*wgs, *gcj)
    assert 200 < offset < 800
    assert _metres(*geo.to_wgs84(*gcj, "GCJ-02"), *wgs) < 1.0


def test_bd09_matches_the_published_values_and_converts_to_wgs84():
    assert geo.gcj02_to_bd09(116.404, 39.915) == pytest.approx(
        (116.41036949371029, 39.92133699351021), abs=1e-9
    )
    assert geo.bd09_to_gcj02(116.404, 39.915) == pytest.approx(
        (116.39762729119315, 39.90865673957631), abs=1e-9
    )
    # BD-09 of the WGS-84 point (116.404, 39.915), through GCJ-02, back to WGS-84.
    bd = geo.gcj02_to_bd09(116.41024449916938, 39.91640428150164)
    assert _metres(*geo.to_wgs84(*bd, "bd09"), 116.404, 39.915) < 1.0


def test_wgs84_is_unchanged_and_unknown_systems_are_refused():
    assert geo.to_wgs84(120.1, 30.3, "wgs84") == (120.1, 30.3)
    with pytest.raises(geo.UnknownSystem):
        geo.to_wgs84(120.1, 30.3, "osgb36")


def test_outside_china_gcj02_is_the_identity():
    assert geo.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_distance_in_the_metric_projection():
    # 0.01 degree of longitude at 30.3 N: 111,320 m x cos(30.3 deg) / 100 = 961.1 m.
    assert geo.distance_m(120.15, 30.30, 120.16, 30.30) == pytest.approx(961.1, abs=1.5)
    # 0.01 degree of latitude: about 1,109 m at this latitude.
    assert geo.distance_m(120.15, 30.30, 120.15, 30.31) == pytest.approx(1109, abs=3)


def test_project_many_points_returns_metres():
    xs, ys = geo.project([120.0, 120.0], [30.0, 30.01])
    assert xs[0] == pytest.approx(500_000, abs=1)  # EPSG:4549: false easting 500 km on the CM
    assert ys[1] - ys[0] == pytest.approx(1108.8, abs=2)


@pytest.mark.django_db
def test_community_at_and_in_district():
    s = subdistrict()
    a = community(parent=s)
    b = community(parent=s)

    def square(x0, x1):
        ring = [[x0, 30.3], [x1, 30.3], [x1, 30.32], [x0, 30.32], [x0, 30.3]]
        return {"type": "Polygon", "coordinates": [ring]}

    org_unit_update(actor=None, unit=a, boundary=square(120.10, 120.12))
    org_unit_update(actor=None, unit=b, boundary=square(120.12, 120.14))
    assert geo.community_at(120.11, 30.31) == a
    assert geo.community_at(120.13, 30.31) == b
    assert geo.community_at(120.20, 30.31) is None
    assert geo.communities_at([(120.13, 30.31), (121.0, 31.0), (120.105, 30.305)]) == [b, None, a]
    # The shared border goes to the lower code.
    assert geo.community_at(120.12, 30.31) == a
    assert geo.in_district(120.11, 30.31) is True
    assert geo.in_district(120.30, 30.31) is False
