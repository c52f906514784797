"""/api/standards/: the catalogue and the stored results of a year, unit and indicator, scoped."""

from __future__ import annotations

import pytest

from culture.accounts.tests.factories import staff_user
from culture.cockpit.tests import helpers
from culture.core.roles import Role

pytestmark = pytest.mark.django_db
RESULTS = "/api/standards/results"


def test_results_of_one_indicator_at_one_level(monkeypatch, tree, users, login):
    run, _venues = helpers.world(monkeypatch, tree)
    client = login(users["evaluator"])
    body = client.get(RESULTS, {"year": 2025, "indicator": "s06", "level": "subdistrict"}).json()
    assert body["run"]["id"] == run.pk and body["unit"] == tree["district"].code
    assert body["count"] == 2
    assert [(r["org_unit"], r["value"], r["target"], r["status"]) for r in body["items"]] == [
        (tree["s1"].code, 1.0, 1.0, "met"),
        (tree["s2"].code, 0.0, 1.0, "not_met"),
    ]
    assert body["items"][0]["owner"] == "区图书馆"


def test_results_are_scoped_to_the_caller(monkeypatch, tree, users, login):
    helpers.world(monkeypatch, tree)
    client = login(users["subdistrict"])
    body = client.get(RESULTS, {"year": 2025}).json()
    assert body["unit"] == tree["s1"].code
    assert {r["org_unit"] for r in body["items"]} == {
        tree["s1"].code,
        tree["c11"].code,
        tree["c12"].code,
    }
    venues = [r["venue"] for r in body["items"] if r["level"] == "venue"]
    assert venues == ["VA", "VC"]
    assert client.get(RESULTS, {"unit": tree["s2"].code}).status_code == 403
    assert client.get(RESULTS, {"unit": tree["district"].code}).status_code == 403
    worker = login(users["community"])
    body = worker.get(RESULTS, {"year": 2025, "indicator": "S29"}).json()
    assert [(r["org_unit"], r["value"]) for r in body["items"]] == [(tree["c11"].code, 3.0)]


def test_refusals_and_bad_input(monkeypatch, tree, users, login, client):
    helpers.world(monkeypatch, tree)
    assert client.get(RESULTS).status_code == 401
    manager = login(staff_user(Role.VENUE_MANAGER, None))
    assert manager.get(RESULTS).status_code == 403
    district = login(users["district"])
    assert district.get(RESULTS, {"year": 2019}).status_code == 422
    assert district.get(RESULTS, {"indicator": "X99"}).status_code == 422
    assert district.get(RESULTS, {"level": "planet"}).status_code == 422
    assert district.get(RESULTS, {"unit": "999999"}).status_code == 404
    body = district.get(RESULTS, {"year": 2024}).json()
    assert (body["run"], body["count"], body["items"]) == (None, 0, [])


def test_catalogue(monkeypatch, tree, users, login):
    helpers.install(monkeypatch, tree)
    body = login(users["community"]).get("/api/standards/indicators").json()
    assert [i["id"] for i in body] == [
        "T02",
        "T10",
        "T14",
        "S06",
        "S20",
        "S29",
        "S44",
        "S48",
        "S52",
    ]
    s06 = body[3]
    assert s06["thresholds"] == {
        "district": [{"from_year": 2023, "threshold": 40.0}],
        "subdistrict": [{"from_year": 2023, "threshold": 1.0}],
    }
    assert (s06["owner_zh"], s06["levels"]) == ("区图书馆", ["district", "subdistrict"])
