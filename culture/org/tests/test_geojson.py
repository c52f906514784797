"""org:geojson: valid GeoJSON FeatureCollections, scoped to the viewer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from shapely.geometry import box, shape

from culture.org.models import OrgUnit

pytestmark = pytest.mark.django_db
GONGSHU = box(120.09, 30.26, 120.22, 30.40)


def fetch(client, **params):
    return client.get(reverse("org:geojson"), params)


def test_subdistricts_of_the_district(demo, login):
    response = fetch(login(demo["district_user"]), level="subdistrict", parent="330105")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 18
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = shape(feature["geometry"])
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        assert geometry.is_valid and GONGSHU.contains(geometry)
        props = feature["properties"]
        assert set(props) >= {"code", "name", "population", "density"}
        unit = OrgUnit.objects.get(code=props["code"])
        assert props["population"] == unit.population
        assert props["density"] == round(unit.population / float(unit.area_km2))
    wulin = next(f for f in data["features"] if f["properties"]["name"] == "武林街道")
    kangqiao = next(f for f in data["features"] if f["properties"]["name"] == "康桥街道")
    assert wulin["properties"]["density"] > kangqiao["properties"]["density"]


def test_subdistrict_officer_gets_only_their_units(demo, login):
    client = login(demo["subdistrict_user"])
    hushu = demo["hushu"]
    subs = fetch(client, level="subdistrict", parent="330105").json()["features"]
    assert [f["properties"]["code"] for f in subs] == [hushu.code]
    communities = fetch(client, level="community").json()["features"]
    assert {f["properties"]["code"] for f in communities} == set(
        OrgUnit.objects.filter(parent=hushu).values_list("code", flat=True)
    )
    assert fetch(client, level="community", parent=demo["wulin"].code).status_code == 403
    assert fetch(client, unit=demo["wulin"].code).status_code == 403


def test_community_worker_gets_their_own_boundary_only(demo, login):
    client = login(demo["community_user"])
    features = fetch(client, unit=demo["community"].code).json()["features"]
    assert [f["properties"]["code"] for f in features] == [demo["community"].code]
    assert fetch(client, unit=demo["neighbour"].code).status_code == 403
    everything = fetch(client, level="community").json()["features"]
    assert [f["properties"]["code"] for f in everything] == [demo["community"].code]


def test_bad_requests(demo, login):
    client = login(demo["district_user"])
    assert fetch(client, level="province").status_code == 422
    assert fetch(client, parent="330199").status_code == 404
    assert fetch(client, unit="330105999999").status_code == 404
    assert fetch(client).status_code == 422
    client.logout()
    assert fetch(client, level="subdistrict").status_code == 302
