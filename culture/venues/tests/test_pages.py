"""Venue pages per role: list (filters, search, pagination, query budget), detail, forms, map."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from culture.accounts.models import RoleAssignment
from culture.accounts.tests.factories import staff_user
from culture.core.roles import Role
from culture.venues.models import Venue, VenueKind
from culture.venues.services import room_add
from culture.venues.tests.factories import give_boundaries, venue


@pytest.fixture
def centres(tree):
    return give_boundaries()


@pytest.fixture
def world(tree, centres):
    return {
        "lib": venue(operator=tree["district"], kind=VenueKind.LIBRARY, code="LIB", name_zh="区图书馆",
                     at=tree["c21"], opening_hours="Mo-Su 08:30-20:30", is_satisfying_library=True),
        "s1": venue(operator=tree["s1"], code="S1-SF", name_zh="湖墅书房", opening_hours="Tu-Su 09:00-21:00"),
        "s2": venue(operator=tree["s2"], code="S2-SF", name_zh="武林书房"),
        "c11": venue(operator=tree["c11"], kind=VenueKind.COMMUNITY_CENTRE, code="C11-JY", name_zh="社区文化家园"),
    }  # fmt: skip


def codes(resp):
    return [v.code for v in resp.context["page"]]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("district", ["C11-JY", "LIB", "S1-SF", "S2-SF"]),
        ("evaluator", ["C11-JY", "LIB", "S1-SF", "S2-SF"]),
        ("subdistrict", ["C11-JY", "S1-SF"]),
        ("community", ["C11-JY"]),
    ],
)
def test_list_is_scoped_by_operator_unit(role, expected, users, login, world):
    resp = login(users[role]).get("/venues/")
    assert resp.status_code == 200
    assert codes(resp) == expected


def test_list_filters_and_search(users, login, world, tree):
    client = login(users["district"])
    assert codes(client.get("/venues/?kind=city_bookroom")) == ["S1-SF", "S2-SF"]
    assert codes(client.get("/venues/?q=武林")) == ["S2-SF"]
    # unit: operated by or standing in the unit (the district library stands in c21).
    assert codes(client.get(f"/venues/?unit={tree['s2'].code}")) == ["LIB", "S2-SF"]
    assert codes(client.get("/venues/?flag=on_culture_cloud")) == []
    resp = client.get("/venues/?kind=nonsense")
    assert resp.status_code == 200 and "未知的场馆类型" in resp.content.decode()
    assert "/spreadsheets/export/venues/?" in resp.content.decode()


def test_list_query_count_does_not_grow(users, login, world, tree):
    client = login(users["district"])
    client.get("/venues/")
    with CaptureQueriesContext(connection) as few:
        client.get("/venues/")
    for i in range(10):
        venue(operator=tree["s1"], code=f"MORE-{i}")
    with CaptureQueriesContext(connection) as many:
        resp = client.get("/venues/")
    assert len(codes(resp)) == 14
    assert len(many) == len(few)


def test_pagination(users, login, tree, centres):
    for i in range(55):
        venue(operator=tree["s1"], code=f"P{i:03d}")
    client = login(users["district"])
    assert len(codes(client.get("/venues/"))) == 50
    assert codes(client.get("/venues/?page=2")) == [f"P{i:03d}" for i in range(50, 55)]


def test_detail_shows_facts_week_chart_and_rooms(users, login, world):
    room_add(actor=None, venue=world["lib"], name="少儿阅览室", capacity=60, equipment="绘本")
    resp = login(users["evaluator"]).get("/venues/LIB/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "区图书馆" in html and "少儿阅览室" in html
    assert "Mo-Su 08:30-20:30" in html
    data = json.loads(resp.context["week"]["json"])
    # Monday: 08:30-09:00 off-peak, 09:00-17:00 core, 17:00-20:30 off-peak.
    monday = [s for s in data["spans"] if s[0] == 0]
    assert monday == [[0, 8.5, 9.0, 1], [0, 9.0, 17.0, 0], [0, 17.0, 20.5, 1]]
    assert resp.context["can_edit"] is False
    assert 'data-testid="venue-minimap"' in html
    assert "满意图书馆" in html


def test_detail_out_of_scope_is_403_and_unknown_is_404(users, login, world):
    client = login(users["subdistrict"])
    assert client.get("/venues/S2-SF/").status_code == 403
    assert client.get("/venues/NOPE/").status_code == 404
    assert client.get("/venues/S1-SF/").status_code == 200


def test_create_form_with_field_errors_then_success(users, login, tree, centres):
    client = login(users["subdistrict"])
    lon, lat = centres[tree["c12"].code]
    data = {
        "code": "NEW-1", "name_zh": "新书房", "kind": "city_bookroom", "status": "open",
        "operator_unit": tree["s1"].code, "coord_system": "wgs84", "lon": lon, "lat": lat,
        "fee_policy": "free", "opening_hours": "Mo-Fr 25:00", "theatre_seats": "100",
    }  # fmt: skip
    resp = client.post("/venues/new/", data)
    assert resp.status_code == 422
    errors = resp.context["form"].errors
    assert errors["theatre_seats"] == ["城市书房没有‘剧场座位数’"]
    assert "Mo-Fr 25:00" in errors["opening_hours"][0]
    assert not Venue.objects.exists()
    data.update(opening_hours="Mo-Fr 09:00-21:00", theatre_seats="")
    resp = client.post("/venues/new/", data)
    assert resp.status_code == 302 and resp["Location"] == "/venues/NEW-1/"
    v = Venue.objects.get(code="NEW-1")
    assert v.location_community == tree["c12"] and v.weekly_hours == 60


def test_create_refused_for_evaluator_and_out_of_scope_unit(users, login, tree, centres):
    assert login(users["evaluator"]).get("/venues/new/").status_code == 403
    client = login(users["subdistrict"])
    lon, lat = centres[tree["c12"].code]
    resp = client.post(
        "/venues/new/",
        {"code": "X", "name_zh": "x", "kind": "city_bookroom", "status": "open", "fee_policy": "free",
         "operator_unit": tree["s2"].code, "coord_system": "wgs84", "lon": lon, "lat": lat},
    )  # fmt: skip
    assert resp.status_code == 422  # s2 is not among the units offered
    assert "operator_unit" in resp.context["form"].errors
    assert not Venue.objects.exists()


def test_edit_by_venue_manager_and_refusals(users, login, world, tree):
    manager = staff_user(Role.VENUE_MANAGER, tree["district"])
    RoleAssignment.objects.filter(user=manager).update(venue=world["lib"])
    client = login(manager)
    assert codes(client.get("/venues/")) == ["LIB"]
    resp = client.get("/venues/LIB/edit/")
    assert resp.status_code == 200
    form = resp.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("code",)}
    data.update(opening_hours="Mo-Su 09:00-21:00", waiver_groups=[], free_days=[])
    data = {k: v for k, v in data.items() if v is not False and v != []}
    resp = client.post("/venues/LIB/edit/", data)
    assert resp.status_code == 302, resp.context["form"].errors
    assert Venue.objects.get(code="LIB").weekly_hours == 84
    assert client.get("/venues/S1-SF/edit/").status_code == 403
    assert login(users["evaluator"]).get("/venues/LIB/edit/").status_code == 403


def test_rooms_pages(users, login, world):
    client = login(users["subdistrict"])
    resp = client.post("/venues/S1-SF/rooms/new/", {"name": "阅读区", "capacity": "0"})
    assert resp.status_code == 422 and "capacity" in resp.context["form"].errors
    resp = client.post(
        "/venues/S1-SF/rooms/new/", {"name": "阅读区", "capacity": "30", "is_active": "on"}
    )
    assert resp.status_code == 302
    room = world["s1"].rooms.get()
    resp = client.post(
        f"/venues/S1-SF/rooms/{room.pk}/edit/",
        {"name": "阅读区", "capacity": "35", "is_active": "on"},
    )
    assert resp.status_code == 302
    room.refresh_from_db()
    assert room.capacity == 35
    assert (
        client.post("/venues/S2-SF/rooms/new/", {"name": "x", "capacity": "3"}).status_code == 403
    )
    assert client.get(f"/venues/S1-SF/rooms/{room.pk + 999}/edit/").status_code == 404


def test_map_page_and_points(users, login, world):
    client = login(users["district"])
    resp = client.get("/venues/map/?kind=library")
    assert resp.status_code == 200 and 'data-testid="venue-map"' in resp.content.decode()
    points = client.get("/venues/map/points/?kind=library").json()["points"]
    assert [p["code"] for p in points] == ["LIB"]
    assert points[0]["value"] == [world["lib"].lon, world["lib"].lat]
    scoped = login(users["community"]).get("/venues/map/points/").json()["points"]
    assert [p["code"] for p in scoped] == ["C11-JY"]


def test_anonymous_is_sent_to_login(client, world):
    resp = client.get("/venues/")
    assert resp.status_code == 302 and "login" in resp["Location"]
