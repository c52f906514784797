"""Siting on stored data: homes, venues and candidate sites placed in EPSG:4549 metres (converted
to WGS-84 with pyproj and stored), answered through the command, the API and the page; scope
and bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from pyproj import Transformer

from culture.circles.models import CandidateSite
from culture.circles.services import candidate_site_upsert, residential_point_upsert
from culture.core import geo
from culture.org.models import OrgUnit
from culture.venues.tests.factories import give_boundaries, venue

pytestmark = pytest.mark.django_db

TO_LONLAT = Transformer.from_crs(geo.METRIC_CRS, "EPSG:4326", always_xy=True)
API = "/api/circles/siting"


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return TO_LONLAT.transform(x, y)


@pytest.fixture
def world(tree):
    """c11's centre O holds a community culture centre and a bookroom 100 m east. Homes: H1 300 m
    east and H2 300 m west of O (a venue and one space within 1.5 km: each lacks one space); H3
    at c12's centre (1.9 km east: lacks the venue and both spaces); H4 at c21's centre (s2), with
    a culture centre and a bookroom 100 m either side: lacks one space. Candidates: K1 200 m north of O; K2 and K3 100 m either side of c12's centre; K4
    beside H4 in c21."""
    centres = give_boundaries()
    t = geo.metric_transformer()
    ox, oy = t.transform(*centres[tree["c11"].code])
    c12x, c12y = t.transform(*centres[tree["c12"].code])
    c21x, c21y = t.transform(*centres[tree["c21"].code])
    venue(operator=tree["c11"], kind="community_centre", code="VC", lon=_lonlat(ox, oy)[0],
          lat=_lonlat(ox, oy)[1])  # fmt: skip
    bx, by = _lonlat(ox + 100, oy)
    venue(operator=tree["c11"], kind="city_bookroom", code="B1", lon=bx, lat=by)
    cx, cy = _lonlat(c21x + 100, c21y)
    venue(operator=tree["c21"], kind="community_centre", code="VC2", lon=cx, lat=cy)
    bx, by = _lonlat(c21x - 100, c21y)
    venue(operator=tree["c21"], kind="city_bookroom", code="B2", lon=bx, lat=by)
    homes = [("H1", ox + 300, oy, "c11", 300), ("H2", ox - 300, oy, "c11", 200),
             ("H3", c12x, c12y, "c12", 500), ("H4", c21x, c21y, "c21", 700)]  # fmt: skip
    for code, x, y, unit, pop in homes:
        lon, lat = _lonlat(x, y)
        residential_point_upsert(actor=None, code=code, lon=lon, lat=lat, population=pop,
                                 community=tree[unit])  # fmt: skip
    # c22 has no residents: the homes are the imported points above.
    OrgUnit.objects.filter(pk=tree["c22"].pk).update(population=0)
    sites = [("K1", ox, oy + 200, "c11"), ("K2", c12x + 100, c12y, "c12"),
             ("K3", c12x - 100, c12y, "c12"), ("K4", c21x + 50, c21y, "c21")]  # fmt: skip
    for code, x, y, unit in sites:
        lon, lat = _lonlat(x, y)
        candidate_site_upsert(actor=None, code=code, lon=lon, lat=lat, community=tree[unit])
    return tree


def _command(*args: str) -> dict:
    out = io.StringIO()
    call_command("siting", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def _by_code(data: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for s in data["sites"]:
        found.setdefault(s["code"], []).append(s["requirement"])
    return {k: sorted(v) for k, v in found.items()}


def test_fewest_sites_multi_cover_through_the_command(world):
    data = _command()
    # H1/H2 need one space each (K1 serves both); H3 needs a venue and two spaces among K2/K3;
    # H4 needs one space (K4): 1 + 3 + 1 = 5 new facilities at 4 places.
    assert data["question"] == "min_cover" and data["budget"] is None
    by = _by_code(data)
    assert set(by) == {"K1", "K2", "K3", "K4"}
    assert by["K1"] == ["spaces"] and by["K4"] == ["spaces"]
    assert sorted(by["K2"] + by["K3"]) == ["spaces", "spaces", "venue"]
    assert data["new_facilities"] == 5 and data["new_places"] == 4
    assert data["new_by_requirement"] == {"venue": 1, "spaces": 4}
    assert data["solver"]["method"] == "exact" and data["solver"]["optimal"] is True
    assert data["solver"]["verified"] is True
    assert data["before"]["population_covered"] == 0
    assert data["after"]["population_covered"] == 1700 and data["after"]["share_population"] == 1
    assert data["residents_added"] == 1700
    assert sum(s["residents_added"] for s in data["sites"]) == 1700
    assert data["candidates"] == {"source": "imported", "count": 4, "grid_m": None,
                                  "fixed": [], "excluded": []}  # fmt: skip
    venue_site = next(s for s in data["sites"] if s["requirement"] == "venue")
    assert venue_site["must_be"] == "公共文化场馆（大项目，如社区文化家园）"
    k1 = next(s for s in data["sites"] if s["code"] == "K1")
    assert k1["must_be"] == "公益性文化空间（城市书房或文化驿站）"
    assert k1["residents_served"] == 500 and k1["community"] == world["c11"].code
    failing = {h["code"]: h for h in data["homes"]}
    assert failing["H3"]["lacks"] == {"venue": 1, "spaces": 2}
    assert failing["H1"]["lacks"] == {"venue": 0, "spaces": 1}
    assert {h["status"] for h in data["homes"]} == {"covered_after"}


def test_budget_picks_the_most_residents(world):
    data = _command("--budget", "1")
    # One facility: K4 (700 residents of H4) beats K1 (500 of H1 and H2); H3 needs three.
    assert [(s["code"], s["requirement"], s["residents_added"]) for s in data["sites"]] == [
        ("K4", "spaces", 700)
    ]
    data = _command("--budget", "2")
    assert _by_code(data) == {"K1": ["spaces"], "K4": ["spaces"]}
    assert data["residents_added"] == 1200 and data["solver"]["optimal"] is True


def test_fixed_and_excluded(world):
    data = _command("--budget", "1", "--fix", "K1")
    assert [s["code"] for s in data["sites"]] == ["K1"] and data["sites"][0]["fixed"] is True
    data = _command("--exclude", "K4")
    assert "K4" not in _by_code(data)
    assert data["unreachable"] == {"points": 1, "population": 700}
    [h4] = [h for h in data["homes"] if h["code"] == "H4"]
    assert h4["status"] == "unreachable" and h4["candidates_within_r"] == 0
    assert h4["short_even_with_every_site"] == {"venue": 0, "spaces": 1}
    assert data["after"]["population_covered"] == 1000


def test_grid_candidates_when_none_are_imported(world):
    CandidateSite.objects.all().delete()
    data = _command()
    assert data["candidates"]["source"] == "grid" and data["candidates"]["grid_m"] == 250
    assert data["candidates"]["count"] > 100
    assert all(s["code"].startswith("S") for s in data["sites"])
    assert data["after"]["share_population"] == 1 and data["solver"]["verified"] is True
    again = _command()
    assert [s["code"] for s in again["sites"]] == [s["code"] for s in data["sites"]]  # stable


def test_time_limit_setting_gives_a_labelled_heuristic(world):
    with override_settings(CULTURE_SITING_TIME_LIMIT_S=0.0):
        data = _command()
    assert data["solver"]["method"] == "heuristic" and data["solver"]["optimal"] is False
    assert data["solver"]["fallback_reason"] == "time_limit"
    assert data["after"]["share_population"] == 1  # still a complete answer


def test_bad_input_is_refused_with_clear_messages(world, tree):
    with pytest.raises(CommandError, match="没有这些候选点位.*K9"):
        _command("--fix", "K9")
    with pytest.raises(CommandError, match="既必选又排除"):
        _command("--fix", "K1", "--exclude", "K1")
    with pytest.raises(CommandError, match="少于必选点位数"):
        _command("--budget", "1", "--fix", "K1,K2")
    K = CandidateSite.objects.get(code="K2")
    CandidateSite.objects.create(code="K2b", community=K.community, community_path=K.community_path,
                                 lon=K.lon + 1e-6, lat=K.lat)  # fmt: skip
    with pytest.raises(CommandError, match="K2 与 K2b 重复"):
        _command()
    CandidateSite.objects.filter(code="K2b").delete()
    OrgUnit.objects.filter(pk=tree["c22"].pk).update(  # no boundary, no centroid
        population=10, boundary=None, centroid_lon=None, centroid_lat=None
    )
    with pytest.raises(CommandError, match="无法选址"):
        _command()


def test_empty_district_is_refused(tree):
    OrgUnit.objects.filter(level="community").update(population=0)
    with pytest.raises(CommandError, match="没有居住点"):
        _command()


# ----- the API and the page: scope ----------------------------------------------------------------
def _post(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


def test_api_district_officer_gets_the_answer(world, users, login):
    r = _post(login(users["district"]), {"budget": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == "budget" and body["residents_added"] == 1200
    assert {"method", "optimal", "gap", "proof", "verified"} <= set(body["solver"])


def test_api_subdistrict_officer_sees_their_area_only(world, users, login, tree):
    client = login(users["subdistrict"])
    body = _post(client, {}).json()
    assert body["unit"]["code"] == tree["s1"].code
    assert {h["code"] for h in body["homes"]} == {"H1", "H2", "H3"}  # not H4 of s2
    assert body["candidates"]["count"] == 3  # K4 lies in s2
    assert _post(client, {"unit": tree["s2"].code}).status_code == 403
    r = _post(client, {"fixed": ["K4"]})
    assert r.status_code == 422 and "K4" in r.json()["message"]


@pytest.mark.parametrize("role", ["community", "evaluator"])
def test_api_other_roles_are_refused(world, users, login, role):
    assert _post(login(users[role]), {}).status_code == 403


def test_api_validation(world, users, login):
    client = login(users["district"])
    assert _post(client, {"budget": 0}).status_code == 422
    r = _post(client, {"fixed": ["K1"], "excluded": ["K1"]})
    assert r.status_code == 422 and "既必选又排除" in json.dumps(r.json(), ensure_ascii=False)


def test_page_form_and_answer(world, users, login):
    client = login(users["district"])
    r = client.get("/circles/siting/")
    assert r.status_code == 200 and 'data-testid="siting-form"' in r.text
    assert 'data-testid="siting-table"' not in r.text  # nothing computed until asked
    r = client.get("/circles/siting/?mode=budget&budget=2")
    assert r.status_code == 200
    assert 'data-code="K1"' in r.text and 'data-code="K4"' in r.text
    assert "精确解（整数规划，已证明最优）" in r.text
    r = client.get("/circles/siting/?mode=budget&budget=")
    assert "请填写预算 K（新增点位个数）" in r.text
    r = client.get("/circles/siting/?mode=budget&budget=two")
    assert "预算须为整数（新增点位个数）" in r.text
    r = client.get("/circles/siting/?mode=fewest&fixed=K9")
    assert "没有这些候选点位（或不在您的范围内）：K9" in r.text
    r = client.get("/circles/siting/?mode=fewest", HTTP_HX_REQUEST="true")
    assert "<html" not in r.text and 'data-testid="siting-table"' in r.text


def test_page_scoped(world, users, login, tree):
    r = login(users["subdistrict"]).get("/circles/siting/?mode=fewest")
    assert r.status_code == 200
    assert 'data-code="K1"' in r.text and 'data-code="K4"' not in r.text
    assert tree["c21"].name_zh not in r.text
    assert login(users["community"]).get("/circles/siting/").status_code == 403
