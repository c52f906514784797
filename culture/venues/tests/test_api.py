"""/api/venues/: list, detail, create, patch, rooms; scoped, 403/404/422."""

from __future__ import annotations

import json

import pytest

from culture.core import geo
from culture.venues.models import Venue, VenueKind
from culture.venues.tests.factories import give_boundaries, venue


@pytest.fixture
def centres(tree):
    return give_boundaries()


@pytest.fixture
def world(tree, centres):
    return {
        "s1": venue(operator=tree["s1"], code="A-S1", opening_hours="Mo-Fr 09:00-21:00; Sa,Su 09:00-17:00"),
        "s2": venue(operator=tree["s2"], code="A-S2"),
    }  # fmt: skip


def api(client, method, url, body=None):
    kwargs = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(f"/api/venues{url}", **kwargs)


def test_list_is_scoped_and_filtered(users, login, world):
    data = api(login(users["subdistrict"]), "get", "/").json()
    assert [v["code"] for v in data["results"]] == ["A-S1"]
    assert data["results"][0]["weekly_hours"] == 76
    client = login(users["district"])
    assert api(client, "get", "/?kind=city_bookroom").json()["count"] == 2
    assert api(client, "get", "/?kind=theatre").json()["count"] == 0
    assert api(client, "get", "/?q=A-S2").json()["results"][0]["code"] == "A-S2"
    assert api(client, "get", "/?kind=bogus").status_code == 422
    assert api(client, "get", "/?page_size=1&page=2").json()["results"][0]["code"] == "A-S2"


def test_detail_403_404(users, login, world, tree):
    client = login(users["subdistrict"])
    resp = api(client, "get", "/A-S1")
    assert resp.status_code == 200
    assert resp.json()["location_community"] == tree["c11"].code
    assert api(client, "get", "/A-S2").status_code == 403
    assert api(client, "get", "/NOPE").status_code == 404


def test_create_with_gcj02_and_errors(users, login, tree, centres):
    client = login(users["subdistrict"])
    wgs = centres[tree["c12"].code]
    gcj = geo.wgs84_to_gcj02(*wgs)
    body = {"code": "API-1", "name_zh": "接口书房", "kind": "city_bookroom",
            "operator_unit": tree["s1"].code, "lon": gcj[0], "lat": gcj[1], "coord_system": "gcj02",
            "waiver_groups": ["elderly"]}  # fmt: skip
    resp = api(client, "post", "/", body)
    assert resp.status_code == 201, resp.content
    out = resp.json()
    assert out["location_community"] == tree["c12"].code
    assert geo.distance_m(out["lon"], out["lat"], *wgs) < 1.0
    resp = api(client, "post", "/", body)
    assert resp.status_code == 422 and "code" in resp.json()["errors"]
    resp = api(client, "post", "/", {**body, "code": "API-2", "theatre_seats": 10})
    assert resp.json()["errors"]["theatre_seats"] == ["城市书房没有‘剧场座位数’"]
    resp = api(client, "post", "/", {**body, "code": "API-3", "operator_unit": tree["s2"].code})
    assert resp.status_code == 403
    resp = api(
        client, "post", "/", {**body, "code": "API-4", "lon": 121.0, "coord_system": "wgs84"}
    )
    assert resp.status_code == 422 and "lon" in resp.json()["errors"]
    resp = api(client, "post", "/", {**body, "code": "API-5", "unknown_field": 1})
    assert resp.status_code == 422
    assert api(login(users["evaluator"]), "post", "/", {**body, "code": "API-6"}).status_code == 403
    assert Venue.objects.count() == 1


def test_patch_and_rooms(users, login, world):
    client = login(users["subdistrict"])
    resp = api(client, "patch", "/A-S1", {"opening_hours": "Mo-Su 10:00-20:00", "has_wifi": True})
    assert resp.status_code == 200
    assert resp.json()["weekly_hours"] == 70 and resp.json()["has_wifi"] is True
    resp = api(client, "patch", "/A-S1", {"opening_hours": "sometimes"})
    assert resp.status_code == 422 and "sometimes" in resp.json()["errors"]["opening_hours"][0]
    resp = api(client, "patch", "/A-S1", {"lon": 120.11})
    assert resp.status_code == 422
    assert api(client, "patch", "/A-S2", {"name_zh": "x"}).status_code == 403
    assert api(login(users["evaluator"]), "patch", "/A-S1", {"name_zh": "x"}).status_code == 403
    client = login(users["subdistrict"])
    resp = api(client, "post", "/A-S1/rooms", {"name": "多功能厅", "capacity": 50})
    assert resp.status_code == 201
    room_id = resp.json()["id"]
    resp = api(client, "patch", f"/A-S1/rooms/{room_id}", {"capacity": 60})
    assert resp.status_code == 200 and resp.json()["capacity"] == 60
    assert api(client, "patch", f"/A-S1/rooms/{room_id + 100}", {"capacity": 6}).status_code == 404
    assert (
        api(client, "post", "/A-S1/rooms", {"name": "多功能厅", "capacity": 5}).status_code == 422
    )
    detail = api(client, "get", "/A-S1").json()
    assert [r["name"] for r in detail["rooms"]] == ["多功能厅"]


def test_anonymous_is_401(client, world):
    assert api(client, "get", "/").status_code == 401


def test_theatre_kind_fields(users, login, tree, centres):
    lon, lat = centres[tree["c21"].code]
    body = {"code": "TH", "name_zh": "运河大剧院", "kind": VenueKind.THEATRE, "operator_unit": tree["district"].code,
            "lon": lon, "lat": lat, "theatre_seats": 1200, "state_owned": True,
            "fee_policy": "low", "ticket_price": "60", "market_price": "100"}  # fmt: skip
    resp = api(login(users["district"]), "post", "/", body)
    assert resp.status_code == 201, resp.content
    assert resp.json()["theatre_seats"] == 1200 and resp.json()["ticket_price"] == "60.00"
