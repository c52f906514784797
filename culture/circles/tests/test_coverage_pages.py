"""The coverage page, its map data (what-if), the lists, the API and the command: scoped."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from culture.circles.services import residential_point_upsert
from culture.org.models import OrgUnit
from culture.venues.tests.factories import give_boundaries, venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    """c11 has a culture centre and two bookrooms at its centre; c21 has only a bookroom."""
    centres = give_boundaries()
    venue(operator=tree["c11"], kind="community_centre", code="VC", name_zh="大关文化家园")
    venue(operator=tree["c11"], kind="city_bookroom", code="B1", name_zh="大关书房")
    venue(operator=tree["c11"], kind="culture_post", code="B2", name_zh="大关驿站")
    venue(operator=tree["c21"], kind="city_bookroom", code="B3", name_zh="武林书房")
    lon, lat = centres[tree["c11"].code]
    residential_point_upsert(
        actor=None, code="H-C11", name="大关苑", lon=lon, lat=lat, population=500
    )
    return tree, centres


def test_page_for_the_district_officer(world, users, login):
    tree, _c = world
    resp = login(users["district"]).get("/circles/")
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "15分钟品质文化生活圈" in text
    # c11: one imported home, covered (500 residents). The others are generated: c12 (7,000)
    # lies next to c11 (squares 1.9 km wide, venues at c11's centre) so part of it is covered.
    for name in ("湖墅街道", "武林街道", tree["c21"].name_zh):
        assert name in text
    assert 'data-source="imported"' in text and "大关" not in text.split("point-sources")[0]
    assert 'data-testid="coverage-map"' in text
    assert 'aria-current="page" data-testid="nav-circles"' in text
    # Residents inside accepted circles, beside the distance coverage: none accepted yet.
    assert "0 / 26,000 人" in text and "0 / 4 个社区已验收" in text


def test_map_data_and_what_if(world, users, login):
    tree, centres = world
    client = login(users["community"])
    data = client.get("/circles/coverage/data/").json()
    assert [h["code"] for h in data["homes"]] == ["H-C11"]
    [home] = data["homes"]
    assert (home["covered"], home["population"], home["category"]) == (True, 500, "ok")
    assert data["total"]["share_population"] == 1.0
    # The community worker sees the places of every counted facility but only the names of
    # the venues run by its own community.
    names = sorted(f["name"] for f in data["facilities"])
    assert names == ["", "大关书房", "大关文化家园", "大关驿站"]
    # Close the culture post: the home lacks one space; a hypothetical space on the spot fixes
    # it; nothing is stored.
    from culture.venues.models import Venue

    Venue.objects.filter(code="B2").update(status="closed")
    data = client.get("/circles/coverage/data/").json()
    assert data["homes"][0]["lacks"] == {"venue": 0, "spaces": 1}
    assert data["total"]["homes_lacking"] == {"venue": 0, "spaces": 1}
    lon, lat = centres[tree["c11"].code]
    data = client.get("/circles/coverage/data/", {"sites": f"{lon},{lat},spaces"}).json()
    assert data["homes"][0]["covered"] is True
    assert data["sites"] == [{"key": "spaces", "lon": lon, "lat": lat}]
    assert Venue.objects.filter(status="open").count() == 3
    bad = client.get("/circles/coverage/data/", {"sites": "x,y,spaces"})
    assert bad.status_code == 422 and "经度,纬度,类别" in bad.json()["message"]
    bad = client.get("/circles/coverage/data/", {"sites": f"{lon},{lat},library"})
    assert bad.status_code == 422 and "未知的设施类别" in bad.json()["message"]


def test_scope(world, users, login):
    tree, _c = world
    # The subdistrict officer of s1 sees s1's communities only, and cannot ask for s2.
    client = login(users["subdistrict"])
    resp = client.get("/circles/")
    assert resp.status_code == 200
    text = resp.content.decode()
    assert tree["c12"].name_zh in text and tree["c21"].name_zh not in text
    assert client.get("/circles/", {"unit": tree["s2"].code}).status_code == 403
    assert client.get("/circles/coverage/data/", {"unit": tree["c21"].code}).status_code == 403
    assert client.get("/api/circles/coverage", {"unit": tree["c21"].code}).status_code == 403
    data = client.get("/api/circles/coverage").json()
    assert data["total"]["code"] == tree["s1"].code
    assert [c["code"] for c in data["communities"]] == [tree["c11"].code, tree["c12"].code]
    assert data["total"]["population"] == 500 + 7000


def test_api_numbers_and_homes(world, users, login):
    tree, _c = world
    data = (
        login(users["evaluator"])
        .get("/api/circles/coverage", {"unit": tree["c11"].code, "homes": True})
        .json()
    )
    assert data["radius_m"] == 1500.0 and data["city_radius_m"] == 1000.0
    assert data["facilities"] == {"venue": 1, "spaces": 3}
    assert data["total"]["population_covered"] == 500
    assert data["total"]["source"] == "imported"
    assert data["homes"][0]["code"] == "H-C11"
    fitness = login(users["district"]).get("/api/circles/coverage", {"rule": "fitness_circle"})
    assert fitness.status_code == 200
    assert fitness.json()["total"]["population_covered"] == 0  # no sports venue at all
    bad = login(users["district"]).get("/api/circles/coverage", {"rule": "nope"})
    assert bad.status_code == 422


def test_lists_and_empty_district(world, users, login):
    tree, _c = world
    resp = login(users["subdistrict"]).get("/circles/points/")
    assert resp.status_code == 200 and "大关苑" in resp.content.decode()
    assert 'data-testid="points-import"' in resp.content.decode()
    resp = login(users["evaluator"]).get("/circles/candidate-sites/")
    assert resp.status_code == 200
    assert 'data-testid="sites-import"' not in resp.content.decode()  # evaluators never write
    # Nobody lives anywhere and nothing is imported: a clear message, nothing computed.
    OrgUnit.objects.update(population=0, boundary=None)
    from culture.circles.models import ResidentialPoint

    ResidentialPoint.objects.all().delete()
    resp = login(users["district"]).get("/circles/")
    assert resp.status_code == 422
    assert "没有居住点" in resp.content.decode()


def test_command_json_and_text(world):
    tree, _c = world
    out = io.StringIO()
    call_command("coverage", "--format", "json", "--unit", tree["c11"].code, stdout=out)
    data = json.loads(out.getvalue())
    assert data["rule"] == "culture_circle"
    assert data["total"]["population_covered"] == 500
    assert data["homes"][0]["code"] == "H-C11"
    assert data["homes"][0]["nth_m"]["spaces"] == 0.0
    out = io.StringIO()
    call_command("coverage", "--radius", "1000", "--rule", "culture_circle", stdout=out)
    assert "R = 1000 m" in out.getvalue()
    with pytest.raises(CommandError, match="330105999"):
        call_command("coverage", "--unit", "330105999", stdout=io.StringIO())


def test_page_in_english(world, users, login, settings):
    client = login(users["district"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/circles/").content.decode()
    assert "Residents covered (1500 m)" in text
    assert "Residents inside accepted circles" in text
    assert "Culture circles" in text  # the main menu's entry


def test_coverage_export(world, users, login):
    from openpyxl import load_workbook

    tree, _c = world
    resp = login(users["subdistrict"]).get(
        "/spreadsheets/export/circle_coverage/", {"format": "xlsx", "unit": tree["c11"].code}
    )
    assert resp.status_code == 200
    body = b"".join(resp.streaming_content) if resp.streaming else resp.content
    rows = list(load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    [row] = rows[1:]  # c11 alone: the root row, once
    got = dict(zip(header, row, strict=True))
    assert (got["层级"], got["居住点来源"], got["居住人口"], got["人口覆盖率"]) == (
        "社区", "导入的居住点", 500, 1,
    )  # fmt: skip
